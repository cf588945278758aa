using System.Globalization;
using SkiaSharp;

namespace ConsentHub.Pdf;

/// <summary>
/// Builds an A4 PDF on Skia's PDF backend: add sections, fill them top to bottom, then <see cref="WriteTo"/>.
/// Layout happens as content is added (every piece knows its height), pagination when writing, so page numbers
/// can say "of N". Not thread-safe; one builder per document. See README.md in this folder.
/// </summary>
public sealed class PdfDocumentBuilder(PdfDocumentInfo info) : IDisposable
{
    public const float PageWidth = 595.28f;
    public const float PageHeight = 841.89f;
    private const float HeaderHeight = 22f;

    /// <summary>The crest in the header: its box's height, and the header's height with it.</summary>
    private const float LogoHeight = 24f;
    private const float LogoMaxWidth = 72f;
    private const float HeaderHeightWithLogo = 34f;
    private const float FooterHeight = 20f;

    private static readonly PdfTextStyle HeaderStyle = new(Size: 8f, Colour: 0xFF444444, SpaceAfter: 0);
    private static readonly PdfTextStyle HeaderStrong = HeaderStyle with { Bold = true };

    private readonly List<PdfSection> _sections = [];
    private readonly Dictionary<(bool Bold, float Size), SKFont> _fonts = [];
    private readonly List<SKImage> _images = [];
    private readonly Dictionary<string, SKImage> _imageCache = new(StringComparer.Ordinal);

    public PdfDocumentInfo Info { get; } = info ?? throw new ArgumentNullException(nameof(info));

    /// <summary>Characters anywhere in the document that the fonts could not print (drawn as U+FFFD).</summary>
    public int ReplacedCharacters { get; internal set; }

    /// <summary>Pages written by the last <see cref="WriteTo"/>.</summary>
    public int PageCount { get; private set; }

    public PdfSection AddSection(PdfPageFrame? frame = null)
    {
        var f = frame ?? new PdfPageFrame();
        var section = new PdfSection(this, f, PageWidth - f.Margin * 2);
        _sections.Add(section);
        return section;
    }

    public byte[] ToArray(Action<int>? sectionWritten = null)
    {
        using var memory = new MemoryStream();
        WriteTo(memory, sectionWritten);
        return memory.ToArray();
    }

    /// <summary>Sections added so far.</summary>
    public int SectionCount => _sections.Count;

    /// <summary>Paginates and writes the PDF; returns the number of pages.</summary>
    /// <param name="sectionWritten">Called after each section with how many are written so far (a progress bar).</param>
    public int WriteTo(Stream output, Action<int>? sectionWritten = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var metadata = new SKDocumentPdfMetadata
        {
            Title = Info.Title,
            Subject = Info.Subject ?? "",
            Author = Info.Author,
            Creator = "ConsentHub",
            Producer = "ConsentHub",
            Creation = DateTime.UtcNow,
            Modified = DateTime.UtcNow,
            RasterDpi = 150,
            EncodingQuality = 90,
        };
        using var document = SKDocument.CreatePdf(output, metadata) ?? throw new InvalidOperationException("Skia could not start a PDF.");
        var pages = 0;
        var written = 0;
        foreach (var section in _sections)
        {
            var laidOut = Paginate(section);
            for (var i = 0; i < laidOut.Count; i++)
            {
                using (var canvas = document.BeginPage(PageWidth, PageHeight))
                {
                    DrawFrame(canvas, section.Frame, HeaderLogo(section.Frame), i + 1, laidOut.Count);
                    foreach (var (unit, y) in laidOut[i]) unit.Draw(canvas, section.Frame.Margin, y, section.ContentWidth);
                }
                document.EndPage();
                pages++;
            }
            sectionWritten?.Invoke(++written);
        }
        if (pages == 0)
        {
            // A PDF with no pages is not a valid file for most readers.
            using (document.BeginPage(PageWidth, PageHeight)) { }
            document.EndPage();
            pages = 1;
        }
        document.Close();
        PageCount = pages;
        return pages;
    }

    private static List<List<(PdfUnit Unit, float Y)>> Paginate(PdfSection section)
    {
        var margin = section.Frame.Margin;
        var top = margin + (section.Frame.HeaderLogo is { Length: > 0 } ? HeaderHeightWithLogo : HeaderHeight);
        var bottom = PageHeight - margin - FooterHeight;
        var pages = new List<List<(PdfUnit, float)>> { new() };
        var y = top;

        void NewPage()
        {
            pages.Add([]);
            y = top;
        }

        var items = section.Items;
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is PdfSection.PageBreakMarker)
            {
                if (pages[^1].Count > 0) NewPage();
                continue;
            }
            var unit = (PdfUnit)items[i];
            // A unit marked keep-with-next travels with what follows it: measure the chain as one.
            var chain = unit.Height;
            for (var j = i; j < items.Count - 1 && items[j] is PdfUnit { KeepWithNext: true } && items[j + 1] is PdfUnit next; j++) chain += next.Height;
            var needed = unit.KeepWithNext && chain <= bottom - top ? chain : unit.Height;
            if (y + needed > bottom && pages[^1].Count > 0)
            {
                NewPage();
                // A gap at the top of a page is only a gap.
                if (unit is SpacerUnit) continue;
            }
            pages[^1].Add((unit, y));
            y += unit.Height;
        }
        if (pages.Count > 1 && pages[^1].Count == 0) pages.RemoveAt(pages.Count - 1);
        return pages;
    }

    /// <summary>The frame's crest, decoded once per document; null when there is none or it cannot be read.</summary>
    private SKImage? HeaderLogo(PdfPageFrame frame)
    {
        if (frame.HeaderLogo is not { Length: > 0 } encoded) return null;
        try
        {
            return Decode(encoded);
        }
        catch (ArgumentException)
        {
            // A damaged logo must not stop a pack of 1,500 forms printing: the school's name is still there.
            return null;
        }
    }

    private void DrawFrame(SKCanvas canvas, PdfPageFrame frame, SKImage? logo, int page, int of)
    {
        var m = frame.Margin;
        var width = PageWidth - m * 2;
        // Right to left, the header and footer are mirrored: what starts a line on the left starts it on the right.
        var rtl = frame.RightToLeft;
        bool? direction = rtl ? true : null;
        var (start, end) = rtl ? (SKTextAlign.Right, SKTextAlign.Left) : (SKTextAlign.Left, SKTextAlign.Right);
        var (startX, endX) = rtl ? (m + width, m) : (m, m + width);
        // With a crest the header is taller: the crest at the start, the text centred on it.
        var textTop = m;
        var ruleY = m + HeaderStyle.LineHeight + 3;
        var textStart = m;
        if (frame.HeaderLogo is { Length: > 0 })
        {
            var boxTop = m - 6;
            textTop = boxTop + (LogoHeight - HeaderStyle.LineHeight) / 2;
            ruleY = boxTop + LogoHeight + 3;
            if (logo is not null)
            {
                var scale = Math.Min(LogoHeight / logo.Height, LogoMaxWidth / logo.Width);
                var (w, h) = (logo.Width * scale, logo.Height * scale);
                using var paint = new SKPaint();
                var logoLeft = rtl ? m + width - w : m;
                canvas.DrawImage(logo, new SKRect(logoLeft, boxTop + (LogoHeight - h) / 2, logoLeft + w, boxTop + (LogoHeight + h) / 2), new SKSamplingOptions(SKFilterMode.Linear), paint);
                textStart = rtl ? m + width - w - 6 : m + w + 6;
            }
            else if (rtl) textStart = startX;
        }
        else if (rtl) textStart = startX;
        if (frame.HeaderLeft is { Length: > 0 } hl) PdfText.DrawLine(canvas, PdfFonts.Printable(hl), Font(HeaderStrong), HeaderStrong, textStart, textTop, start, direction);
        if (frame.HeaderRight is { Length: > 0 } hr) PdfText.DrawLine(canvas, PdfFonts.Printable(hr), Font(HeaderStyle), HeaderStyle, endX, textTop, end, direction);
        if (frame.HeaderLeft is { Length: > 0 } || frame.HeaderRight is { Length: > 0 } || logo is not null)
        {
            using var rule = new SKPaint { Color = new SKColor(0xFFB8C2CC), IsStroke = true, StrokeWidth = 0.5f };
            canvas.DrawLine(m, ruleY, m + width, ruleY, rule);
        }
        var footerTop = PageHeight - m - HeaderStyle.LineHeight;
        if (frame.FooterLeft is { Length: > 0 } fl) PdfText.DrawLine(canvas, PdfFonts.Printable(fl), Font(HeaderStyle), HeaderStyle, startX, footerTop, start, direction);
        if (frame.PageNumbers)
            PdfText.DrawLine(canvas, PdfFonts.Printable(string.Format(CultureInfo.InvariantCulture, frame.PageNumberFormat, page, of)), Font(HeaderStyle), HeaderStyle, endX, footerTop, end, direction);
    }

    internal SKFont Font(PdfTextStyle style)
    {
        if (!_fonts.TryGetValue((style.Bold, style.Size), out var font))
        {
            font = new SKFont(style.Bold ? PdfFonts.Bold : PdfFonts.Regular, style.Size) { Subpixel = true, LinearMetrics = true, Hinting = SKFontHinting.None, Edging = SKFontEdging.Antialias };
            _fonts[(style.Bold, style.Size)] = font;
        }
        return font;
    }

    /// <summary>Decodes an image once per document, however many pages show it (a logo on 1,500 forms).</summary>
    internal SKImage Decode(ReadOnlySpan<byte> encoded)
    {
        var key = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(encoded));
        if (_imageCache.TryGetValue(key, out var cached)) return cached;
        var image = SKImage.FromEncodedData(encoded) ?? throw new ArgumentException("The image is not a PNG or JPEG that can be read.", nameof(encoded));
        _images.Add(image);
        _imageCache[key] = image;
        return image;
    }

    public void Dispose()
    {
        foreach (var font in _fonts.Values) font.Dispose();
        foreach (var image in _images) image.Dispose();
        _fonts.Clear();
        _images.Clear();
    }
}
