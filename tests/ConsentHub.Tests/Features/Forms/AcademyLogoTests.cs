using ConsentHub.Forms;
using ConsentHub.Signing;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Ordering;
using ConsentHub.Testing.Pdf;
using ConsentHub.Tests.Audit;
using ConsentHub.Tests.Requests;
using ConsentHub.Trust;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace ConsentHub.Tests.Forms;

/// <summary>An academy's logo is checked by its content, stored, and printed on that academy's forms.</summary>
[LongRunning(15)]
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
        // The crest heads every page; page one also shows it larger, as a letterhead.
        Assert.Equal(2, document.GetPage(1).GetImages().Count());
        Assert.All(document.GetPages(), page => Assert.NotEmpty(page.GetImages()));
        PdfInspection.Keep("consent-form-with-logo.png", PdfInspection.RenderPng(rendered.Pdf));

        Assert.IsType<SaveAcademyLogo.Result.Saved>(await save.HandleAsync(t.NorthAcademyId, "", null, "staff:admin"));
        var without = await new LoadConsentForms(database.DataSource, Options.Create(_support.Signing), _support.Clock)
            .HandleAsync(RequestsTestSupport.Office(t.NorthAcademyId), new FormSelection(t.NorthAcademyId, RegistrationGroup: "3W"));
        Assert.All(without, f => Assert.Null(f.AcademyLogo));
    }

    [Fact]
    public void TheReceiptTheListAndTheSummary_CarryTheSchoolsNameAndCrestInTheHeader_AndTheReceiptNamesTheChild()
    {
        var at = new DateTimeOffset(2026, 12, 1, 18, 40, 0, TimeSpan.Zero);
        var lines = new[] { new ConsentHub.Signing.ReceiptLine("academy-social", "Academy social media", ConsentHub.Consent.AnswerKind.Grant) };
        var receipt = ReceiptDocument.Render("en", pupilIsSigner: false, new ReceiptSubject("St Łukasz Primary Academy", Png(), "Thảo Đặng"),
            "R-123456", "2026-1", at, "Lan Đặng", lines);
        var list = DoNotFeatureListDocument.Render(new DoNotFeatureList("St Łukasz Primary Academy", "Class 3W", "Academy social media", at,
            [new DoNotFeatureEntry("Zoë Mureșan", "3W", "Parent said no")], 27)
        { AcademyLogo = Png() });
        var summary = AcademySummaryDocument.Render(new AcademySummary("St Łukasz Primary Academy", at, 28, [], 0, []) { AcademyLogo = Png() });
        PdfInspection.Keep("receipt-with-crest.png", PdfInspection.RenderPng(receipt));

        foreach (var (name, pdf) in new[] { ("receipt", receipt), ("do-not-feature list", list), ("summary", summary) })
        {
            using var document = UglyToad.PdfPig.PdfDocument.Open(pdf);
            Assert.All(document.GetPages(), page =>
            {
                Assert.True(page.GetImages().Any(), $"The {name} has a page without the crest.");
                Assert.Contains("St Łukasz Primary Academy", page.Text, StringComparison.Ordinal);
                // The crest sits at the top of the page, in the header band.
                var crest = page.GetImages().OrderByDescending(i => i.BoundingBox.Top).First();
                Assert.True(crest.BoundingBox.Top > page.Height - 60, $"The {name}'s crest is not in the header: top at {crest.BoundingBox.Top} of {page.Height}.");
            });
        }
        var receiptText = string.Join("\n", PdfInspection.PageTexts(receipt));
        Assert.Contains("Thảo Đặng", receiptText, StringComparison.Ordinal);
        Assert.DoesNotContain('\uFFFD', receiptText);

        // No crest uploaded: the name alone, and no image.
        var plain = ReceiptDocument.Render("en", pupilIsSigner: false, new ReceiptSubject("St Łukasz Primary Academy", null, "Thảo Đặng"),
            "R-123456", "2026-1", at, "Lan Đặng", lines);
        using var plainDocument = UglyToad.PdfPig.PdfDocument.Open(plain);
        Assert.Empty(plainDocument.GetPage(1).GetImages());
        Assert.Contains("St Łukasz Primary Academy", plainDocument.GetPage(1).Text, StringComparison.Ordinal);
    }

    /// <summary>
    /// A 160 × 80 PNG whose header is rewritten to claim <paramref name="width"/> × <paramref name="height"/>: a few
    /// hundred bytes that would ask the decoder for gigabytes.
    /// </summary>
    private static byte[] PngClaiming(int width, int height)
    {
        var png = Png();
        // Signature (8), IHDR length (4), "IHDR" (4), then width and height, big-endian; the chunk's CRC follows its 13 data bytes.
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), height);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc32(png.AsSpan(12, 17)));
        return png;
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }

    /// <summary>A real, complete PNG of that size; written without row filters and with the fastest zlib level,
    /// since a 3,000 × 3,000 image is otherwise slow to write and only its size matters here.</summary>
    private static byte[] RealPng(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(new SKColor(0xFF0B2F5B));
        using var pixels = bitmap.PeekPixels();
        using var data = pixels.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.NoFilters, 1)) ?? throw new InvalidOperationException("The PNG was not written.");
        return data.ToArray();
    }

    [Fact]
    public async Task ALogoClaimingHugeDimensions_IsRefusedFromItsHeader_AndNothingIsStored()
    {
        var t = await FormsTestData.ArrangeAsync(database, _support);
        var save = new SaveAcademyLogo(new AuditTestSupport.ContextFactory(database), AuditTestSupport.Log(database, _support.Clock), _support.Clock);

        var bomb = PngClaiming(30_000, 30_000);
        Assert.True(bomb.Length < 2_000);
        var refused = Assert.IsType<SaveAcademyLogo.Result.Invalid>(await save.HandleAsync(t.NorthAcademyId, "bomb.png", bomb, "staff:admin"));
        Assert.Contains("30000 × 30000 pixels", refused.Message, StringComparison.Ordinal);

        // Real images: one side too long, and too many pixels in all though each side is allowed.
        var wide = Assert.IsType<SaveAcademyLogo.Result.Invalid>(await save.HandleAsync(t.NorthAcademyId, "wide.png", RealPng(AcademyLogo.MaxPixelSide + 1, 2), "staff:admin"));
        Assert.Contains($"{AcademyLogo.MaxPixelSide + 1} × 2 pixels", wide.Message, StringComparison.Ordinal);
        Assert.IsType<SaveAcademyLogo.Result.Invalid>(await save.HandleAsync(t.NorthAcademyId, "square.png", RealPng(3_000, 3_000), "staff:admin"));

        // A header within limits but a body that is not all there: the full decode catches it.
        var truncated = Png()[..^40];
        Assert.IsType<SaveAcademyLogo.Result.Invalid>(await save.HandleAsync(t.NorthAcademyId, "cut.png", truncated, "staff:admin"));

        await using var db = database.CreateDbContext();
        Assert.False(await db.AcademyLogos.AnyAsync(l => l.AcademyId == t.NorthAcademyId));
        Assert.IsType<SaveAcademyLogo.Result.Saved>(await save.HandleAsync(t.NorthAcademyId, "logo.png", RealPng(AcademyLogo.MaxPixelSide, 200), "staff:admin"));
    }
}
