using SkiaSharp;

namespace ConsentHub.Pdf;

/// <summary>
/// A run of content with its own header, footer and page numbering: one consent form, say, of which a pack holds
/// many. Methods add content top to bottom and return the section, so a document reads as it prints.
/// </summary>
public sealed class PdfSection
{
    private readonly PdfDocumentBuilder _document;
    internal List<object> Items { get; } = [];

    internal PdfSection(PdfDocumentBuilder document, PdfPageFrame frame, float width)
    {
        _document = document;
        Frame = frame;
        ContentWidth = width;
    }

    public PdfPageFrame Frame { get; }

    /// <summary>The page is mirrored for a right-to-left language (<see cref="PdfPageFrame.RightToLeft"/>).</summary>
    private bool Rtl => Frame.RightToLeft;

    /// <summary>Points available across the page (or the column or panel being filled).</summary>
    public float ContentWidth { get; }

    /// <summary>Characters the fonts could not print, shown as <see cref="PdfFonts.Replacement"/>.</summary>
    public int ReplacedCharacters { get; private set; }

    private string Printable(string? text)
    {
        var printable = PdfFonts.Printable(text, out var replaced);
        ReplacedCharacters += replaced;
        _document.ReplacedCharacters += replaced;
        return printable;
    }

    public PdfSection Heading(string text, int level = 1) =>
        AddText(text, level switch { 0 => PdfTextStyle.Title, 1 => PdfTextStyle.Heading, _ => PdfTextStyle.Subheading }, keepWithNext: true);

    public PdfSection Paragraph(string text, PdfTextStyle? style = null) => AddText(text, style ?? PdfTextStyle.Body, keepWithNext: false);

    /// <summary>One line of text aligned right or centred, e.g. a reference number. Wrapped like a paragraph if long.</summary>
    public PdfSection AlignedText(string text, SKTextAlign align, PdfTextStyle? style = null)
    {
        var s = style ?? PdfTextStyle.Body;
        var font = _document.Font(s);
        foreach (var line in PdfText.Wrap(Printable(text), font, ContentWidth))
            Items.Add(new TextLineUnit(line, font, s, align: align, rightToLeft: Rtl));
        Items.Add(new SpacerUnit(s.SpaceAfter));
        return this;
    }

    private PdfSection AddText(string text, PdfTextStyle style, bool keepWithNext)
    {
        var font = _document.Font(style);
        var lines = PdfText.Wrap(Printable(text), font, ContentWidth);
        for (var i = 0; i < lines.Count; i++)
            Items.Add(new TextLineUnit(lines[i], font, style, rightToLeft: Rtl) { KeepWithNext = keepWithNext || (i < lines.Count - 1 && lines.Count <= 3) });
        Items.Add(new SpacerUnit(style.SpaceAfter) { KeepWithNext = keepWithNext });
        return this;
    }

    public PdfSection Spacer(float points)
    {
        Items.Add(new SpacerUnit(points));
        return this;
    }

    public PdfSection Rule(float spaceAround = 6f)
    {
        Items.Add(new RuleUnit(spaceAround, 0xFFB8C2CC));
        return this;
    }

    /// <summary>A table with a shaded heading row; rows may fall on the next page, each row stays whole.</summary>
    public PdfSection Table(IReadOnlyList<PdfColumn> columns, IEnumerable<IReadOnlyList<string>> rows, PdfTextStyle? style = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        var s = style ?? PdfTextStyle.Body with { SpaceAfter = 0 };
        var total = columns.Sum(c => c.Share);
        var widths = columns.Select(c => ContentWidth * c.Share / total).ToList();
        var bold = _document.Font(s with { Bold = true });
        var regular = _document.Font(s);
        IReadOnlyList<IReadOnlyList<string>> Cells(IEnumerable<string> cells, SKFont font) =>
            [.. cells.Select((c, i) => (IReadOnlyList<string>)PdfText.Wrap(Printable(c), font, widths[i] - 6))];
        Items.Add(new TableRowUnit(Cells(columns.Select(c => c.Heading), bold), widths, bold, s, header: true, Rtl) { KeepWithNext = true });
        foreach (var row in rows)
        {
            if (row.Count != columns.Count) throw new ArgumentException($"A row has {row.Count} cells; the table has {columns.Count} columns.", nameof(rows));
            Items.Add(new TableRowUnit(Cells(row, regular), widths, regular, s, header: false, Rtl));
        }
        Items.Add(new SpacerUnit(8));
        return this;
    }

    /// <summary>A question and an empty tick box per option (e.g. Yes / No), at the end of the line (the right; the left on a right-to-left page).</summary>
    public PdfSection Choice(string question, IReadOnlyList<string> options, PdfTextStyle? style = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var s = style ?? PdfTextStyle.Body;
        var optionFont = _document.Font(s with { Bold = true });
        var printableOptions = options.Select(Printable).ToList();
        var optionsWidth = printableOptions.Sum(o => PdfText.Measure(o, optionFont) + 11 + 4 + 18);
        var lines = PdfText.Wrap(Printable(question), _document.Font(s), ContentWidth - optionsWidth - 12);
        Items.Add(new ChoiceUnit(lines, printableOptions, _document.Font(s), optionFont, s, optionsWidth, Rtl));
        return this;
    }

    /// <summary>A label and a line to write on: "Signature", "Full name", "Date".</summary>
    public PdfSection WriteIn(string label, float labelWidth = 110f)
    {
        Items.Add(new WriteInUnit(Printable(label), _document.Font(PdfTextStyle.Body), PdfTextStyle.Body, labelWidth, Rtl));
        return this;
    }

    /// <summary>A PNG or JPEG (an academy's logo), scaled down to fit the box and never up.</summary>
    public PdfSection Image(ReadOnlySpan<byte> encoded, float maxWidth, float maxHeight)
    {
        var image = _document.Decode(encoded);
        var scale = Math.Min(1f, Math.Min(maxWidth / image.Width, maxHeight / image.Height));
        Items.Add(new ImageUnit(image, image.Width * scale, image.Height * scale, Rtl));
        return this;
    }

    /// <summary>A QR code for <paramref name="payload"/> (a link), <paramref name="size"/> points square including its quiet zone.</summary>
    public PdfSection QrCode(string payload, float size = 96f)
    {
        ArgumentException.ThrowIfNullOrEmpty(payload);
        Items.Add(new QrCodeUnit(payload, size, Rtl));
        return this;
    }

    /// <summary>Content that must never be split across pages (a signature block): moved whole to the next page if it does not fit.</summary>
    public PdfSection KeepTogether(Action<PdfSection> content) => Nested(content, padding: 0, border: null, fill: null);

    /// <summary>Like <see cref="KeepTogether"/>, in a bordered, lightly shaded box.</summary>
    public PdfSection Panel(Action<PdfSection> content) => Nested(content, padding: 8, border: 0xFF8A9AAB, fill: 0xFFF5F7FA);

    /// <summary>Two columns side by side (a logo beside the title; a QR code beside its instructions), kept together; the first on the right on a right-to-left page.</summary>
    public PdfSection Columns(float leftWidth, Action<PdfSection> left, Action<PdfSection> right, float gap = 12f)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var l = new PdfSection(_document, Frame, leftWidth);
        left(l);
        var r = new PdfSection(_document, Frame, ContentWidth - leftWidth - gap);
        right(r);
        Items.Add(new ColumnsUnit(new StackUnit(l.Units()), new StackUnit(r.Units()), leftWidth, gap, Rtl));
        return this;
    }

    /// <summary>Starts a new page (in this section).</summary>
    public PdfSection PageBreak()
    {
        Items.Add(PageBreakMarker.Instance);
        return this;
    }

    private PdfSection Nested(Action<PdfSection> content, float padding, uint? border, uint? fill)
    {
        ArgumentNullException.ThrowIfNull(content);
        var inner = new PdfSection(_document, Frame, ContentWidth - padding * 2);
        content(inner);
        Items.Add(new StackUnit(inner.Units(), padding, border, fill));
        if (border is not null) Items.Add(new SpacerUnit(8));
        return this;
    }

    private List<PdfUnit> Units()
    {
        var units = Items.OfType<PdfUnit>().ToList();
        // A trailing gap inside a box only makes the box taller.
        while (units.Count > 0 && units[^1] is SpacerUnit) units.RemoveAt(units.Count - 1);
        return units;
    }

    internal sealed class PageBreakMarker
    {
        public static readonly PageBreakMarker Instance = new();
    }
}
