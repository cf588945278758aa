using ConsentHub.Forms;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Pdf;
using ConsentHub.Tests.Audit;
using ConsentHub.Tests.Requests;
using ConsentHub.Trust;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace ConsentHub.Tests.Forms;

/// <summary>An academy's logo is checked by its content, stored, and printed on that academy's forms.</summary>
public sealed class AcademyLogoTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private readonly RequestsTestSupport _support = new(database);

    private static byte[] Png()
    {
        using var surface = SKSurface.Create(new SKImageInfo(160, 80));
        surface.Canvas.Clear(new SKColor(0xFF0B2F5B));
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    [Fact]
    public async Task ALogo_IsRefusedUnlessItIsAnImage_ThenPrintsOnTheForms()
    {
        var t = await FormsTestData.ArrangeAsync(database, _support);
        var save = new SaveAcademyLogo(new AuditTestSupport.ContextFactory(database), AuditTestSupport.Log(database, _support.Clock), _support.Clock);

        var text = Assert.IsType<SaveAcademyLogo.Result.Invalid>(await save.HandleAsync(t.NorthAcademyId, "logo.png", "<svg/>"u8.ToArray(), "staff:admin"));
        Assert.Contains("not a PNG or JPEG", text.Message, StringComparison.Ordinal);
        var pdf = Assert.IsType<SaveAcademyLogo.Result.Invalid>(await save.HandleAsync(t.NorthAcademyId, "logo.pdf", "%PDF-1.7"u8.ToArray(), "staff:admin"));
        Assert.Contains("not a PNG or JPEG", pdf.Message, StringComparison.Ordinal);
        Assert.IsType<SaveAcademyLogo.Result.Invalid>(await save.HandleAsync(t.NorthAcademyId, "big.png", [.. Png(), .. new byte[AcademyLogo.MaxBytes]], "staff:admin"));
        Assert.IsType<SaveAcademyLogo.Result.Saved>(await save.HandleAsync(t.NorthAcademyId, "logo.png", Png(), "staff:admin"));

        var forms = await new LoadConsentForms(database.DataSource, Options.Create(_support.Signing), _support.Clock)
            .HandleAsync(RequestsTestSupport.Office(t.NorthAcademyId), new FormSelection(t.NorthAcademyId, RegistrationGroup: "3W"));
        Assert.All(forms, f => Assert.NotNull(f.AcademyLogo));
        var rendered = new RenderConsentForms(new FormTemplates(Options.Create(new ConsentHub.Email.TemplateOptions()))).Handle(forms, "with logo");
        using var document = UglyToad.PdfPig.PdfDocument.Open(rendered.Pdf);
        Assert.Single(document.GetPage(1).GetImages());
        PdfInspection.Keep("consent-form-with-logo.png", PdfInspection.RenderPng(rendered.Pdf));

        Assert.IsType<SaveAcademyLogo.Result.Saved>(await save.HandleAsync(t.NorthAcademyId, "", null, "staff:admin"));
        var without = await new LoadConsentForms(database.DataSource, Options.Create(_support.Signing), _support.Clock)
            .HandleAsync(RequestsTestSupport.Office(t.NorthAcademyId), new FormSelection(t.NorthAcademyId, RegistrationGroup: "3W"));
        Assert.All(without, f => Assert.Null(f.AcademyLogo));
    }
}
