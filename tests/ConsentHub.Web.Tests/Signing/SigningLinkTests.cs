using System.Net;
using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Requests;
using ConsentHub.Testing.Builders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Tests.Signing;

/// <summary>Links and codes that must not work, and the date-of-birth lock, over HTTP on the real host.</summary>
[Collection(SigningHost.Name)]
public sealed class SigningLinkTests(SigningFixture fixture)
{
    private const string Neutral = "This link cannot be used";

    private async Task<(TestTrust Trust, ConsentHub.Pupils.Pupil Pupil, ConsentHub.Pupils.Contact Parent)> PupilAsync(int year = 4)
    {
        await using var db = fixture.Database.CreateDbContext();
        var trust = await TestTrust.CreateAsync(db);
        var (pupil, parent) = await TestTrust.AddPupilAsync(db, trust.NorthAcademyId, year, "L" + year, "Leo", "Links");
        return (trust, pupil, parent);
    }

    [Fact]
    public async Task Guessed_Malformed_Expired_Cancelled_AndAnsweredLinks_AllGetTheSameNeutralPage()
    {
        var (_, pupil, parent) = await PupilAsync();
        IssuedRequest expired, cancelled, answered;
        await using (var db = fixture.Database.CreateDbContext())
        {
            expired = await TestRequests.IssueAsync(db, pupil, parent, expiresAt: fixture.Clock.GetUtcNow().AddMinutes(-1));
            cancelled = await TestRequests.IssueAsync(db, pupil, parent, status: RequestStatus.Cancelled);
            answered = await TestRequests.IssueAsync(db, pupil, parent, status: RequestStatus.Answered);
        }
        using var browser = new SigningBrowser(fixture.Factory);
        var pages = new List<SigningBrowser.Page>();
        foreach (var path in new[] { "/s/" + SigningSecrets.NewToken(), "/s/not-a-token", "/s/" + expired.Token, "/s/" + cancelled.Token, "/s/" + answered.Token, "/sign/change/" + SigningSecrets.NewToken() })
            pages.Add(await browser.GetAsync(path));

        Assert.All(pages, p =>
        {
            Assert.Equal(HttpStatusCode.NotFound, p.Status);
            Assert.Contains(Neutral, p.Text, StringComparison.Ordinal);
            Assert.Contains("change link in your receipt email", p.Text, StringComparison.Ordinal);
            // A used link must not read as "your answers were lost".
            Assert.Contains("Opening this page has changed nothing: any answers you sent before are kept", p.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("Nothing has been recorded", p.Text, StringComparison.Ordinal);
            Assert.Contains("href=\"/sign/lost?lang=en\"", p.Html, StringComparison.Ordinal);
            Assert.Contains("no-store", p.CacheControl, StringComparison.Ordinal);
        });
        // Word for word the same, so the page tells nobody which it was.
        Assert.Single(pages.Select(p => p.Html).Distinct());

        // And a date of birth posted to a dead link (with a good antiforgery token) records nothing.
        await browser.GetAsync("/sign");
        var post = await browser.PostAsync("/s/" + answered.Token + "/dob", SigningTestData.Dob(pupil.DateOfBirth));
        Assert.Equal(HttpStatusCode.NotFound, post.Status);
    }

    [Fact]
    public async Task AnotherPupilsDateOfBirth_IsWrong_AndOneLinksCookieOpensNoOtherLink()
    {
        var (trust, pupil, parent) = await PupilAsync();
        IssuedRequest mine, sibling;
        ConsentHub.Pupils.Pupil other;
        await using (var db = fixture.Database.CreateDbContext())
        {
            (other, var otherParent) = await TestTrust.AddPupilAsync(db, trust.NorthAcademyId, 6, "6L", "Mia", "Other");
            mine = await TestRequests.IssueAsync(db, pupil, parent);
            sibling = await TestRequests.IssueAsync(db, other, otherParent);
        }
        using var browser = new SigningBrowser(fixture.Factory);
        await browser.GetAsync("/s/" + mine.Token);
        var wrongPupil = await browser.PostAsync("/s/" + mine.Token + "/dob", SigningTestData.Dob(other.DateOfBirth));
        Assert.Equal(HttpStatusCode.BadRequest, wrongPupil.Status);

        var right = await browser.PostAsync("/s/" + mine.Token + "/dob", SigningTestData.Dob(pupil.DateOfBirth));
        var cookie = right.SetCookies.Single(c => c.StartsWith("ConsentHub.Signing=", StringComparison.Ordinal)).Split(';')[0];

        // The cookie is path-scoped, but even sent by hand to the other request's pages it opens nothing.
        await using var db2 = fixture.Database.CreateDbContext();
        var answers = await SigningTestData.AnswersAsync(db2, trust.FormVersionId, Audience.Parent, TestTrust.Social);
        using var other2 = new SigningBrowser(fixture.Factory);
        await other2.GetAsync("/s/" + sibling.Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/s/" + sibling.Token);
        request.Headers.Add("Cookie", cookie);
        using var response = await other2.Client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Contains("Confirm your child's date of birth", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        var fields = SigningBrowser.HiddenFields(other2.LastHtml);
        foreach (var (k, v) in answers) fields[k] = v;
        fields["responsibility"] = "yes";
        fields["signature-name"] = "Someone Else";
        using var post = new HttpRequestMessage(HttpMethod.Post, "/s/" + sibling.Token) { Content = new FormUrlEncodedContent(fields) };
        post.Headers.Add("Cookie", cookie);
        using var posted = await other2.Client.SendAsync(post);
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Contains("Please start again", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await db2.ConsentAnswers.AnyAsync(a => a.PupilId == other.Id));
    }

    [Fact]
    public async Task ThreeWrongDatesOfBirth_LockTheLinkForFifteenMinutes_Audited()
    {
        var (_, pupil, parent) = await PupilAsync();
        IssuedRequest request;
        await using (var db = fixture.Database.CreateDbContext())
            request = await TestRequests.IssueAsync(db, pupil, parent);
        var link = "/s/" + request.Token;
        using var browser = new SigningBrowser(fixture.Factory);
        var dobPage = (await browser.GetAsync(link)).Html;
        Task<SigningBrowser.Page> PostDob(DateOnly d) =>
            browser.PostFromAsync(dobPage, link + "/dob", SigningTestData.Dob(d).Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2)));

        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.BadRequest, (await browser.PostAsync(link + "/dob", SigningTestData.Dob(pupil.DateOfBirth.AddYears(1)))).Status);
        var third = await browser.PostAsync(link + "/dob", SigningTestData.Dob(pupil.DateOfBirth.AddYears(1)));
        Assert.Contains("Too many wrong dates of birth", third.Text, StringComparison.Ordinal);

        // Locked: even the right date does not open it, and the link itself says so.
        var rightButLocked = await PostDob(pupil.DateOfBirth);
        Assert.Contains("This link is locked until", rightButLocked.Text, StringComparison.Ordinal);
        // A way forward, and no hint that answers were lost.
        Assert.Contains("after that you can try again", rightButLocked.Text, StringComparison.Ordinal);
        Assert.Contains("Any answers you sent before are kept", rightButLocked.Text, StringComparison.Ordinal);
        Assert.Contains("contact your child's school office", rightButLocked.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Nothing has been recorded", rightButLocked.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(rightButLocked.SetCookies, c => c.StartsWith("ConsentHub.Signing=", StringComparison.Ordinal));
        Assert.Contains("This link is locked until", (await browser.GetAsync(link)).Text, StringComparison.Ordinal);

        await using (var db = fixture.Database.CreateDbContext())
        {
            var locked = Assert.Single(await db.AuditEntries.Where(e => e.Action == "signing.locked" && e.PupilId == pupil.Id).ToListAsync());
            Assert.Equal($"signer:request:{request.Id}", locked.Actor);
            Assert.DoesNotContain(request.Token, locked.Payload, StringComparison.Ordinal);
        }

        fixture.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Contains("This link is locked until", (await PostDob(pupil.DateOfBirth)).Text, StringComparison.Ordinal);
        fixture.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Contains("Confirm your child's date of birth", (await browser.GetAsync(link)).Text, StringComparison.Ordinal);
        var open = await PostDob(pupil.DateOfBirth);
        Assert.Equal(HttpStatusCode.SeeOther, open.Status);
        Assert.Contains("Photos and videos of Leo", (await browser.GetAsync(open.Location!)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShortCodeAtSign_WithTheDateOfBirth_OpensTheForm_AndRecords()
    {
        var (trust, pupil, parent) = await PupilAsync();
        IssuedRequest request;
        List<(string, string)> answers;
        await using (var db = fixture.Database.CreateDbContext())
        {
            // Paper forms are for people without email: no receipt can be sent.
            (await db.Contacts.SingleAsync(c => c.Id == parent.Id)).Email = null;
            await db.SaveChangesAsync();
            request = await TestRequests.IssueAsync(db, pupil, parent);
            answers = await SigningTestData.AnswersAsync(db, trust.FormVersionId, Audience.Parent, TestTrust.Social);
        }
        using var browser = new SigningBrowser(fixture.Factory);
        Assert.Contains("Answer with your code", (await browser.GetAsync("/sign")).Text, StringComparison.Ordinal);
        // The paper form's QR code opens the page with the code filled in; junk in the address is not echoed.
        var fromQr = await browser.GetAsync("/sign?code=" + request.ShortCode);
        Assert.Contains($"value=\"{SigningSecrets.FormatShortCode(request.ShortCode)}\"", fromQr.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", (await browser.GetAsync("/sign?code=%3Cb%3E")).Html, StringComparison.Ordinal);

        // An unknown code and a known code with the wrong date read exactly the same.
        var unknown = await browser.PostAsync("/sign", [("code", "AAAA-AAAA"), .. SigningTestData.Dob(pupil.DateOfBirth)]);
        var wrongDate = await browser.PostAsync("/sign", [("code", request.ShortCode), .. SigningTestData.Dob(pupil.DateOfBirth.AddDays(2))]);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Contains("That code and date of birth do not match", unknown.Text, StringComparison.Ordinal);
        Assert.Equal(Strip(unknown.Html, "AAAA-AAAA"), Strip(wrongDate.Html, request.ShortCode));

        // Typed as people do: lower case, a space and a dash.
        var typed = SigningSecrets.FormatShortCode(request.ShortCode).ToLowerInvariant().Replace("-", " - ", StringComparison.Ordinal);
        var right = await browser.PostAsync("/sign", [("code", typed), .. SigningTestData.Dob(pupil.DateOfBirth)]);
        Assert.Equal(HttpStatusCode.SeeOther, right.Status);
        Assert.StartsWith("/sign/form", right.Location, StringComparison.Ordinal);
        Assert.Contains("path=/sign/form", right.SetCookies.Single(c => c.StartsWith("ConsentHub.Signing=", StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);
        var form = await browser.GetAsync(right.Location!);
        Assert.Contains("Photos and videos of Leo", form.Text, StringComparison.Ordinal);

        var sent = await browser.PostAsync("/sign/form", [.. answers, ("responsibility", "yes"), ("signature-name", "Jane Links")]);
        Assert.Equal(HttpStatusCode.SeeOther, sent.Status);
        var receipt = await browser.GetAsync(sent.Location!);
        Assert.Contains("Your answers have been recorded", receipt.Text, StringComparison.Ordinal);
        Assert.Contains("please note the receipt id", receipt.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("We have emailed you", receipt.Text, StringComparison.Ordinal);
        await using var check = fixture.Database.CreateDbContext();
        Assert.Equal(answers.Count, await check.ConsentAnswers.CountAsync(a => a.SignatureRequestId == request.Id && a.Method == AnswerMethod.Online));
        var submission = await check.OnlineSubmissions.SingleAsync(s => s.SignatureRequestId == request.Id);
        Assert.False(await check.OutboxMessages.AnyAsync(m => m.BusinessKey == "signing-receipt:" + submission.Id));
    }

    [Fact]
    public async Task WithoutConfirmingTheDateOfBirth_TheFormCannotBePosted()
    {
        var (trust, pupil, parent) = await PupilAsync();
        IssuedRequest request;
        List<(string, string)> answers;
        await using (var db = fixture.Database.CreateDbContext())
        {
            request = await TestRequests.IssueAsync(db, pupil, parent);
            answers = await SigningTestData.AnswersAsync(db, trust.FormVersionId, Audience.Parent, TestTrust.Social);
        }
        using var browser = new SigningBrowser(fixture.Factory);
        await browser.GetAsync("/s/" + request.Token);
        var sent = await browser.PostAsync("/s/" + request.Token, [.. answers, ("responsibility", "yes"), ("signature-name", "Jane Links")]);
        Assert.Equal(HttpStatusCode.BadRequest, sent.Status);

        // Nor without the antiforgery token.
        using var bare = fixture.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        using var forged = await bare.PostAsync("/s/" + request.Token + "/dob", new FormUrlEncodedContent(SigningTestData.Dob(pupil.DateOfBirth).Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("This page has expired", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await using var check = fixture.Database.CreateDbContext();
        Assert.False(await check.ConsentAnswers.AnyAsync(a => a.PupilId == pupil.Id));
        await fixture.Factory.Services.GetRequiredService<AuditReadWriter>().FlushAsync();
        Assert.False(await check.SigningLockouts.AnyAsync(l => l.TargetId == request.Id));
    }

    private static string Strip(string html, string code) =>
        System.Text.RegularExpressions.Regex.Replace(html.Replace(code, "", StringComparison.OrdinalIgnoreCase), "value=\"[^\"]*\"", "value=\"\"");
}
