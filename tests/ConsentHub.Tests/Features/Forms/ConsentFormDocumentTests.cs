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
}
