using System.Net;
using ConsentHub.Consent;
using ConsentHub.Testing.Builders;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Web.Tests.Signing;

/// <summary>Double submits and parents answering at the same moment, over HTTP on the real host.</summary>
[Collection(SigningHost.Name)]
public sealed class SigningConcurrencyTests(SigningFixture fixture)
{
    /// <summary>A browser that has confirmed the date of birth on the request's link and shows the form.</summary>
    private async Task<SigningBrowser> ConfirmedAsync(IssuedRequest request, DateOnly dob)
    {
        var browser = new SigningBrowser(fixture.Factory);
        await browser.GetAsync("/s/" + request.Token);
        var confirmed = await browser.PostAsync("/s/" + request.Token + "/dob", SigningTestData.Dob(dob));
        Assert.Equal(HttpStatusCode.SeeOther, confirmed.Status);
        await browser.GetAsync(confirmed.Location!);
        return browser;
    }

    [Fact]
    public async Task TwoTabsAndARetry_RecordOneSetOfAnswers()
    {
        TestTrust trust;
        ConsentHub.Pupils.Pupil pupil;
        IssuedRequest request;
        List<(string, string)> yes, no;
        await using (var db = fixture.Database.CreateDbContext())
        {
            trust = await TestTrust.CreateAsync(db);
            (pupil, var parent) = await TestTrust.AddPupilAsync(db, trust.NorthAcademyId, 2, "2D", "Dan", "Double");
            request = await TestRequests.IssueAsync(db, pupil, parent);
            yes = await SigningTestData.AnswersAsync(db, trust.FormVersionId, Audience.Parent, TestTrust.Social);
            no = await SigningTestData.AnswersAsync(db, trust.FormVersionId, Audience.Parent);
        }
        using var tab1 = await ConfirmedAsync(request, pupil.DateOfBirth);
        using var tab2 = await ConfirmedAsync(request, pupil.DateOfBirth);

        // Two tabs press send at the same moment, with different answers.
        var results = await Task.WhenAll(
            tab1.PostAsync("/s/" + request.Token, [.. yes, ("responsibility", "yes"), ("signature-name", "Jane Double")]),
            tab2.PostAsync("/s/" + request.Token, [.. no, ("responsibility", "yes"), ("signature-name", "Jane Double")]));
        Assert.All(results, r => Assert.Equal(HttpStatusCode.SeeOther, r.Status));
        // And the first tab's retry.
        var retry = await tab1.PostAsync("/s/" + request.Token, [.. yes, ("responsibility", "yes"), ("signature-name", "Jane Double")]);
        Assert.Equal(HttpStatusCode.SeeOther, retry.Status);

        await using var check = fixture.Database.CreateDbContext();
        Assert.Equal(1, await check.OnlineSubmissions.CountAsync(s => s.SignatureRequestId == request.Id));
        Assert.Equal(yes.Count, await check.ConsentAnswers.CountAsync(a => a.PupilId == pupil.Id));

        // Both tabs are shown the one set that was recorded.
        var shown1 = await tab1.GetAsync(retry.Location!);
        var shown2 = await tab2.GetAsync(results[1].Location!);
        Assert.Equal(Receipt(shown1.Html), Receipt(shown2.Html));
    }

    [Fact]
    public async Task TwoParentsAnsweringAtOnce_AreBothRecorded_AndTheRefusalWins()
    {
        TestTrust trust;
        ConsentHub.Pupils.Pupil pupil;
        IssuedRequest mumsRequest, dadsRequest;
        List<(string, string)> grant, refuse;
        await using (var db = fixture.Database.CreateDbContext())
        {
            trust = await TestTrust.CreateAsync(db);
            (pupil, var mum) = await TestTrust.AddPupilAsync(db, trust.NorthAcademyId, 1, "1T", "Tia", "Two");
            var dad = await TestRequests.AddParentAsync(db, pupil);
            mumsRequest = await TestRequests.IssueAsync(db, pupil, mum);
            dadsRequest = await TestRequests.IssueAsync(db, pupil, dad);
            grant = await SigningTestData.AnswersAsync(db, trust.FormVersionId, Audience.Parent, TestTrust.Social, "academy-website");
            refuse = await SigningTestData.AnswersAsync(db, trust.FormVersionId, Audience.Parent, "academy-website");
        }
        var apiKey = await SigningTestData.ApiKeyAsync(fixture.Factory.Services, trust.NorthAcademyId);
        using var mumsPhone = await ConfirmedAsync(mumsRequest, pupil.DateOfBirth);
        using var dadsPhone = await ConfirmedAsync(dadsRequest, pupil.DateOfBirth);

        var results = await Task.WhenAll(
            mumsPhone.PostAsync("/s/" + mumsRequest.Token, [.. grant, ("responsibility", "yes"), ("signature-name", "Jane Two")]),
            dadsPhone.PostAsync("/s/" + dadsRequest.Token, [.. refuse, ("responsibility", "yes"), ("signature-name", "John Two")]));
        Assert.All(results, r => Assert.Equal(HttpStatusCode.SeeOther, r.Status));

        await using var check = fixture.Database.CreateDbContext();
        Assert.Equal(2, await check.OnlineSubmissions.CountAsync(s => s.PupilId == pupil.Id));
        Assert.Equal(2, await check.CurrentAnswers.CountAsync(c => c.PupilId == pupil.Id && c.PurposeId == trust.SocialPurposeId));

        using var api = fixture.Factory.CreateClient();
        api.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        Assert.Equal("NotAllowed", await SigningJourneyTests.StatusAsync(api, pupil.Id, TestTrust.Social));
        Assert.Equal("Allowed", await SigningJourneyTests.StatusAsync(api, pupil.Id, "academy-website"));

        // The stored facts document holds both answers: the same as computing it afresh from the tables.
        var stored = await check.Database.SqlQuery<string>($"SELECT facts::text AS \"Value\" FROM consenthub.pupil_consent_facts WHERE pupil_id = {pupil.Id}").SingleAsync();
        var fresh = await check.Database.SqlQuery<string>($"SELECT f.facts::text AS \"Value\" FROM consenthub.pupil_consent_facts_of(ARRAY[{pupil.Id}]::uuid[]) f").SingleAsync();
        Assert.Equal(fresh, stored);
    }

    private static string Receipt(string html) =>
        System.Text.RegularExpressions.Regex.Match(html, "<table.*?</table>", System.Text.RegularExpressions.RegexOptions.Singleline).Value;
}
