using System.Diagnostics;
using SkiaSharp;
using UglyToad.PdfPig;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace ConsentHub.Testing.Pdf;

/// <summary>
/// Reads PDFs back the way people and machines will: the text with PdfPig, the pages as pictures with poppler's
/// pdftoppm, and QR codes from those pictures with ZXing. Samples are kept under CONSENTHUB_TEST_ARTIFACTS.
/// </summary>
public static class PdfInspection
{
    public static string ArtifactsDirectory
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("CONSENTHUB_TEST_ARTIFACTS") ?? Path.Combine(AppContext.BaseDirectory, "artifacts");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    /// <summary>The text of each page, in reading order as PdfPig extracts it (words joined by spaces).</summary>
    public static IReadOnlyList<string> PageTexts(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return [.. document.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text)))];
    }

    public static int PageCount(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return document.NumberOfPages;
    }

    /// <summary>Renders one page (1-based) to PNG with pdftoppm.</summary>
    public static byte[] RenderPng(byte[] pdf, int page = 1, int dpi = 110)
    {
        var dir = Directory.CreateTempSubdirectory("consenthub-pdf-");
        try
        {
            var input = Path.Combine(dir.FullName, "in.pdf");
            File.WriteAllBytes(input, pdf);
            var outputPrefix = Path.Combine(dir.FullName, "page");
            var start = new ProcessStartInfo("pdftoppm", ["-png", "-r", dpi.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-f", page.ToString(System.Globalization.CultureInfo.InvariantCulture), "-l", page.ToString(System.Globalization.CultureInfo.InvariantCulture), "-singlefile", input, outputPrefix])
            { RedirectStandardError = true };
            using var process = Process.Start(start) ?? throw new InvalidOperationException("pdftoppm did not start (apt-get install poppler-utils).");
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"pdftoppm failed: {error}");
            return File.ReadAllBytes(outputPrefix + ".png");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Share of pixels that are not near-white: 0 for a blank page.</summary>
    public static double InkCoverage(byte[] png)
    {
        using var bitmap = SKBitmap.Decode(png);
        long dark = 0;
        var pixels = bitmap.Pixels;
        foreach (var p in pixels) if (p.Red < 200 || p.Green < 200 || p.Blue < 200) dark++;
        return (double)dark / pixels.Length;
    }

    /// <summary>The text of every QR code found on the picture.</summary>
    public static IReadOnlyList<string> ReadQrCodes(byte[] png)
    {
        using var bitmap = SKBitmap.Decode(png);
        var luminance = new byte[bitmap.Width * bitmap.Height];
        var pixels = bitmap.Pixels;
        for (var i = 0; i < pixels.Length; i++) luminance[i] = (byte)((pixels[i].Red * 299 + pixels[i].Green * 587 + pixels[i].Blue * 114) / 1000);
        var source = new PlanarYUVLuminanceSource(luminance, bitmap.Width, bitmap.Height, 0, 0, bitmap.Width, bitmap.Height, false);
        var reader = new ZXing.Multi.QrCode.QRCodeMultiReader();
        var hints = new Dictionary<DecodeHintType, object> { [DecodeHintType.TRY_HARDER] = true };
        var results = reader.decodeMultiple(new BinaryBitmap(new HybridBinarizer(source)), hints);
        if (results is { Length: > 0 }) return [.. results.Select(r => r.Text)];
        var single = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)), hints);
        return single is null ? [] : [single.Text];
    }

    /// <summary>Keeps a sample for people to look at (CI keeps the folder).</summary>
    public static void Keep(string name, byte[] content) => File.WriteAllBytes(Path.Combine(ArtifactsDirectory, name), content);
}
