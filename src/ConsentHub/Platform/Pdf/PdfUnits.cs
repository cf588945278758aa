using QRCoder;
using SkiaSharp;

namespace ConsentHub.Pdf;

/// <summary>
/// The pieces a page is built from. Each has a height fixed when it is added (the content width is known then), so
/// pagination is plain arithmetic; a page break can fall between units, never inside one.
/// </summary>
internal abstract class PdfUnit
{
    public abstract float Height { get; }

    /// <summary>Kept on the same page as the unit after it (a heading and its first line).</summary>
    public bool KeepWithNext { get; init; }

    public abstract void Draw(SKCanvas canvas, float x, float y, float width);
}

internal sealed class SpacerUnit(float height) : PdfUnit
{
    public override float Height => height;
    public override void Draw(SKCanvas canvas, float x, float y, float width) { }
}

/// <summary>
/// One line of text, already wrapped to fit. On a right-to-left page the line starts at the right edge: "left"
/// (the start) becomes right and "right" (the end) becomes left.
/// </summary>
internal sealed class TextLineUnit(string text, SKFont font, PdfTextStyle style, float indent = 0, SKTextAlign align = SKTextAlign.Left, bool rightToLeft = false) : PdfUnit
{
    public string Text { get; } = text;
    public override float Height => style.LineHeight;

    public override void Draw(SKCanvas canvas, float x, float y, float width)
    {
        var a = !rightToLeft ? align : align switch { SKTextAlign.Left => SKTextAlign.Right, SKTextAlign.Right => SKTextAlign.Left, _ => align };
        var at = a switch
        {
            SKTextAlign.Right => x + width - (rightToLeft ? indent : 0),
            SKTextAlign.Center => x + width / 2,
            _ => x + (rightToLeft ? 0 : indent),
        };
        PdfText.DrawLine(canvas, Text, font, style, at, y, a, rightToLeft ? true : null);
    }
}

/// <summary>A horizontal rule.</summary>
internal sealed class RuleUnit(float spaceAround, uint colour) : PdfUnit
{
    public override float Height => spaceAround * 2;

    public override void Draw(SKCanvas canvas, float x, float y, float width)
    {
        using var paint = new SKPaint { Color = new SKColor(colour), StrokeWidth = 0.75f, IsStroke = true };
        canvas.DrawLine(x, y + spaceAround, x + width, y + spaceAround, paint);
    }
}

/// <summary>Units drawn one under the other, never split: a signature block, a panel, one side of two columns.</summary>
internal sealed class StackUnit(IReadOnlyList<PdfUnit> units, float padding = 0, uint? border = null, uint? fill = null) : PdfUnit
{
    public IReadOnlyList<PdfUnit> Units { get; } = units;
    public override float Height { get; } = units.Sum(u => u.Height) + padding * 2;

    public override void Draw(SKCanvas canvas, float x, float y, float width)
    {
        var box = new SKRect(x, y, x + width, y + Height);
        if (fill is { } f)
        {
            using var paint = new SKPaint { Color = new SKColor(f), IsStroke = false };
            canvas.DrawRect(box, paint);
        }
        if (border is { } b)
        {
            using var paint = new SKPaint { Color = new SKColor(b), IsStroke = true, StrokeWidth = 1f };
            canvas.DrawRect(box, paint);
        }
        var top = y + padding;
        foreach (var unit in Units)
        {
            unit.Draw(canvas, x + padding, top, width - padding * 2);
            top += unit.Height;
        }
    }
}

/// <summary>Two stacks side by side; as tall as the taller. On a right-to-left page the first stands on the right.</summary>
internal sealed class ColumnsUnit(StackUnit left, StackUnit right, float leftWidth, float gap, bool rightToLeft = false) : PdfUnit
{
    public override float Height { get; } = Math.Max(left.Height, right.Height);

    public override void Draw(SKCanvas canvas, float x, float y, float width)
    {
        if (rightToLeft)
        {
            left.Draw(canvas, x + width - leftWidth, y, leftWidth);
            right.Draw(canvas, x, y, width - leftWidth - gap);
            return;
        }
        left.Draw(canvas, x, y, leftWidth);
        right.Draw(canvas, x + leftWidth + gap, y, width - leftWidth - gap);
    }
}

/// <summary>A table row: each cell's wrapped lines, top-aligned, with a rule under the row.</summary>
internal sealed class TableRowUnit(IReadOnlyList<IReadOnlyList<string>> cellLines, IReadOnlyList<float> widths, SKFont font, PdfTextStyle style, bool header, bool rightToLeft = false) : PdfUnit
{
    private const float Padding = 3f;
    public IReadOnlyList<IReadOnlyList<string>> Cells { get; } = cellLines;
    public override float Height { get; } = cellLines.Max(c => Math.Max(1, c.Count)) * style.LineHeight + Padding * 2;

    public override void Draw(SKCanvas canvas, float x, float y, float width)
    {
        if (header)
        {
            using var fill = new SKPaint { Color = new SKColor(0xFFE8EEF5), IsStroke = false };
            canvas.DrawRect(new SKRect(x, y, x + width, y + Height), fill);
        }
        // Right to left, the first column is on the right and each cell's text starts at its right edge.
        var left = x;
        var right = x + width;
        for (var i = 0; i < Cells.Count; i++)
        {
            var top = y + Padding;
            foreach (var line in Cells[i])
            {
                if (rightToLeft) PdfText.DrawLine(canvas, line, font, style, right - Padding, top, SKTextAlign.Right, rightToLeft: true);
                else PdfText.DrawLine(canvas, line, font, style, left + Padding, top, SKTextAlign.Left);
                top += style.LineHeight;
            }
            left += widths[i];
            right -= widths[i];
        }
        using var rule = new SKPaint { Color = new SKColor(0xFFB8C2CC), IsStroke = true, StrokeWidth = 0.5f };
        canvas.DrawLine(x, y + Height, x + width, y + Height, rule);
    }
}

/// <summary>
/// A question with an empty tick box per option at the end of the line: on the right, or on a right-to-left page
/// mirrored to the left with each box to the right of its label. Nothing is ever pre-ticked.
/// </summary>
internal sealed class ChoiceUnit(IReadOnlyList<string> questionLines, IReadOnlyList<string> options, SKFont font, SKFont optionFont, PdfTextStyle style, float optionsWidth, bool rightToLeft = false) : PdfUnit
{
    private const float Box = 11f;
    private const float Padding = 4f;
    public IReadOnlyList<string> QuestionLines { get; } = questionLines;
    public IReadOnlyList<string> Options { get; } = options;
    public override float Height { get; } = Math.Max(questionLines.Count * style.LineHeight, Box + 2) + Padding * 2;

    public override void Draw(SKCanvas canvas, float x, float y, float width)
    {
        var top = y + Padding;
        foreach (var line in QuestionLines)
        {
            if (rightToLeft) PdfText.DrawLine(canvas, line, font, style, x + width, top, SKTextAlign.Right, rightToLeft: true);
            else PdfText.DrawLine(canvas, line, font, style, x, top, SKTextAlign.Left);
            top += style.LineHeight;
        }
        using var box = new SKPaint { Color = new SKColor(0xFF1A1A1A), IsStroke = true, StrokeWidth = 1f };
        var slot = optionsWidth / Options.Count;
        if (rightToLeft)
        {
            // The mirror image: the first option's box at the right of the options, its label to the box's left.
            var slotRight = x + optionsWidth;
            var rtlBoxTop = y + Padding + (style.LineHeight - Box) / 2;
            foreach (var option in Options)
            {
                var boxLeft = slotRight - Box;
                canvas.DrawRect(new SKRect(boxLeft, rtlBoxTop, slotRight, rtlBoxTop + Box), box);
                PdfText.DrawLine(canvas, option, optionFont, style with { Bold = true }, boxLeft - 4, y + Padding, SKTextAlign.Right, rightToLeft: true);
                slotRight -= slot;
            }
            using var rtlRule = new SKPaint { Color = new SKColor(0xFFD5DCE3), IsStroke = true, StrokeWidth = 0.5f };
            canvas.DrawLine(x, y + Height, x + width, y + Height, rtlRule);
            return;
        }
        var left = x + width - optionsWidth;
        // Boxes and their labels sit on the question's first line, so the page reads (and extracts) in order.
        var boxTop = y + Padding + (style.LineHeight - Box) / 2;
        foreach (var option in Options)
        {
            canvas.DrawRect(new SKRect(left, boxTop, left + Box, boxTop + Box), box);
            PdfText.DrawLine(canvas, option, optionFont, style with { Bold = true }, left + Box + 4, y + Padding, SKTextAlign.Left);
            left += slot;
        }
        using var rule = new SKPaint { Color = new SKColor(0xFFD5DCE3), IsStroke = true, StrokeWidth = 0.5f };
        canvas.DrawLine(x, y + Height, x + width, y + Height, rule);
    }
}

/// <summary>A labelled line to write on (signature, name, date); right to left, the label is on the right.</summary>
internal sealed class WriteInUnit(string label, SKFont font, PdfTextStyle style, float labelWidth, bool rightToLeft = false) : PdfUnit
{
    public override float Height => 26f;

    public override void Draw(SKCanvas canvas, float x, float y, float width)
    {
        using var line = new SKPaint { Color = new SKColor(0xFF1A1A1A), IsStroke = true, StrokeWidth = 0.75f };
        if (rightToLeft)
        {
            PdfText.DrawLine(canvas, label, font, style, x + width, y + Height - style.LineHeight - 2, SKTextAlign.Right, rightToLeft: true);
            canvas.DrawLine(x, y + Height - 3, x + width - labelWidth, y + Height - 3, line);
            return;
        }
        PdfText.DrawLine(canvas, label, font, style, x, y + Height - style.LineHeight - 2, SKTextAlign.Left);
        canvas.DrawLine(x + labelWidth, y + Height - 3, x + width, y + Height - 3, line);
    }
}

internal sealed class ImageUnit(SKImage image, float width, float height, bool rightToLeft = false) : PdfUnit
{
    public override float Height => height;
    public override void Draw(SKCanvas canvas, float x, float y, float areaWidth)
    {
        using var paint = new SKPaint();
        var left = rightToLeft ? x + areaWidth - width : x;
        canvas.DrawImage(image, new SKRect(left, y, left + width, y + height), new SKSamplingOptions(SKFilterMode.Linear), paint);
    }
}

/// <summary>A QR code drawn as vector squares (sharp at any print size), with a link on it for screen readers of the PDF.</summary>
internal sealed class QrCodeUnit : PdfUnit
{
    private readonly List<System.Collections.BitArray> _modules;
    private readonly float _size;
    private readonly string _payload;
    private readonly bool _rightToLeft;

    public QrCodeUnit(string payload, float size, bool rightToLeft = false)
    {
        _rightToLeft = rightToLeft;
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(payload, QRCodeGenerator.ECCLevel.M);
        _modules = [.. data.ModuleMatrix];
        _size = size;
        _payload = payload;
    }

    public override float Height => _size;

    public override void Draw(SKCanvas canvas, float x, float y, float width)
    {
        if (_rightToLeft) x += width - _size;
        var n = _modules.Count;
        var module = _size / n;
        // Runs of dark modules as one rectangle each: a few hundred small operations, smaller in the PDF than a path.
        using var paint = new SKPaint { Color = SKColors.Black, IsStroke = false, IsAntialias = false };
        for (var row = 0; row < n; row++)
        {
            for (var col = 0; col < n; col++)
            {
                if (!_modules[row][col]) continue;
                var start = col;
                while (col + 1 < n && _modules[row][col + 1]) col++;
                canvas.DrawRect(new SKRect(x + start * module, y + row * module, x + (col + 1) * module, y + (row + 1) * module), paint);
            }
        }
        canvas.DrawUrlAnnotation(new SKRect(x, y, x + _size, y + _size), _payload);
    }
}
