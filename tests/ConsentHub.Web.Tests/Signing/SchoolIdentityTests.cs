using System.Net;
using System.Text.RegularExpressions;
using ConsentHub.Consent;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Pdf;
using ConsentHub.Trust;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace ConsentHub.Web.Tests.Signing;

/// <summary>
/// A parent can see which school is asking: its name and crest head every signing page, the receipt email and the
/// receipt PDF (which names the child in full); the crest is served from an address that names no academy and
/// carries nothing personal. A change's receipt shows the full current position, not only what changed.
/// </summary>
[Collection(SigningHost.Name)]
public sealed partial class SchoolIdentityTests(SigningFixture fixture)
{
    [Fact]
    public async Task TheSchoolsNameAndCrest_HeadThePages_TheReceiptEmailAndItsPdf_WhichNamesTheChild()
    {
        TestTrust trust;
        ConsentHub.Pupils.Pupil pupil;
        ConsentHub.Pupils.Contact mum;
        IssuedRequest request;
        List<(string Key, string Value)> answers;
        string academyName;
        await using (var db = fixture.Database.CreateDbContext())
        {
            trust = await TestTrust.CreateAsync(db);
            academyName = await db.Academies.Where(a => a.Id == trust.NorthAcademyId).Select(a => a.Name).SingleAsync();
            (pupil, mum) = await TestTrust.AddPupilAsync(db, trust.NorthAcademyId, 2, "2C", "Thảo", "Đặng");
            request = await TestRequests.IssueAsync(db, pupil, mum);
            var version = await db.SignatureRequests.Where(r => r.Id == request.Id).Select(r => r.FormVersionId).SingleAsync();
            answers = await SigningTestData.AnswersAsync(db, version, Audience.Parent, TestTrust.Social, TestTrust.Displays);
        }
        var saved = await fixture.Factory.Services.GetRequiredService<SaveAcademyLogo>().HandleAsync(trust.NorthAcademyId, "crest.png", Crest(600, 600), "staff:admin");
        Assert.IsType<SaveAcademyLogo.Result.Saved>(saved);

        using var browser = new SigningBrowser(fixture.Factory);
        var link = "/s/" + request.Token;
        var dob = await browser.GetAsync(link);
        Assert.Contains($"<span class=\"signing-school-name\">{academyName}</span>", dob.Text, StringComparison.Ordinal);
        var crestPath = CrestSrc().Match(dob.Html).Groups[1].Value;
        Assert.StartsWith("/school-crest/", crestPath, StringComparison.Ordinal);
        // The address names neither the academy nor anyone in it.
        Assert.DoesNotContain(trust.NorthAcademyId.ToString(), crestPath, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(trust.NorthAcademyId.ToString("N"), crestPath, StringComparison.OrdinalIgnoreCase);

        using (var anyone = fixture.Factory.CreateClient())
        {
            using var crest = await anyone.GetAsync(crestPath);
            Assert.Equal(HttpStatusCode.OK, crest.StatusCode);
            Assert.Equal("image/png", crest.Content.Headers.ContentType?.MediaType);
            Assert.Contains("public", crest.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
            using var bitmap = SKBitmap.Decode(await crest.Content.ReadAsByteArrayAsync());
            // Scaled down for a phone, and still the crest: its navy fill.
            Assert.Equal(ReadSchoolCrest.MaxHeight, bitmap.Height);
            Assert.Equal(new SKColor(0xFF0B2F5B), bitmap.GetPixel(bitmap.Width / 2, bitmap.Height / 2));
            // A key that names no crest: nothing, and nothing to learn from.
            using var guessed = await anyone.GetAsync("/school-crest/AAAAAAAAAAAAAAAAAAAAAA.png");
            Assert.Equal(HttpStatusCode.NotFound, guessed.StatusCode);
            using var bad = await anyone.GetAsync("/school-crest/..%2f..%2fetc.png");
            Assert.Equal(HttpStatusCode.NotFound, bad.StatusCode);
        }

        var confirmed = await browser.PostAsync(link + "/dob", SigningTestData.Dob(pupil.DateOfBirth));
        var form = await browser.GetAsync(confirmed.Location!);
        Assert.Contains(crestPath, form.Html, StringComparison.Ordinal);
        Assert.Contains($"<span class=\"signing-school-name\">{academyName}</span>", form.Text, StringComparison.Ordinal);
        var sent = await browser.PostAsync(link, [.. answers, ("responsibility", "yes"), ("signature-name", "Lan Đặng")]);
        var done = await browser.GetAsync(sent.Location!);
        Assert.Contains(crestPath, done.Html, StringComparison.Ordinal);
        Assert.Contains("id=\"receipt-pupil\">Thảo Đặng</dd>", done.Text, StringComparison.Ordinal);

        // The receipt email, over real SMTP: the school's name and crest at the top.
        var mail = await MailAsync(mum.Email!, 1);
        Assert.Contains(academyName, mail[0].Message.TextBody, StringComparison.Ordinal);
        var html = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(mail[0].Message.HtmlBody!);
        Assert.Contains(academyName, html.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains(html.QuerySelectorAll("img"), img => img.GetAttribute("src") == "https://localhost" + crestPath);

        // Its PDF copy, read back: the school's name, the child's full name, and the crest on the page.
        var attachment = Assert.Single(mail[0].Message.Attachments.OfType<MimeKit.MimePart>());
        using var pdfBytes = new MemoryStream();
        await attachment.Content!.DecodeToAsync(pdfBytes);
        PdfInspection.Keep("receipt-with-school-crest.pdf", pdfBytes.ToArray());
        using (var pdf = UglyToad.PdfPig.PdfDocument.Open(pdfBytes.ToArray()))
        {
            var page = pdf.GetPage(1);
            Assert.Contains(academyName, page.Text, StringComparison.Ordinal);
            Assert.Contains("Thảo Đặng", page.Text, StringComparison.Ordinal);
            Assert.NotEmpty(page.GetImages());
        }
    }

    [Fact]
    public async Task AChangeOfOneAnswer_GivesAReceiptWithTheFullCurrentPosition_TheChangeMarked()
    {
        ConsentHub.Pupils.Pupil pupil;
        ConsentHub.Pupils.Contact mum;
        IssuedRequest request;
        List<(string Key, string Value)> answers;
        await using (var db = fixture.Database.CreateDbContext())
        {
            var trust = await TestTrust.CreateAsync(db);
            (pupil, mum) = await TestTrust.AddPupilAsync(db, trust.NorthAcademyId, 4, "4P", "Zoë", "Mureșan");
            request = await TestRequests.IssueAsync(db, pupil, mum);
            var version = await db.SignatureRequests.Where(r => r.Id == request.Id).Select(r => r.FormVersionId).SingleAsync();
            answers = await SigningTestData.AnswersAsync(db, version, Audience.Parent, TestTrust.Social, "academy-website");
        }
        using var browser = new SigningBrowser(fixture.Factory);
        var link = "/s/" + request.Token;
        await browser.GetAsync(link);
        var confirmed = await browser.PostAsync(link + "/dob", SigningTestData.Dob(pupil.DateOfBirth));
        await browser.GetAsync(confirmed.Location!);
        await browser.PostAsync(link, [.. answers, ("responsibility", "yes"), ("signature-name", "Ana Mureșan")]);
        var first = await MailAsync(mum.Email!, 1);
        var changeLink = ChangeLink().Match(first[0].Message.TextBody!).Groups[1].Value;
        Assert.NotEmpty(changeLink);

        // Withdraw consent for social media only.
        using var later = new SigningBrowser(fixture.Factory);
        await later.GetAsync(changeLink);
        var again = await later.PostAsync(changeLink + "/dob", SigningTestData.Dob(pupil.DateOfBirth));
        await later.GetAsync(again.Location!);
        var changed = answers.Select(a => a.Key == "answer-" + TestTrust.Social ? (a.Key, "no") : a).ToList();
        var sent = await later.PostAsync(changeLink, [.. changed, ("responsibility", "yes"), ("signature-name", "Ana Mureșan")]);
        Assert.Equal(HttpStatusCode.SeeOther, sent.Status);
        var receipt = await later.GetAsync(sent.Location!);

        // Every purpose with its answer now; only social media marked as just changed.
        foreach (var (key, value) in answers)
        {
            var purpose = key["answer-".Length..];
            var expected = purpose == TestTrust.Social ? "Withdraw" : value == "yes" ? "Grant" : "Refuse";
            Assert.Contains($"data-changed=\"{(purpose == TestTrust.Social ? "yes" : "no")}\" data-purpose=\"{purpose}\" data-answer=\"{expected}\"", receipt.Html, StringComparison.Ordinal);
        }
        Assert.Contains("(changed now)", receipt.Text, StringComparison.Ordinal);

        var mails = await MailAsync(mum.Email!, 2);
        var text = mails[1].Message.TextBody!;
        Assert.Contains("- Academy social media: No (consent withdrawn) (changed now)", text, StringComparison.Ordinal);
        Assert.Contains("- Academy website: Yes\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal(answers.Count, Regex.Count(text, "^- ", RegexOptions.Multiline));
    }

    [Fact]
    public async Task TheSchoolOffice_IsAWayForward_AtTheFootOfTheSchoolsPages_InTheFamilysLanguage()
    {
        TestTrust trust;
        ConsentHub.Pupils.Pupil pupil;
        ConsentHub.Pupils.Contact mum;
        IssuedRequest request;
        Academy north;
        await using (var db = fixture.Database.CreateDbContext())
        {
            trust = await TestTrust.CreateAsync(db);
            north = await db.Academies.AsNoTracking().SingleAsync(a => a.Id == trust.NorthAcademyId);
            (pupil, mum) = await TestTrust.AddPupilAsync(db, trust.NorthAcademyId, 4, "4N", "Łukasz", "Mureșan");
            request = await TestRequests.IssueAsync(db, pupil, mum);
        }
        var saved = await fixture.Factory.Services.GetRequiredService<SaveAcademy>().HandleAsync(
            new SaveAcademy.Request(north.Id, north.Code, north.Name, north.Phase, north.LowestYear, north.HighestYear, north.RegionId,
                "0117 496 0456", "office@north.example.org"), "staff:admin");
        Assert.IsType<SaveAcademy.Result.Saved>(saved);

        using var browser = new SigningBrowser(fixture.Factory);
        var link = "/s/" + request.Token;
        var dob = await browser.GetAsync(link);
        Assert.Contains("Questions? Contact the school office:", dob.Text, StringComparison.Ordinal);
        Assert.Contains("href=\"tel:01174960456\"", dob.Html, StringComparison.Ordinal);
        Assert.Contains(">0117 496 0456</a>", dob.Text, StringComparison.Ordinal);
        Assert.Contains("href=\"mailto:office@north.example.org\"", dob.Html, StringComparison.Ordinal);

        // Locked out after wrong dates of birth: the page that had no way forward names the office.
        SigningBrowser.Page wrong = dob;
        for (var i = 0; i < 10 && !wrong.Text.Contains("This link is locked until", StringComparison.Ordinal); i++)
            wrong = await browser.PostAsync(link + "/dob", SigningTestData.Dob(pupil.DateOfBirth.AddYears(-3)));
        Assert.Contains("This link is locked until", wrong.Text, StringComparison.Ordinal);
        Assert.Contains(">0117 496 0456</a>", wrong.Text, StringComparison.Ordinal);

        // In Urdu, the lead is Urdu and the number and address stay left to right.
        var urdu = await browser.GetAsync(link + "?lang=ur");
        Assert.Contains("اسکول کے دفتر سے رابطہ کریں", urdu.Text, StringComparison.Ordinal);
        Assert.Contains("dir=\"ltr\" id=\"school-office-phone\"", urdu.Html, StringComparison.Ordinal);
    }

    private static byte[] Crest(int width, int height)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        surface.Canvas.Clear(new SKColor(0xFF0B2F5B));
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    [GeneratedRegex("<img class=\"signing-crest\" src=\"([^\"]+)\"")]
    private static partial Regex CrestSrc();

    [GeneratedRegex(@"https://localhost(/sign/change/[A-Za-z0-9_-]{43})")]
    private static partial Regex ChangeLink();

    private async Task<List<ConsentHub.Testing.Smtp.ReceivedMessage>> MailAsync(string to, int count)
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
