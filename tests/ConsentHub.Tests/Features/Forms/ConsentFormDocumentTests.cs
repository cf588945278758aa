using ConsentHub.Consent;
using ConsentHub.Email;
using ConsentHub.Forms;
using ConsentHub.Pdf;
using ConsentHub.Testing.Pdf;
using Microsoft.Extensions.Options;

namespace ConsentHub.Tests.Forms;

/// <summary>The printed consent form, read back: names, the version's wording, signature blocks by year group, the QR link.</summary>
public sealed class ConsentFormDocumentTests
{
    private static readonly FormTemplates Templates = new(Options.Create(new TemplateOptions()));

    private static ConsentForm Form(int year, PartyKind party, bool flagged = false, string language = "en") => new(
        TrustName: "Northern Lights Academy Trust",
        AcademyName: "Northfield Academy",
        AcademyLogo: null,
        PupilFirstName: "Łukasz",
        PupilName: "Łukasz Ødegaard-Smith",
        YearGroup: year,
        RegistrationGroup: year >= 12 ? "12B" : year >= 7 ? "9K" : "5W",
        Party: party,
        AddresseeName: party == PartyKind.Contact ? "Mrs Zoë O’Brien" : null,
        Language: language,
        FormVersionLabel: "2026-1",
        Purposes:
        [
            new FormPurpose("internal-displays", "Displays inside the academy", "Photos on classroom walls and corridor displays, seen only by people in the building."),
            new FormPurpose("academy-social", "Academy social media", "Posts on the academy's own Facebook, Instagram and X accounts, which anyone can see."),
        ],
        ShortCode: "ACDEFG23",
        AnswerOnlineUrl: new Uri("https://consent.example.org.uk/sign?code=ACDEFG23"),
        SignUrl: new Uri("https://consent.example.org.uk/sign"),
        Deadline: new DateOnly(2026, 12, 18),
        AlsoAskParent: flagged);

    private static (byte[] Pdf, string Text) Render(params ConsentForm[] forms)
    {
        using var pdf = new PdfDocumentBuilder(new PdfDocumentInfo("Consent forms"));
        foreach (var form in forms) ConsentFormDocument.Compose(pdf, form, Templates);
        var bytes = pdf.ToArray();
        return (bytes, string.Join("\n", PdfInspection.PageTexts(bytes)));
    }

    /// <summary>The forms a pack prints for one pupil: one per party the rules ask.</summary>
    private static string FormsFor(int year, bool flagged, string artifact)
    {
        var forms = ConsentFormDocument.PartiesFor(year, flagged).Select(p => Form(year, p, flagged)).ToArray();
        var (pdf, text) = Render(forms);
        PdfInspection.Keep(artifact + ".pdf", pdf);
        PdfInspection.Keep(artifact + ".png", PdfInspection.RenderPng(pdf));
        return text;
    }

    [Fact]
    public void Year5_OneFormForTheParent_WithTheParentBlockOnly()
    {
        var text = FormsFor(5, flagged: false, "consent-form-year5");
        Assert.Contains("Parent or carer", text, StringComparison.Ordinal);
        Assert.Contains("I have parental responsibility for Łukasz.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Pupil Signature", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Photos and videos of you", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Year9_APupilFormAndAParentForm()
    {
        var text = FormsFor(9, flagged: false, "consent-form-year9");
        Assert.Contains("Photos and videos of you", text, StringComparison.Ordinal);
        Assert.Contains("Pupil Signature", text, StringComparison.Ordinal);
        Assert.Contains("Parent or carer", text, StringComparison.Ordinal);
        Assert.Contains("I have parental responsibility for Łukasz.", text, StringComparison.Ordinal);
        Assert.Contains("is asked too, on their own form", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Year12_Unflagged_ThePupilAlone()
    {
        var text = FormsFor(12, flagged: false, "consent-form-year12");
        Assert.Contains("Pupil Signature", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Parent or carer", text, StringComparison.Ordinal);
        Assert.DoesNotContain("parental responsibility", text, StringComparison.Ordinal);
        Assert.DoesNotContain("asked too", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Year12_Flagged_ThePupilAndTheParent()
    {
        var text = FormsFor(12, flagged: true, "consent-form-year12-flagged");
        Assert.Contains("Pupil Signature", text, StringComparison.Ordinal);
        Assert.Contains("Parent or carer", text, StringComparison.Ordinal);
        Assert.Contains("Your parent or carer is asked too", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheForm_CarriesTheNamesWording_AndAQrCodeForTheSigningUrl()
    {
        var (pdf, text) = Render(Form(5, PartyKind.Contact));
        foreach (var expected in new[]
        {
            "Northfield Academy", "Łukasz Ødegaard-Smith", "Mrs Zoë O’Brien", "Year 5", "class 5W",
            "Displays inside the academy", "Photos on classroom walls and corridor displays",
            "Academy social media", "Posts on the academy's own Facebook", "18 December 2026",
            "ACDE-FG23", "https://consent.example.org.uk/sign", "Form version 2026-1", "Northern Lights Academy Trust is the data controller",
        })
            Assert.Contains(expected, text, StringComparison.Ordinal);
        // Nothing pre-ticked: each use has an empty Yes and an empty No box.
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(text, "Yes No"));

        var png = PdfInspection.RenderPng(pdf);
        Assert.Contains("https://consent.example.org.uk/sign?code=ACDEFG23", PdfInspection.ReadQrCodes(png));
        Assert.True(PdfInspection.InkCoverage(png) > 0.01);
        Assert.InRange(pdf.Length, 1, 100 * 1024);
    }

    [Fact]
    public void APolishContact_GetsTheFormInPolish_WithTheUsesFromTheFormVersion()
    {
        var (_, text) = Render(Form(5, PartyKind.Contact, language: "pl"));
        Assert.Contains("Zdjęcia i filmy: Łukasz", text, StringComparison.Ordinal);
        Assert.Contains("Mam władzę rodzicielską nad Łukasz.", text, StringComparison.Ordinal);
        Assert.Contains("Tak Nie", text, StringComparison.Ordinal);
        Assert.Contains("Academy social media", text, StringComparison.Ordinal);
    }

    private const double LeftMargin = 42.5;
    private const double RightMargin = PdfDocumentBuilder.PageWidth - 42.5;

    /// <summary>Page one's lines of text between header and footer: the left and right edges of each line's ink.</summary>
    private static List<(double Left, double Right, double Baseline)> Lines(byte[] pdf)
    {
        using var document = UglyToad.PdfPig.PdfDocument.Open(pdf);
        var page = document.GetPage(1);
        return [.. page.Letters
            .Where(l => !string.IsNullOrWhiteSpace(l.Value) && l.BoundingBox.Width > 0)
            .Where(l => l.StartBaseLine.Y < page.Height - 42.5 - 30 && l.StartBaseLine.Y > 42.5 + 20)
            .GroupBy(l => Math.Round(l.StartBaseLine.Y))
            .Select(g => (g.Min(l => l.BoundingBox.Left), g.Max(l => l.BoundingBox.Right), (double)g.Key))];
    }

    /// <summary>The tick boxes on page one (11-point squares), by their left edge.</summary>
    private static List<double> TickBoxes(byte[] pdf)
    {
        using var document = UglyToad.PdfPig.PdfDocument.Open(pdf);
        return [.. document.GetPage(1).Paths
            .Select(p => p.GetBoundingRectangle())
            .Where(r => r is { } b && Math.Abs(b.Width - 11) < 1 && Math.Abs(b.Height - 11) < 1)
            .Select(r => r!.Value.Left)];
    }

    private static ConsentForm UrduForm() => Form(5, PartyKind.Contact, language: "ur") with
    {
        PupilFirstName = "عائشہ",
        PupilName = "عائشہ چودھری",
        AddresseeName = "محترمہ فاطمہ چودھری",
        Purposes =
        [
            new FormPurpose("internal-displays", "Displays inside the academy", "کلاس روم کی دیواروں اور راہداری کی نمائشوں پر تصاویر، جنہیں صرف عمارت کے اندر کے لوگ دیکھتے ہیں۔"),
            new FormPurpose("academy-social", "Academy social media", "اکیڈمی کے اپنے فیس بک، انسٹاگرام اور ایکس اکاؤنٹس پر پوسٹس، جنہیں کوئی بھی دیکھ سکتا ہے۔"),
        ],
    };

    private static ConsentForm ArabicForm() => Form(5, PartyKind.Contact, language: "ar") with
    {
        Purposes =
        [
            new FormPurpose("internal-displays", "Displays inside the academy", "صور على جدران الفصول ولوحات العرض في الممرات، لا يراها إلا من في المبنى."),
            new FormPurpose("academy-social", "Academy social media", "منشورات على حسابات الأكاديمية على فيسبوك وإنستغرام وإكس، يمكن لأي شخص رؤيتها."),
        ],
    };

    [Theory]
    [InlineData("ur")]
    [InlineData("ar")]
    public void AnUrduOrArabicForm_IsInThatLanguage_AndLaidOutRightToLeft_Mirrored(string language)
    {
        var form = language == "ur" ? UrduForm() : ArabicForm();
        using var builder = new PdfDocumentBuilder(new PdfDocumentInfo("Consent forms"));
        ConsentFormDocument.Compose(builder, form, Templates);
        var pdf = builder.ToArray();
        PdfInspection.Keep($"consent-form-{language}-rtl.pdf", pdf);
        PdfInspection.Keep($"consent-form-{language}-rtl.png", PdfInspection.RenderPng(pdf));

        // The wording reads back in the language, with nothing printed as U+FFFD.
        Assert.Equal(0, builder.ReplacedCharacters);
        var words = language == "ur"
            ? new[] { "آپ کے جوابات", "کیا آپ اس استعمال سے متفق ہیں؟", "ہاں", "نہیں", "والدین یا سرپرست", "دستخط", "پورا نام", "یا آن لائن جواب دیں", "عائشہ", "چودھری", "کلاس روم کی دیواروں", "صفحہ" }
            : new[] { "إجاباتك", "هل توافق على هذا الاستخدام؟", "نعم", "الوالد أو الوصي", "التوقيع", "الاسم الكامل", "أو أجب عبر الإنترنت", "جدران الفصول", "الصفحة" };
        NamesCorpus.AssertAllPrint(pdf, words, $"the {language} consent form");
        // The deadline in the language, on the UK calendar.
        NamesCorpus.AssertAllPrint(pdf, [language == "ur" ? "دسمبر" : "ديسمبر", "18", "2026"], $"the {language} deadline");

        // Mirrored: lines start at the right margin, and the tick boxes stand on the left.
        var lines = Lines(pdf);
        Assert.True(lines.Count >= 20, $"Only {lines.Count} lines of text on page one.");
        var atRight = lines.Count(l => Math.Abs(l.Right - RightMargin) < 2.5);
        var atLeftOnly = lines.Count(l => Math.Abs(l.Left - LeftMargin) < 2.5 && Math.Abs(l.Right - RightMargin) >= 2.5);
        Assert.True(atRight >= lines.Count * 0.6, $"{atRight} of {lines.Count} lines end at the right margin.");
        Assert.True(atLeftOnly <= 1, $"{atLeftOnly} lines start at the left margin only.");
        var boxes = TickBoxes(pdf);
        Assert.True(boxes.Count >= 4, $"{boxes.Count} tick boxes.");
        Assert.All(boxes, x => Assert.True(x < PdfDocumentBuilder.PageWidth / 2, $"A tick box at x={x:0.0}, on the right."));
    }

    [Fact]
    public void TheEnglishForm_StaysLeftToRight_LinesAtTheLeftMargin_TickBoxesOnTheRight()
    {
        var (pdf, _) = Render(Form(5, PartyKind.Contact));
        var lines = Lines(pdf);
        var atLeft = lines.Count(l => Math.Abs(l.Left - LeftMargin) < 2.5);
        var atRightOnly = lines.Count(l => Math.Abs(l.Right - RightMargin) < 2.5 && Math.Abs(l.Left - LeftMargin) >= 2.5);
        Assert.True(atLeft >= lines.Count * 0.6, $"{atLeft} of {lines.Count} lines start at the left margin.");
        Assert.True(atRightOnly <= 1, $"{atRightOnly} lines end at the right margin only.");
        var boxes = TickBoxes(pdf);
        Assert.True(boxes.Count >= 4, $"{boxes.Count} tick boxes.");
        Assert.All(boxes, x => Assert.True(x > PdfDocumentBuilder.PageWidth / 2, $"A tick box at x={x:0.0}, on the left."));
    }
}
