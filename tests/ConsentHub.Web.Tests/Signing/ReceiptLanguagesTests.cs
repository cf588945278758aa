using System.Globalization;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Pdf;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Web.Tests.Signing;

/// <summary>
/// A parent who reads Urdu, Arabic, Romanian or Punjabi gets the receipt email (read from the SMTP sink) and its PDF
/// in that language: the wording, the answers, the date with the month in the language, the greeting, and the
/// right direction; marked as a translation to be reviewed.
/// </summary>
[Collection(SigningHost.Name)]
public sealed class ReceiptLanguagesTests(SigningFixture fixture)
{
    [Theory]
    [InlineData("ur", "ur-PK", "rtl", "شکریہ۔ ہم نے Layla کی تصاویر اور ویڈیوز کے بارے میں یہ درج کیا:", "ہاں", "محترم Sara Rahman،", "آپ کے جوابات: رسید")]
    [InlineData("ar", "ar-EG", "rtl", "شكرًا لك. هذا ما سجّلناه بشأن صور ومقاطع فيديو Layla:", "نعم", "مرحبًا Sara Rahman،", "إجاباتك: إيصال")]
    [InlineData("ro", "ro-RO", "ltr", "Vă mulțumim. Iată ce am înregistrat despre fotografiile și videoclipurile cu Layla:", "Da", "Bună ziua, Sara Rahman,", "Răspunsurile dvs.: confirmare")]
    [InlineData("pa", "pa-IN", "ltr", "ਧੰਨਵਾਦ। ਅਸੀਂ Layla ਦੀਆਂ ਫੋਟੋਆਂ ਅਤੇ ਵੀਡੀਓ ਬਾਰੇ ਇਹ ਦਰਜ ਕੀਤਾ:", "ਹਾਂ", "ਪਿਆਰੇ Sara Rahman ਜੀ,", "ਤੁਹਾਡੇ ਜਵਾਬ: ਰਸੀਦ")]
    public async Task TheReceiptEmailAndItsPdf_AreInTheParentsLanguage(string language, string culture, string dir, string intro, string yes, string greeting, string pdfTitle)
    {
        ConsentHub.Pupils.Pupil pupil;
        ConsentHub.Pupils.Contact parent;
        IssuedRequest request;
        List<(string Key, string Value)> answers;
        await using (var db = fixture.Database.CreateDbContext())
        {
            var trust = await TestTrust.CreateAsync(db);
            (pupil, _) = await TestTrust.AddPupilAsync(db, trust.NorthAcademyId, 2, "2L", "Layla", "Rahman");
            parent = await TestRequests.AddParentAsync(db, pupil, "Sara", language: language);
            var stored = await db.Contacts.SingleAsync(c => c.Id == parent.Id);
            stored.Title = null; // no title: greeted by name
            await db.SaveChangesAsync();
            request = await TestRequests.IssueAsync(db, pupil, parent);
            var version = await db.SignatureRequests.Where(r => r.Id == request.Id).Select(r => r.FormVersionId).SingleAsync();
            answers = await SigningTestData.AnswersAsync(db, version, Audience.Parent, TestTrust.Social);
        }
        using var browser = new SigningBrowser(fixture.Factory);
        var link = "/s/" + request.Token;
        await browser.GetAsync(link);
        var confirmed = await browser.PostAsync(link + "/dob", SigningTestData.Dob(pupil.DateOfBirth));
        Assert.EndsWith("lang=" + language, confirmed.Location!, StringComparison.Ordinal);
        await browser.GetAsync(confirmed.Location!);
        var sent = await browser.PostAsync(link, [.. answers, ("responsibility", "yes"), ("signature-name", "Sara Rahman"), ("lang", language)]);
        Assert.Equal(System.Net.HttpStatusCode.SeeOther, sent.Status);

        var mail = await MailAsync(parent.Email!);
        var text = mail.Message.TextBody!;
        var month = CultureInfo.GetCultureInfo(culture).DateTimeFormat.GetMonthName(UkCalendar.ToLocal(fixture.Clock.GetUtcNow()).Month);
        var englishMonth = CultureInfo.GetCultureInfo("en-GB").DateTimeFormat.GetMonthName(UkCalendar.ToLocal(fixture.Clock.GetUtcNow()).Month);
        Assert.Contains(greeting, text, StringComparison.Ordinal);
        Assert.Contains(intro, text, StringComparison.Ordinal);
        Assert.Contains($": {yes}", text, StringComparison.Ordinal);
        Assert.Contains(month, text, StringComparison.Ordinal);
        Assert.DoesNotContain(englishMonth, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Thank you", text, StringComparison.Ordinal);
        Assert.Contains("This translation is to be reviewed by the trust.", text, StringComparison.Ordinal);
        Assert.Contains($"<html lang=\"{language}\" dir=\"{dir}\">", mail.Message.HtmlBody, StringComparison.Ordinal);

        var attachment = Assert.Single(mail.Message.Attachments.OfType<MimeKit.MimePart>());
        using var pdf = new MemoryStream();
        await attachment.Content!.DecodeToAsync(pdf);
        PdfInspection.Keep($"receipt-{language}.pdf", pdf.ToArray());
        var pdfText = string.Join("\n", PdfInspection.PageTexts(pdf.ToArray()));
        Assert.DoesNotContain('\uFFFD', pdfText);
        Assert.Contains("Layla Rahman", pdfText, StringComparison.Ordinal);
        if (dir == "ltr")
        {
            // Right-to-left text reads back from a PDF in visual order, so only the left-to-right titles are compared whole.
            // PdfPig may put a space between a Gurmukhi letter and its vowel sign; the letters are compared.
            var letters = string.Concat(pdfText.Where(c => !char.IsWhiteSpace(c)));
            Assert.Contains(string.Concat(pdfTitle.Where(c => !char.IsWhiteSpace(c))), letters, StringComparison.Ordinal);
            Assert.Contains(month, letters, StringComparison.Ordinal);
        }
    }

    private async Task<ConsentHub.Testing.Smtp.ReceivedMessage> MailAsync(string to)
    {
        for (var i = 0; i < 300; i++)
        {
            if (fixture.Smtp.Messages.FirstOrDefault(m => m.Recipients.Contains(to, StringComparer.OrdinalIgnoreCase)) is { } mail) return mail;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException("The receipt never reached the SMTP sink.");
    }
}
