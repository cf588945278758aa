using System.Net;
using System.Text.RegularExpressions;
using ConsentHub.Access;
using ConsentHub.Consent;
using ConsentHub.Requests;
using ConsentHub.Signing;
using ConsentHub.Testing.Builders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Tests.Signing;

/// <summary>
/// A change link stops working once a newer one is sent to the same party for the same pupil, or when the office
/// stops it: it then shows exactly the page a guessed link shows.
/// </summary>
[Collection(SigningHost.Name)]
public sealed partial class ChangeLinkRevocationTests(SigningFixture fixture)
{
    [GeneratedRegex(@"https://localhost(/sign/change/[A-Za-z0-9_-]{43})")]
    private static partial Regex ChangeLink();

    [Fact]
    public async Task TheReceiptsLink_AfterALostLinkRequest_OrAfterTheOfficeStopsIt_GetsTheSamePageAsABogusLink()
    {
        ConsentHub.Pupils.Pupil pupil;
        ConsentHub.Pupils.Contact mum;
        IssuedRequest request;
        TestTrust trust;
        await using (var db = fixture.Database.CreateDbContext())
        {
            trust = await TestTrust.CreateAsync(db);
            (pupil, mum) = await TestTrust.AddPupilAsync(db, trust.NorthAcademyId, 4, "4R", "Rhys", "Revoked");
            request = await TestRequests.IssueAsync(db, pupil, mum);
        }
        using var browser = new SigningBrowser(fixture.Factory);
        await browser.GetAsync("/s/" + request.Token);
        var dob = await browser.PostAsync("/s/" + request.Token + "/dob", SigningTestData.Dob(pupil.DateOfBirth));
        await browser.GetAsync(dob.Location!);
        await using (var db = fixture.Database.CreateDbContext())
        {
            var answers = await SigningTestData.AnswersAsync(db, trust.FormVersionId, Audience.Parent, TestTrust.Social);
            Assert.Equal(HttpStatusCode.SeeOther, (await browser.PostAsync("/s/" + request.Token, [.. answers, ("responsibility", "yes"), ("signature-name", "Ria Revoked")])).Status);
        }
        var receiptLink = ChangeLink().Match(await WaitForMailAsync(mum.Email!, 1)).Groups[1].Value;
        Assert.NotEmpty(receiptLink);
        using var bogusBrowser = new SigningBrowser(fixture.Factory);
        var bogus = await bogusBrowser.GetAsync("/sign/change/" + SigningSecrets.NewToken());
        Assert.Equal(HttpStatusCode.NotFound, bogus.Status);

        // Lost the receipt: a new link by email, and the receipt's link is dead.
        using var lost = new SigningBrowser(fixture.Factory);
        await lost.GetAsync("/sign/lost");
        Assert.Equal(HttpStatusCode.OK, (await lost.PostAsync("/sign/lost", ("email", mum.Email!))).Status);
        var newLink = ChangeLink().Match(await WaitForMailAsync(mum.Email!, 2)).Groups[1].Value;
        Assert.NotEqual(receiptLink, newLink);

        using var oldPhone = new SigningBrowser(fixture.Factory);
        var old = await oldPhone.GetAsync(receiptLink);
        Assert.Equal(HttpStatusCode.NotFound, old.Status);
        Assert.Equal(bogus.Html, old.Html);
        using var newPhone = new SigningBrowser(fixture.Factory);
        Assert.Contains("Confirm your child's date of birth", (await newPhone.GetAsync(newLink)).Text, StringComparison.Ordinal);

        // The office stops the new one too (a shared mailbox, say): audited, and it is as dead as a guess.
        var office = AccessScope.Academy(trust.NorthAcademyId, "staff:office-test");
        var revoked = await fixture.Factory.Services.GetRequiredService<RevokeChangeLinks>().HandleAsync(office, pupil.Id, mum.Id);
        Assert.Equal(1, Assert.IsType<RevokeChangeLinks.Result.Revoked>(revoked).Links);
        using var afterRevoke = new SigningBrowser(fixture.Factory);
        var stopped = await afterRevoke.GetAsync(newLink);
        Assert.Equal(HttpStatusCode.NotFound, stopped.Status);
        Assert.Equal(bogus.Html, stopped.Html);
        await using (var db = fixture.Database.CreateDbContext())
        {
            var entry = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Action == "signing.links-revoked" && e.PupilId == pupil.Id);
            Assert.Equal("staff:office-test", entry.Actor);
            Assert.True(await db.SignerLinks.Where(l => l.PupilId == pupil.Id).AllAsync(l => l.RevokedAt != null));
        }

        // Another academy's office cannot stop them (nor learn that the pupil exists).
        var south = AccessScope.Academy(trust.SouthAcademyId, "staff:south-office");
        Assert.IsType<RevokeChangeLinks.Result.NotFound>(await fixture.Factory.Services.GetRequiredService<RevokeChangeLinks>().HandleAsync(south, pupil.Id, mum.Id));
    }

    private async Task<string> WaitForMailAsync(string to, int count)
    {
        for (var i = 0; i < 300; i++)
        {
            var mine = fixture.Smtp.Messages.Where(m => m.Recipients.Contains(to, StringComparer.OrdinalIgnoreCase)).ToList();
            if (mine.Count >= count) return mine[count - 1].Message.TextBody ?? "";
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"Expected {count} message(s) to {to}; the sink has {fixture.Smtp.Messages.Count} in all.");
    }
}
