using AngleSharp.Html.Parser;
using ConsentHub.Consent;
using ConsentHub.Testing.Builders;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Web.Tests.Signing;

/// <summary>
/// Emails as a phone shows them, read from the SMTP sink: a viewport so the mail client does not shrink the text,
/// and long links that wrap instead of widening the message.
/// </summary>
[Collection(SigningHost.Name)]
public sealed class EmailOnAPhoneTests(SigningFixture fixture)
{
    [Fact]
    public async Task TheReceiptAndTheNewLinkEmails_HaveAViewport_AndLinksThatWrap()
    {
        ConsentHub.Pupils.Pupil pupil;
        ConsentHub.Pupils.Contact mum;
        IssuedRequest request;
        List<(string, string)> answers;
        await using (var db = fixture.Database.CreateDbContext())
        {
            var trust = await TestTrust.CreateAsync(db);
            (pupil, mum) = await TestTrust.AddPupilAsync(db, trust.NorthAcademyId, 2, "2M", "Thảo", "Đặng");
            request = await TestRequests.IssueAsync(db, pupil, mum);
            var version = await db.SignatureRequests.Where(r => r.Id == request.Id).Select(r => r.FormVersionId).SingleAsync();
            answers = await SigningTestData.AnswersAsync(db, version, Audience.Parent, TestTrust.Social);
        }
        using var browser = new SigningBrowser(fixture.Factory);
        var link = "/s/" + request.Token;
        await browser.GetAsync(link);
        var confirmed = await browser.PostAsync(link + "/dob", SigningTestData.Dob(pupil.DateOfBirth));
        await browser.GetAsync(confirmed.Location!);
        await browser.PostAsync(link, [.. answers, ("responsibility", "yes"), ("signature-name", "Lan Đặng")]);
        var receipt = await MailAsync(m => m.Recipients.Contains(mum.Email!, StringComparer.OrdinalIgnoreCase) && m.Message.TextBody!.Contains("Receipt id", StringComparison.Ordinal));

        using var lost = new SigningBrowser(fixture.Factory);
        await lost.GetAsync("/sign/lost");
        await lost.PostAsync("/sign/lost", ("email", mum.Email!));
        var links = await MailAsync(m => m.Recipients.Contains(mum.Email!, StringComparer.OrdinalIgnoreCase) && m.Message.TextBody!.Contains("/sign/change/", StringComparison.Ordinal)
            && !m.Message.TextBody.Contains("Receipt id", StringComparison.Ordinal));

        foreach (var html in new[] { receipt.Message.HtmlBody!, links.Message.HtmlBody! })
        {
            var doc = new HtmlParser().ParseDocument(html);
            Assert.Equal("width=device-width, initial-scale=1", doc.QuerySelector("head meta[name=viewport]")?.GetAttribute("content"));
            Assert.Contains("overflow-wrap: anywhere", doc.Body!.GetAttribute("style"), StringComparison.Ordinal);
            var anchor = Assert.Single(doc.QuerySelectorAll("a"), a => a.GetAttribute("href")!.Contains("/sign/change/", StringComparison.Ordinal));
            Assert.True(doc.Body.Contains(anchor));
        }
    }

    private async Task<ConsentHub.Testing.Smtp.ReceivedMessage> MailAsync(Func<ConsentHub.Testing.Smtp.ReceivedMessage, bool> match)
    {
        for (var i = 0; i < 300; i++)
        {
            if (fixture.Smtp.Messages.FirstOrDefault(match) is { } mail) return mail;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException("The email never reached the SMTP sink.");
    }
}
