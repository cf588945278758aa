using ConsentHub.Pdf;
using ConsentHub.Testing.Pdf;
using SkiaSharp;

namespace ConsentHub.Tests.Pdf;

/// <summary>The layout module, read back as a reader would: extracted text, rendered pages, decoded QR codes.</summary>
public sealed class PdfDocumentBuilderTests
{
    private static byte[] Build(Action<PdfSection> content, PdfPageFrame? frame = null)
    {
        using var builder = new PdfDocumentBuilder(new PdfDocumentInfo("Test document"));
        content(builder.AddSection(frame));
        return builder.ToArray();
    }

    [Fact]
    public void NamesWithAccents_PrintAndCanBeExtracted()
    {
        var pdf = Build(s => s
            .Heading("Consent form for Łukasz Ødegaard-Smith", 0)
            .Paragraph("Zoë O’Brien, Şerban Ionescu, Anaïs Müller-Ñúñez and Dvořák pay €5 – “no” is fine.")
            .Paragraph("Romanian comma letters: ș ț Ș Ț."));

        var text = Assert.Single(PdfInspection.PageTexts(pdf));
        foreach (var expected in new[] { "Łukasz", "Ødegaard-Smith", "Zoë", "O’Brien", "Şerban", "Anaïs", "Müller-Ñúñez", "Dvořák", "€5", "“no”", "ș", "ț" })
            Assert.Contains(expected, text, StringComparison.Ordinal);
        PdfInspection.Keep("pdf-module-accents.pdf", pdf);
    }

    [Fact]
    public void ACharacterTheFontsLack_IsReplacedVisibly_AndTheRestOfTheTextIsKept()
    {
        using var builder = new PdfDocumentBuilder(new PdfDocumentInfo("Replacement"));
        builder.AddSection().Paragraph("Wang 王 Xiùyīng and Ali 😀 Khan");
        var pdf = builder.ToArray();

        Assert.Equal(2, builder.ReplacedCharacters);
        var text = Assert.Single(PdfInspection.PageTexts(pdf));
        Assert.Contains("Wang \uFFFD Xiùyīng", text, StringComparison.Ordinal);
        Assert.Contains("Ali \uFFFD Khan", text, StringComparison.Ordinal);
    }

    [Fact]
    public void DecomposedAccents_FromASpreadsheet_PrintAsTheComposedLetter()
    {
        var decomposed = "Zoe\u0308 O\u0308degaard";
        var pdf = Build(s => s.Paragraph(decomposed));
        Assert.Contains("Zoë Ödegaard", Assert.Single(PdfInspection.PageTexts(pdf)), StringComparison.Ordinal);
    }

    [Fact]
    public void LongContent_FlowsOntoMorePages_WithHeadersFootersAndPageNumbersPerSection()
    {
        using var builder = new PdfDocumentBuilder(new PdfDocumentInfo("Pack"));
        var frame = new PdfPageFrame(HeaderLeft: "Northfield Academy", HeaderRight: "Consent form", FooterLeft: "Form version 2026-1");
        var first = builder.AddSection(frame);
        for (var i = 1; i <= 60; i++) first.Paragraph($"Paragraph {i}: " + string.Concat(Enumerable.Repeat("words that wrap across the line ", 4)));
        builder.AddSection(frame with { HeaderLeft = "Southgate Primary" }).Paragraph("The second form.");
        var pdf = builder.ToArray();

        var pages = PdfInspection.PageTexts(pdf);
        Assert.True(pages.Count >= 4, $"{pages.Count} pages");
        var firstSectionPages = pages.Count - 1;
        for (var p = 0; p < firstSectionPages; p++)
        {
            Assert.Contains("Northfield Academy", pages[p], StringComparison.Ordinal);
            Assert.Contains("Form version 2026-1", pages[p], StringComparison.Ordinal);
            Assert.Contains($"Page {p + 1} of {firstSectionPages}", pages[p], StringComparison.Ordinal);
        }
        Assert.Contains("Paragraph 60:", pages[firstSectionPages - 1], StringComparison.Ordinal);
        Assert.Contains("Southgate Primary", pages[^1], StringComparison.Ordinal);
        Assert.Contains("Page 1 of 1", pages[^1], StringComparison.Ordinal);
        // Nothing is lost between pages: every paragraph appears exactly once.
        var all = string.Join(" ", pages);
        for (var i = 1; i <= 60; i++) Assert.Single(System.Text.RegularExpressions.Regex.Matches(all, $"Paragraph {i}:"));
    }

    [Theory]
    [InlineData(30)]
    [InlineData(38)]
    [InlineData(44)]
    public void ASignatureBlock_IsNeverSplitAcrossPages(int paragraphsBefore)
    {
        var pdf = Build(s =>
        {
            for (var i = 0; i < paragraphsBefore; i++) s.Paragraph($"Filler line {i}.");
            s.KeepTogether(b => b
                .Heading("Parent or carer", 2)
                .Paragraph("I have parental responsibility for Amelia.")
                .WriteIn("Signature")
                .WriteIn("Full name")
                .WriteIn("Date"));
        });
        var pages = PdfInspection.PageTexts(pdf);
        var withBlock = pages.Where(p => p.Contains("Parent or carer", StringComparison.Ordinal)).ToList();
        var page = Assert.Single(withBlock);
        foreach (var part in new[] { "I have parental responsibility", "Signature", "Full name", "Date" })
            Assert.Contains(part, page, StringComparison.Ordinal);
    }

    [Fact]
    public void AQrCode_DecodesToItsLink_AndThePageIsNotBlank()
    {
        const string link = "https://consent.example.org.uk/s/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde";
        var pdf = Build(s => s
            .Heading("Answer online", 1)
            .Columns(110, l => l.QrCode(link, 100), r => r
                .Paragraph("Scan the code with your phone's camera, or go to the address below and type the code.")
                .Paragraph("ACDE-FG23", PdfTextStyle.Strong))
            .Choice("May we use photographs of Amelia on the academy's social media?", ["Yes", "No"]));

        var png = PdfInspection.RenderPng(pdf);
        PdfInspection.Keep("pdf-module-qr.pdf", pdf);
        PdfInspection.Keep("pdf-module-qr.png", png);
        Assert.Contains(link, PdfInspection.ReadQrCodes(png));
        Assert.InRange(PdfInspection.InkCoverage(png), 0.005, 0.5);
        var text = Assert.Single(PdfInspection.PageTexts(pdf));
        Assert.Contains("ACDE-FG23", text, StringComparison.Ordinal);
        Assert.Contains("social media? Yes No", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ATable_WrapsItsCells_AndAnImageIsEmbeddedOnce()
    {
        byte[] logo;
        using (var surface = SKSurface.Create(new SKImageInfo(120, 60)))
        {
            surface.Canvas.Clear(new SKColor(0xFF0B2F5B));
            using var image = surface.Snapshot();
            using var data = image.Encode(SKEncodedImageFormat.Png, 100);
            logo = data.ToArray();
        }
        var pdf = Build(s => s
            .Image(logo, 80, 40)
            .Table([new PdfColumn("Pupil", 2), new PdfColumn("Class"), new PdfColumn("Why not", 3)],
            [
                ["Amelia Smith", "3W", "Parent said no to social media"],
                ["Łukasz Ødegaard-Smith", "3W", "Safeguarding: do not photograph or feature. " + string.Concat(Enumerable.Repeat("More detail ", 10))],
            ])
            .Image(logo, 80, 40));

        var text = Assert.Single(PdfInspection.PageTexts(pdf));
        Assert.Contains("Pupil Class Why not", text, StringComparison.Ordinal);
        Assert.Contains("Łukasz Ødegaard-Smith", text, StringComparison.Ordinal);
        using var document = UglyToad.PdfPig.PdfDocument.Open(pdf);
        Assert.Equal(2, document.GetPage(1).GetImages().Count());
    }

    [Fact]
    public void AnEmptyDocument_IsStillAValidOnePagePdf() =>
        Assert.Equal(1, PdfInspection.PageCount(new PdfDocumentBuilder(new PdfDocumentInfo("Empty")).ToArray()));
}
