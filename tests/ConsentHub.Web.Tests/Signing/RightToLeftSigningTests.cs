using System.Net;
using ConsentHub.Consent;
using ConsentHub.Consent.FormVersions;
using ConsentHub.Testing.Builders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Tests.Signing;

/// <summary>
/// Urdu and Arabic pages read right to left; every supported language has the public pages' text; a language the
/// trust has not signed off says "to be reviewed by the trust" on the page until a reviewer signs it off.
/// </summary>
[Collection(SigningHost.Name)]
public sealed class RightToLeftSigningTests(SigningFixture fixture)
{
    private const string UrduReviewNote = "اس ترجمے کا ٹرسٹ کی طرف سے جائزہ لیا جانا باقی ہے";

    [Fact]
    public async Task AnUrduContact_GetsRightToLeftPagesInUrdu_WithTheReviewNote_UntilAReviewerSignsUrduOff()
    {
        IssuedRequest request;
        ConsentHub.Pupils.Pupil pupil;
        Guid current;
        await using (var db = fixture.Database.CreateDbContext())
        {
            var trust = await TestTrust.CreateAsync(db);
            (pupil, _) = await TestTrust.AddPupilAsync(db, trust.NorthAcademyId, 2, "2U", "Ayesha", "محمد");
            var abba = await TestRequests.AddParentAsync(db, pupil, "Imran", language: "ur");
            request = await TestRequests.IssueAsync(db, pupil, abba);
            current = await db.FormVersions.Where(v => v.PublishedAt != null).OrderByDescending(v => v.PublishedAt).Select(v => v.Id).FirstAsync();
        }
        using var browser = new SigningBrowser(fixture.Factory);
        var link = "/s/" + request.Token;

        var dob = await browser.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, dob.Status);
        Assert.Contains("<html lang=\"ur\" dir=\"rtl\">", dob.Html, StringComparison.Ordinal);
        Assert.Contains("bootstrap.rtl.min.css", dob.Html, StringComparison.Ordinal);
        Assert.Contains("اپنے بچے کی تاریخ پیدائش کی تصدیق کریں", dob.Text, StringComparison.Ordinal);
        Assert.Contains(UrduReviewNote, dob.Text, StringComparison.Ordinal);
        Assert.Contains("This translation is to be reviewed by the trust.", dob.Text, StringComparison.Ordinal);
        // Still a static page: no script, not cached, no referrer; English one tap away.
        Assert.DoesNotContain("<script", dob.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("no-store", dob.CacheControl, StringComparison.Ordinal);
        Assert.Equal("no-referrer", dob.ReferrerPolicy);
        Assert.Contains($"href=\"{link}?lang=en\"", dob.Html, StringComparison.Ordinal);

        // Bad input: a clear message in Urdu, never a 500; the language is kept.
        var missing = await browser.PostAsync(link + "/dob", ("day", "x"));
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Contains("<html lang=\"ur\" dir=\"rtl\">", missing.Html, StringComparison.Ordinal);
        Assert.Contains("تاریخ پیدائش دن، مہینہ اور سال کی صورت میں لکھیں", missing.Text, StringComparison.Ordinal);

        var confirmed = await browser.PostAsync(link + "/dob", SigningTestData.Dob(pupil.DateOfBirth));
        Assert.Equal(HttpStatusCode.SeeOther, confirmed.Status);
        Assert.EndsWith("lang=ur", confirmed.Location!, StringComparison.Ordinal);
        var form = await browser.GetAsync(confirmed.Location!);
        Assert.Contains("<html lang=\"ur\" dir=\"rtl\">", form.Html, StringComparison.Ordinal);
        Assert.Contains("Ayesha کی تصاویر اور ویڈیوز", form.Text, StringComparison.Ordinal);
        Assert.Contains(UrduReviewNote, form.Text, StringComparison.Ordinal);

        var signOff = fixture.Factory.Services.GetRequiredService<SignOffTranslation>();
        Assert.IsType<SignOffTranslation.Result.SignedOff>(await signOff.HandleAsync(current, "ur", "reviewer@trust.test"));
        Assert.IsType<SignOffTranslation.Result.AlreadySignedOff>(await signOff.HandleAsync(current, "ur", "someone-else@trust.test"));
        await using (var db = fixture.Database.CreateDbContext())
        {
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "translation.signed-off" && e.EntityId == current.ToString()));
        }

        var reviewed = await browser.GetAsync(confirmed.Location!);
        Assert.Contains("<html lang=\"ur\" dir=\"rtl\">", reviewed.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(UrduReviewNote, reviewed.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ar", "rtl", "الموافقة على الصور ومقاطع الفيديو", "لم تُراجع هذه الترجمة")]
    [InlineData("ro", "ltr", "Acord pentru fotografii și videoclipuri", "Această traducere urmează să fie verificată de trust")]
    [InlineData("pa", "ltr", "ਫੋਟੋਆਂ ਅਤੇ ਵੀਡੀਓ ਲਈ ਸਹਿਮਤੀ", "ਇਸ ਅਨੁਵਾਦ ਦੀ ਟਰੱਸਟ ਵੱਲੋਂ ਸਮੀਖਿਆ ਹੋਣੀ ਬਾਕੀ ਹੈ")]
    [InlineData("pl", "ltr", "Zgoda na zdjęcia i nagrania", "To tłumaczenie czeka na sprawdzenie przez trust")]
    public async Task ThePublicPages_AreInEachSupportedLanguage_WithItsDirection_AndMarkedForReview(string language, string dir, string siteName, string note)
    {
        using var browser = new SigningBrowser(fixture.Factory);

        var page = await browser.GetAsync("/sign?lang=" + language);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains($"<html lang=\"{language}\" dir=\"{dir}\">", page.Html, StringComparison.Ordinal);
        Assert.Contains(siteName, page.Text, StringComparison.Ordinal);
        Assert.Contains(note, page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page.Html, StringComparison.OrdinalIgnoreCase);
        // Every other language is offered, each link marked with its own language and direction.
        foreach (var other in ConsentHub.Signing.SigningLanguage.Supported.Where(l => l != language))
            Assert.Contains($"href=\"/sign?lang={other}\" lang=\"{other}\" hreflang=\"{other}\" dir=\"{ConsentHub.Signing.SigningLanguage.Direction(other)}\"", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task English_NeedsNoReview_AndShowsNoNote()
    {
        using var browser = new SigningBrowser(fixture.Factory);
        var page = await browser.GetAsync("/sign?lang=en");
        Assert.Contains("<html lang=\"en\" dir=\"ltr\">", page.Html, StringComparison.Ordinal);
        Assert.Empty(page.Html.Split("signing-review-note").Skip(1));
    }
}
