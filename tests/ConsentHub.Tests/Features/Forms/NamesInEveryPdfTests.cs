using ConsentHub.Consent;
using ConsentHub.Email;
using ConsentHub.Forms;
using ConsentHub.Pdf;
using ConsentHub.Signing;
using ConsentHub.Testing.Ordering;
using ConsentHub.Testing.Pdf;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace ConsentHub.Tests.Forms;

/// <summary>
/// Every kind of PDF the app prints, filled with names from every script a UK school's families write in (the
/// names corpus): read back with PdfPig, no character is replaced and every name reads back as typed.
/// </summary>
[LongRunning(8)]
public sealed class NamesInEveryPdfTests
{
    private static readonly FormTemplates Templates = new(Options.Create(new TemplateOptions()));
    private static readonly DateTimeOffset At = new(2026, 11, 30, 15, 5, 0, TimeSpan.Zero);

    private static ConsentForm Form((string Given, string Family) pupil, int year = 5, string language = "en") => new(
        TrustName: "Northern Lights Academy Trust",
        AcademyName: "Northfield Academy",
        AcademyLogo: null,
        PupilFirstName: pupil.Given,
        PupilName: $"{pupil.Given} {pupil.Family}",
        YearGroup: year,
        RegistrationGroup: "5W",
        Party: PartyKind.Contact,
        AddresseeName: $"Ms {pupil.Family}",
        Language: language,
        FormVersionLabel: "2026-1",
        Purposes: [new FormPurpose("academy-social", "Academy social media", "Posts on the academy's own accounts.")],
        ShortCode: "ACDEFG23",
        AnswerOnlineUrl: new Uri("https://consent.example.org.uk/sign?code=ACDEFG23"),
        SignUrl: new Uri("https://consent.example.org.uk/sign"),
        Deadline: new DateOnly(2026, 12, 18),
        AlsoAskParent: false);

    [Fact]
    public void TheShaper_FindsAGlyphForEveryCharacterOfEveryName_InRegularAndBold()
    {
        foreach (var bold in new[] { false, true })
        {
            using var font = new SKFont(bold ? PdfFonts.Bold : PdfFonts.Regular, 11);
            foreach (var word in NamesCorpus.Words)
            {
                var printable = PdfFonts.Printable(word, out var replaced);
                Assert.Equal(0, replaced);
                Assert.Equal(0, PdfText.MissingGlyphs(printable, font));
            }
        }
    }

    [Fact]
    public void AConsentForm_PrintsEveryName()
    {
        foreach (var person in NamesCorpus.People)
        {
            using var pdf = new PdfDocumentBuilder(new PdfDocumentInfo("Consent form"));
            ConsentFormDocument.Compose(pdf, Form(person), Templates);
            var bytes = pdf.ToArray();
            Assert.Equal(0, pdf.ReplacedCharacters);
            NamesCorpus.AssertAllPrint(bytes, [person.Given, person.Family], $"form for {person.Given}");
            if (person == NamesCorpus.People[0]) PdfInspection.Keep("names-form.pdf", bytes);
        }
    }

    [Fact]
    public void APack_PrintsEveryName()
    {
        var rendered = new RenderConsentForms(Templates).Handle([.. NamesCorpus.People.Select(p => Form(p))], "Pack 5W");

        Assert.Equal(0, rendered.ReplacedCharacters);
        NamesCorpus.AssertAllPrint(rendered.Pdf, NamesCorpus.Words, "pack");
        PdfInspection.Keep("names-pack.pdf", rendered.Pdf);
    }

    [Fact]
    public void ADoNotFeatureList_PrintsEveryName()
    {
        var list = new DoNotFeatureList("Northfield Academy", "Class 5W", "Academy social media", At,
            [.. NamesCorpus.People.Select(p => new DoNotFeatureEntry($"{p.Given} {p.Family}", "5W", "A parent said no."))], 3);

        var pdf = DoNotFeatureListDocument.Render(list);

        NamesCorpus.AssertAllPrint(pdf, NamesCorpus.Words, "do-not-feature list");
        PdfInspection.Keep("names-do-not-feature.pdf", pdf);
        PdfInspection.Keep("names-do-not-feature.png", PdfInspection.RenderPng(pdf));
    }

    [Fact]
    public void AnAcademySummary_PrintsEveryName()
    {
        var counts = AcademySummaryDocument.Statuses.ToDictionary(s => s, _ => 3);
        var summary = new AcademySummary("Northfield Academy", At, 12, [new SummaryPurpose("Academy social media", counts)], 12,
            [.. NamesCorpus.People.Select(p => new OutstandingPupil($"{p.Given} {p.Family}", "Year 5", "5W", ["Parent or carer"]))]);

        var pdf = AcademySummaryDocument.Render(summary);

        NamesCorpus.AssertAllPrint(pdf, NamesCorpus.Words, "academy summary");
        PdfInspection.Keep("names-summary.pdf", pdf);
    }

    [Fact]
    public void AReceipt_PrintsThePupilsAndTheSignersNames()
    {
        foreach (var person in NamesCorpus.People)
        {
            var pdf = ReceiptDocument.Render(SigningLanguage.English, pupilIsSigner: false,
                new ReceiptSubject("St Mary's Academy", null, $"{person.Given} {person.Family}"), "R-123456", "2026-1", At,
                $"{person.Given} {person.Family}", [new ReceiptLine("academy-social", "Academy social media", AnswerKind.Grant)]);
            PdfInspection.Keep($"names-receipt-{NamesCorpus.People.ToList().IndexOf(person)}.pdf", pdf);

            NamesCorpus.AssertAllPrint(pdf, [person.Given, person.Family], $"receipt for {person.Given}");
            if (person == NamesCorpus.People[6]) PdfInspection.Keep("names-receipt-arabic.pdf", pdf);
        }
    }

    [Theory]
    [InlineData("ਅਸੀਂ ਦਰਜ ਕੀਤਾ।", PdfScript.Gurmukhi)]
    [InlineData("ਪਹਿਲੀ ਗੱਲ। ਦੂਜੀ ਗੱਲ॥", PdfScript.Gurmukhi)]
    [InlineData("আমরা লিখেছি।", PdfScript.Bengali)]
    [InlineData("Receipt R-123456।", PdfScript.Gurmukhi)]
    public void TheDanda_PrintsFromAnIndicFace_NeverAsAReplacementOrAMissingGlyph(string sentence, PdfScript face)
    {
        Assert.Equal(PdfScript.Gurmukhi, PdfFonts.ScriptOf('।'));
        Assert.True(PdfFonts.FaceHas(face, '।'));
        Assert.False(PdfFonts.FaceHas(PdfScript.Main, '।'));
        foreach (var bold in new[] { false, true })
        {
            using var font = new SKFont(bold ? PdfFonts.Bold : PdfFonts.Regular, 11);
            var printable = PdfFonts.Printable(sentence, out var replaced);
            Assert.Equal(0, replaced);
            Assert.Equal(sentence, printable);
            Assert.Equal(0, PdfText.MissingGlyphs(printable, font));
        }
    }

    [Fact]
    public void APunjabiReceipt_EndsItsSentencesWithTheDanda_AndPrintsNoReplacement()
    {
        var pdf = ReceiptDocument.Render(SigningLanguage.Punjabi, pupilIsSigner: false,
            new ReceiptSubject("St Mary's Academy", null, "ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ"), "R-123456", "2026-1", At,
            "ਹਰਪ੍ਰੀਤ ਕੌਰ", [new ReceiptLine("academy-social", "Academy social media", AnswerKind.Grant)]);
        PdfInspection.Keep("receipt-punjabi-danda.pdf", pdf);
        PdfInspection.Keep("receipt-punjabi-danda.png", PdfInspection.RenderPng(pdf));

        // The intro and the closing sentence read back with their danda, and nothing prints as U+FFFD.
        NamesCorpus.AssertAllPrint(pdf, ["ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ ਦੀਆਂ ਫੋਟੋਆਂ ਅਤੇ ਵੀਡੀਓ ਬਾਰੇ ਦਰਜ ਕੀਤਾ।", "ਸਕੂਲ ਦੇ ਦਫ਼ਤਰ ਨਾਲ ਸੰਪਰਕ ਕਰੋ।"], "the Punjabi receipt");
        var text = string.Join(" ", PdfInspection.PageTexts(pdf));
        Assert.DoesNotContain("ਕੀਤਾ.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ਕਰੋ.", text, StringComparison.Ordinal);
    }
}
