using ConsentHub.Consent;
using ConsentHub.Email;
using ConsentHub.Signing;
using Microsoft.Extensions.Options;

namespace ConsentHub.Tests.Signing;

/// <summary>The receipt email from the trust's Liquid templates, as a parent or pupil reads it, in English and Polish.</summary>
public sealed class ReceiptEmailTests
{
    private static readonly EmailTemplates Templates = new(Options.Create(new TemplateOptions()));
    private static readonly DateTimeOffset At = new(2026, 12, 1, 18, 40, 0, TimeSpan.Zero);
    private static readonly Uri Change = new("https://consent.trust.example/sign/change/abc");

    private static readonly ReceiptLine[] Lines =
    [
        new("academy-social", "Academy social media", AnswerKind.Grant),
        new("press", "Press <and> media", AnswerKind.Withdraw),
    ];

    [Fact]
    public void AParentsReceipt_ListsEachAnswer_TheFacts_AndTheChangeLink()
    {
        var m = SigningEmails.Receipt(Templates, "en", false, "Ava", "R-ACDE-FG23", "2026.1", At, "Jane Jones", Lines, Change, At.AddDays(400));

        Assert.Equal("Your photo and video consent answers for Ava (R-ACDE-FG23)", m.Subject);
        Assert.Equal("""
            Thank you. This is what we recorded about photos and videos of Ava:

            - Academy social media: Yes
            - Press <and> media: No (consent withdrawn)

            When: 1 December 2026, 18:40 (UK time)
            Form wording version: 2026.1
            Receipt id: R-ACDE-FG23
            Signed by: Jane Jones

            You can change your mind or withdraw consent at any time with this link. It is personal to you: please do not forward it. It works until 5 January 2028.
            https://consent.trust.example/sign/change/abc
            """, m.Text.TrimEnd());
        Assert.Contains("<li>Press &lt;and&gt; media: <strong>No (consent withdrawn)</strong></li>", m.Html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://consent.trust.example/sign/change/abc\">", m.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void APupilsReceipt_UsesThePlainWording_AndOmitsWhatIsMissing()
    {
        var m = SigningEmails.Receipt(Templates, "en", true, "Zoë", "R-1", "2026.1", At, null, Lines[..1], null, null);

        Assert.Equal("Your photo and video answers (R-1)", m.Subject);
        Assert.StartsWith("Thank you. This is what you told us:", m.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Signed by", m.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("change your mind", m.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void APolishReceipt_IsInPolish_AndAnUnknownLanguageFallsBackToEnglish()
    {
        var pl = SigningEmails.Receipt(Templates, "pl", false, "Zoë", "R-2", "2026.1", At, "Piotr Nowak", Lines, Change, At.AddDays(400));
        var other = SigningEmails.Receipt(Templates, "de", false, "Zoë", "R-3", "2026.1", At, null, Lines, null, null);

        Assert.Equal("Potwierdzenie odpowiedzi w sprawie zdjęć i nagrań – Zoë (R-2)", pl.Subject);
        Assert.Contains("- Academy social media: Tak", pl.Text, StringComparison.Ordinal);
        Assert.Contains("Kiedy: 1 grudnia 2026, 18:40 (czas brytyjski)", pl.Text, StringComparison.Ordinal);
        Assert.Contains("lang=\"pl\"", pl.Html, StringComparison.Ordinal);
        Assert.StartsWith("Your photo and video consent answers for Zoë", other.Subject, StringComparison.Ordinal);
    }
}
