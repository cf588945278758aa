using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Requests;
using ConsentHub.Signing;
using ConsentHub.Takedowns;
using ConsentHub.Testing.Builders;
using ConsentHub.Trust;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Tests.Signing;

/// <summary>
/// The whole way over HTTP on the real host, real PostgreSQL and real SMTP: a request exists → the link opens
/// (twice, changing nothing) → wrong then right date of birth → answers → receipt email → the check API → withdraw
/// from the change link → not allowed at once, with takedown tasks.
/// </summary>
[Collection(SigningHost.Name)]
public sealed class SigningJourneyTests(SigningFixture fixture)
{
    [Fact]
    public async Task Parent_OpensAnswersAndWithdraws_AndEveryCheckFollowsAtOnce()
    {
        TestTrust trust;
        ConsentHub.Pupils.Pupil pupil;
        ConsentHub.Pupils.Contact mum;
        IssuedRequest request;
        List<(string, string)> answers;
        await using (var db = fixture.Database.CreateDbContext())
        {
            trust = await SigningTestData.TrustAsync(db);
            (pupil, mum) = await TestTrust.AddPupilAsync(db, trust.NorthAcademyId, 3, "3J", "Ava", "Journey");
            request = await TestRequests.IssueAsync(db, pupil, mum);
            answers = await SigningTestData.AnswersAsync(db, trust.FormVersionId, Audience.Parent, TestTrust.Social, "academy-website");
        }
        var apiKey = await SigningTestData.ApiKeyAsync(fixture.Factory.Services, trust.NorthAcademyId);
        using var browser = new SigningBrowser(fixture.Factory);
        var link = "/s/" + request.Token;

        // Mail scanners open links: two GETs change nothing.
        var first = await browser.GetAsync(link);
        var second = await browser.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Contains("Confirm your child's date of birth", second.Text, StringComparison.Ordinal);
        // No name before the date of birth (hidden inputs hold a random anti-forgery token, which may spell anything).
        Assert.DoesNotContain("Ava", Regex.Replace(second.Text, "<input[^>]*type=\"hidden\"[^>]*>", ""), StringComparison.Ordinal);
        Assert.Contains("no-store", first.CacheControl, StringComparison.Ordinal);
        Assert.Equal("no-referrer", first.ReferrerPolicy);
        Assert.Contains("<html lang=\"en\"", first.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", first.Html, StringComparison.Ordinal);
        await AssertNothingRecordedAsync(request);

        var wrong = await browser.PostAsync(link + "/dob", SigningTestData.Dob(pupil.DateOfBirth.AddDays(1)));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
        Assert.Contains("does not match our records", wrong.Text, StringComparison.Ordinal);

        var right = await browser.PostAsync(link + "/dob", SigningTestData.Dob(pupil.DateOfBirth));
        Assert.Equal(HttpStatusCode.SeeOther, right.Status);
        var cookie = Assert.Single(right.SetCookies, c => c.StartsWith("ConsentHub.Signing=", StringComparison.Ordinal));
        Assert.Contains($"path={link}", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);

        var form = await browser.GetAsync(right.Location!);
        Assert.Equal(HttpStatusCode.OK, form.Status);
        Assert.Contains("Photos and videos of Ava", form.Text, StringComparison.Ordinal);
        Assert.Contains("I have parental responsibility for Ava", form.Text, StringComparison.Ordinal);
        Assert.Empty(form.Checked); // nothing pre-selected
        await AssertNothingRecordedAsync(request);

        // Half a form: every missing answer named, nothing recorded.
        var partial = await browser.PostAsync(link, [answers.First(a => a.Item1 != "answer-" + TestTrust.Social), ("signature-name", "Jane Journey")]);
        Assert.Equal(HttpStatusCode.BadRequest, partial.Status);
        Assert.Contains("There is a problem", partial.Text, StringComparison.Ordinal);
        Assert.Contains("Tick the box to confirm you have parental responsibility for Ava", partial.Text, StringComparison.Ordinal);
        Assert.Contains("href=\"#answer-academy-social\"", partial.Html, StringComparison.Ordinal);
        await AssertNothingRecordedAsync(request);

        var sent = await browser.PostAsync(link, [.. answers, ("responsibility", "yes"), ("signature-name", "Jane Journey")]);
        Assert.Equal(HttpStatusCode.SeeOther, sent.Status);
        var done = await browser.GetAsync(sent.Location!);
        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.Contains("Your answers have been recorded", done.Text, StringComparison.Ordinal);
        Assert.Contains($"data-purpose=\"{TestTrust.Social}\" data-answer=\"Grant\"", done.Html, StringComparison.Ordinal);
        Assert.Contains("data-purpose=\"press-media\" data-answer=\"Refuse\"", done.Html, StringComparison.Ordinal);
        // A public-task purpose is not consented to: its "no" is an objection; a consent purpose's "no" stays "No".
        Assert.Contains($"data-purpose=\"{TestTrust.Displays}\" data-answer=\"Refuse\">No (objection recorded)</td>", done.Html, StringComparison.Ordinal);
        Assert.Contains("data-purpose=\"press-media\" data-answer=\"Refuse\">No</td>", done.Html, StringComparison.Ordinal);
        // The receipt names the child whose answers these are.
        Assert.Contains($"id=\"receipt-pupil\">{pupil.DisplayName}</dd>", done.Html, StringComparison.Ordinal);

        await using (var db = fixture.Database.CreateDbContext())
        {
            var recorded = await db.ConsentAnswers.Where(a => a.SignatureRequestId == request.Id).ToListAsync();
            Assert.Equal(answers.Count, recorded.Count);
            Assert.All(recorded, a =>
            {
                Assert.Equal(AnswerMethod.Online, a.Method);
                Assert.Equal(trust.FormVersionId, a.FormVersionId);
                Assert.Equal("Jane Journey", a.SignatureName);
                Assert.Equal(mum.Id, a.ContactId);
            });
            Assert.Equal(RequestStatus.Answered, (await db.SignatureRequests.SingleAsync(r => r.Id == request.Id)).Status);
        }

        // The receipt, over real SMTP.
        var receipt = await WaitForMailAsync(mum.Email!, 1);
        var text = receipt[0].Message.TextBody ?? "";
        Assert.Contains("No (objection recorded)", text, StringComparison.Ordinal);
        var receiptNumber = System.Text.RegularExpressions.Regex.Match(done.Html, "id=\"receipt-number\">([^<]+)<").Groups[1].Value;
        Assert.Contains(receiptNumber, text, StringComparison.Ordinal);
        Assert.Contains("- Academy social media: Yes", text, StringComparison.Ordinal);
        Assert.Contains("- Press and media: No", text, StringComparison.Ordinal);
        Assert.Contains("Form wording version: " + SeedReferenceData.FirstFormVersionLabel, text, StringComparison.Ordinal);
        // The PDF copy, read back from the attachment as it arrived at the sink.
        var attachment = Assert.Single(receipt[0].Message.Attachments.OfType<MimeKit.MimePart>());
        Assert.Equal("application/pdf", attachment.ContentType.MimeType);
        using (var pdfBytes = new MemoryStream())
        {
            await attachment.Content!.DecodeToAsync(pdfBytes);
            var pdfText = string.Join("\n", ConsentHub.Testing.Pdf.PdfInspection.PageTexts(pdfBytes.ToArray()));
            ConsentHub.Testing.Pdf.PdfInspection.Keep("signing-receipt.pdf", pdfBytes.ToArray());
            Assert.Contains(receiptNumber, pdfText, StringComparison.Ordinal);
            Assert.Contains("Academy social media Yes", pdfText, StringComparison.Ordinal);
            Assert.Contains("Press and media No", pdfText, StringComparison.Ordinal);
            Assert.Contains("Form wording version: " + SeedReferenceData.FirstFormVersionLabel, pdfText, StringComparison.Ordinal);
            Assert.DoesNotContain("/sign/change/", pdfText, StringComparison.Ordinal);
        }
        var changeLink = System.Text.RegularExpressions.Regex.Match(text, @"https://localhost(/sign/change/[A-Za-z0-9_-]{43})").Groups[1].Value;
        Assert.NotEmpty(changeLink);

        using var api = fixture.Factory.CreateClient();
        api.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        Assert.Equal("Allowed", await StatusAsync(api, pupil.Id, TestTrust.Social));

        // Change of mind, from the link in the receipt: the same form, prefilled.
        using var later = new SigningBrowser(fixture.Factory);
        Assert.Contains("Confirm your child's date of birth", (await later.GetAsync(changeLink)).Text, StringComparison.Ordinal);
        var confirmed = await later.PostAsync(changeLink + "/dob", SigningTestData.Dob(pupil.DateOfBirth));
        Assert.Equal(HttpStatusCode.SeeOther, confirmed.Status);
        var change = await later.GetAsync(confirmed.Location!);
        Assert.Contains("answer-academy-social", change.Checked);
        Assert.Contains("answer-press-media-no", change.Checked);
        Assert.Contains("Withdraw all consent", change.Text, StringComparison.Ordinal);

        // "Withdraw all" asks once more and changes nothing until confirmed.
        var confirm = await later.PostAsync(changeLink, ("action", "withdraw-all"));
        Assert.Contains("Yes, withdraw all consent", confirm.Text, StringComparison.Ordinal);
        Assert.Equal("Allowed", await StatusAsync(api, pupil.Id, TestTrust.Social));
        var withdrawn = await later.PostAsync(changeLink, ("action", "withdraw-all-confirmed"));
        Assert.Equal(HttpStatusCode.SeeOther, withdrawn.Status);
        var withdrawnReceipt = await later.GetAsync(withdrawn.Location!);
        Assert.Contains($"data-purpose=\"{TestTrust.Social}\" data-answer=\"Withdraw\"", withdrawnReceipt.Html, StringComparison.Ordinal);

        Assert.Equal("NotAllowed", await StatusAsync(api, pupil.Id, TestTrust.Social));
        Assert.Equal("NotAllowed", await StatusAsync(api, pupil.Id, "academy-website"));

        await using (var db = fixture.Database.CreateDbContext())
        {
            // Two withdrawn purposes that publish on accounts × the academy's, the region's and the trust's open accounts.
            var tasks = await db.TakedownTasks.Where(t => t.PupilId == pupil.Id).ToListAsync();
            Assert.Equal(6, tasks.Count);
            Assert.All(tasks, t => Assert.Equal(TakedownTask.WithdrawalReason, t.Reason));
            Assert.Equal(2, tasks.Select(t => t.PurposeId).Distinct().Count());
            var accounts = await db.AffiliatedAccounts.Where(a => tasks.Select(t => t.AccountId).Contains(a.Id)).ToListAsync();
            Assert.All(accounts, a => Assert.Null(a.ClosedAt));
            Assert.DoesNotContain(accounts, a => a.ScopeId == trust.SouthAcademyId);

            // Creating them again adds none.
            var withdrawals = await db.ConsentAnswers.Where(a => a.PupilId == pupil.Id && a.Kind == AnswerKind.Withdraw).ToListAsync();
            await using var tx = await db.Database.BeginTransactionAsync();
            Assert.Equal(0, await CreateTakedownTasks.HandleAsync(db, pupil.Id, pupil.AcademyId, withdrawals, DateTimeOffset.UtcNow, default));
        }
        Assert.Contains("No (consent withdrawn)", (await WaitForMailAsync(mum.Email!, 2))[1].Message.TextBody, StringComparison.Ordinal);

        // No token, request or change link, reached a log line.
        var changeToken = changeLink[(changeLink.LastIndexOf('/') + 1)..];
        Assert.DoesNotContain(fixture.Logs.Lines, l => l.Contains(request.Token, StringComparison.Ordinal) || l.Contains(changeToken, StringComparison.Ordinal));
        // The capture did see the framework's debug output, so the absence above means something.
        Assert.Contains(fixture.Logs.Lines, l => l.StartsWith("Debug Microsoft.AspNetCore.", StringComparison.Ordinal));
    }

    private async Task AssertNothingRecordedAsync(IssuedRequest request)
    {
        await fixture.Factory.Services.GetRequiredService<AuditReadWriter>().FlushAsync();
        await using var db = fixture.Database.CreateDbContext();
        Assert.False(await db.ConsentAnswers.AnyAsync(a => a.PupilId == request.PupilId));
        Assert.Equal(RequestStatus.Open, (await db.SignatureRequests.SingleAsync(r => r.Id == request.Id)).Status);
        Assert.False(await db.AuditEntries.AnyAsync(e => e.PupilId == request.PupilId && e.Action != "signing.dob-wrong" && e.Action != "signing.dob-confirmed" && e.Action != "signing.form-viewed"));
        Assert.False(await db.OnlineSubmissions.AnyAsync(s => s.SignatureRequestId == request.Id));
    }

    internal static async Task<string> StatusAsync(HttpClient api, Guid pupilId, string purpose)
    {
        using var response = await api.GetAsync($"/api/v1/pupils/{pupilId}/consent?purpose={purpose}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return body.GetProperty("purposes").EnumerateArray().Single(p => p.GetProperty("purpose").GetString() == purpose).GetProperty("status").GetString()!;
    }

    private async Task<List<Testing.Smtp.ReceivedMessage>> WaitForMailAsync(string to, int count)
    {
        for (var i = 0; i < 300; i++)
        {
            var mine = fixture.Smtp.Messages.Where(m => m.Recipients.Contains(to, StringComparer.OrdinalIgnoreCase)).ToList();
            if (mine.Count >= count) return mine;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"Expected {count} message(s) to {to}; the sink has {fixture.Smtp.Messages.Count} in all.");
    }
}
