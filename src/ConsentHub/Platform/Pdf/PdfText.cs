using System.Runtime.CompilerServices;
using System.Text;
using HarfBuzzSharp;
using SkiaSharp;
using SkiaSharp.HarfBuzz;

namespace ConsentHub.Pdf;

/// <summary>
/// Text measuring, wrapping and drawing with the embedded fonts. A line of Latin, Greek or Cyrillic (nearly every
/// line) is drawn directly in the main face. A line with Arabic/Urdu, Bengali or Gurmukhi, or with a direction mark,
/// is split into runs per face and direction, each run shaped with HarfBuzz (joining, conjuncts, vowel reordering,
/// mark placement), and the runs put in visual order by the Unicode bidi rule for levels (L2). Each shaped run is
/// written with its text and clusters, so the PDF's text reads back as the characters, not as glyph numbers.
/// </summary>
internal static class PdfText
{
    // A pack draws tens of thousands of lines on one thread: reuse one paint per thread, and each font's metrics.
    [ThreadStatic] private static SKPaint? t_paint;
    [ThreadStatic] private static Dictionary<IntPtr, SKShaper>? t_shapers;
    [ThreadStatic] private static Dictionary<(IntPtr Face, float Size), SKFont>? t_fallbacks;
    private static readonly ConditionalWeakTable<SKFont, StrongBox<SKFontMetrics>> Metrics = new();

    /// <param name="rightToLeft">The paragraph's direction when the page sets it (a right-to-left form); null takes it from the first strong letter.</param>
    public static void DrawLine(SKCanvas canvas, string text, SKFont font, PdfTextStyle style, float x, float top, SKTextAlign align, bool? rightToLeft = null)
    {
        if (text.Length == 0) return;
        var m = Metrics.GetValue(font, f => { f.GetFontMetrics(out var fm); return new StrongBox<SKFontMetrics>(fm); }).Value;
        var glyphHeight = m.Descent - m.Ascent;
        var baseline = top + (style.LineHeight - glyphHeight) / 2 - m.Ascent;
        var paint = t_paint ??= new SKPaint { IsAntialias = true };
        paint.Color = style.SkColour;
        if (IsSimple(text) && rightToLeft != true)
        {
            canvas.DrawText(text, x, baseline, align, font, paint);
            return;
        }
        var runs = Shape(text, font, rightToLeft);
        var width = runs.Sum(r => r.Width);
        var pen = align switch { SKTextAlign.Right => x - width, SKTextAlign.Center => x - width / 2, _ => x };
        foreach (var run in runs)
        {
            if (run.Glyphs.Length > 0)
            {
                using var builder = new SKTextBlobBuilder();
                var buffer = builder.AllocatePositionedTextRun(run.Font, run.Glyphs.Length, run.Utf8.Length);
                run.Glyphs.CopyTo(buffer.Glyphs);
                run.Points.CopyTo(buffer.Positions);
                run.Utf8.CopyTo(buffer.Text);
                run.Clusters.CopyTo(buffer.Clusters);
                using var blob = builder.Build();
                if (blob is not null) canvas.DrawText(blob, pen, baseline, paint);
            }
            pen += run.Width;
        }
    }

    /// <summary>The width of the text as <see cref="DrawLine"/> draws it.</summary>
    public static float Measure(string text, SKFont font) =>
        IsSimple(text) ? font.MeasureText(text) : Shape(text, font).Sum(r => r.Width);

    /// <summary>How many glyphs the text would be drawn with that its faces lack (.notdef boxes); 0 when it prints.</summary>
    internal static int MissingGlyphs(string text, SKFont font)
    {
        if (IsSimple(text)) return text.EnumerateRunes().Count(r => !font.ContainsGlyph(r.Value));
        return Shape(text, font).Sum(r => r.Glyphs.Count(g => g == 0));
    }

    /// <summary>Whether the text needs no shaping or reordering: every character in the main face, left to right.</summary>
    public static bool IsSimple(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is >= '\u0590' and <= '\u08FF' or >= '\u0980' and <= '\u0A7F' or >= '\uFB1D' and <= '\uFDFF' or >= '\uFE70' and <= '\uFEFF'
                or '\u0964' or '\u0965' or '\u200C' or '\u200D' or '\u200E' or '\u200F') return false;
        }
        return true;
    }

    /// <summary>The base direction of a paragraph: that of its first strong character (left to right if none).</summary>
    public static bool StartsRightToLeft(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (PdfFonts.IsRightToLeft(rune.Value)) return true;
            if (Rune.IsLetter(rune) || rune.Value == 0x200E) return false;
        }
        return false;
    }

    /// <summary>Greedy word wrap; a word longer than the line is broken between characters.</summary>
    public static List<string> Wrap(string text, SKFont font, float width)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var words = paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0) { lines.Add(""); continue; }
            if (!IsSimple(paragraph))
            {
                WrapShaped(words, font, width, lines);
                continue;
            }
            // Widths add up (no kerning is applied when drawing), so each word is measured once.
            var space = font.MeasureText(" ");
            var current = "";
            var currentWidth = 0f;
            foreach (var raw in words)
            {
                var word = raw;
                var wordWidth = font.MeasureText(word);
                var candidateWidth = current.Length == 0 ? wordWidth : currentWidth + space + wordWidth;
                if (candidateWidth <= width)
                {
                    current = current.Length == 0 ? word : current + " " + word;
                    currentWidth = candidateWidth;
                    continue;
                }
                if (current.Length > 0) { lines.Add(current); current = ""; currentWidth = 0; }
                while (font.MeasureText(word) > width && word.Length > 1)
                {
                    var fit = word.Length - 1;
                    while (fit > 1 && font.MeasureText(word.AsSpan(0, fit)) > width) fit--;
                    lines.Add(word[..fit]);
                    word = word[fit..];
                }
                current = word;
                currentWidth = font.MeasureText(word);
            }
            lines.Add(current);
        }
        return lines;
    }

    // Shaped text is measured as a whole line (joining and kerning across a space are not additive); a word is
    // only broken between grapheme clusters, so a conjunct or a letter and its marks never split.
    private static void WrapShaped(string[] words, SKFont font, float width, List<string> lines)
    {
        var current = "";
        foreach (var raw in words)
        {
            var word = raw;
            var candidate = current.Length == 0 ? word : current + " " + word;
            if (Measure(candidate, font) <= width) { current = candidate; continue; }
            if (current.Length > 0) { lines.Add(current); current = ""; }
            while (Measure(word, font) > width)
            {
                var breaks = GraphemeBreaks(word);
                if (breaks.Count < 2) break;
                var fit = breaks.Count - 2;
                while (fit > 0 && Measure(word[..breaks[fit]], font) > width) fit--;
                lines.Add(word[..breaks[fit]]);
                word = word[breaks[fit]..];
            }
            current = word;
        }
        lines.Add(current);
    }

    private static List<int> GraphemeBreaks(string word)
    {
        var breaks = new List<int>();
        var e = System.Globalization.StringInfo.GetTextElementEnumerator(word);
        while (e.MoveNext()) breaks.Add(e.ElementIndex + ((string)e.Current).Length);
        return breaks;
    }

    private sealed record ShapedRun(SKFont Font, ushort[] Glyphs, SKPoint[] Points, byte[] Utf8, uint[] Clusters, float Width);

    private sealed record LogicalRun(string Text, PdfScript Script, bool RightToLeft)
    {
        public int Level { get; set; }
    }

    /// <summary>The line's runs in visual order (left to right on the page), each shaped in its face.</summary>
    private static List<ShapedRun> Shape(string text, SKFont font, bool? rightToLeft = null)
    {
        var bold = font.Typeface is { } face && face.FontWeight >= (int)SKFontStyleWeight.SemiBold;
        var baseRtl = rightToLeft ?? StartsRightToLeft(text);
        var runs = Segment(text, baseRtl);
        foreach (var r in runs) r.Level = r.RightToLeft ? 1 : baseRtl ? 2 : 0;
        // L2: from the highest level down to the lowest odd level, reverse every sequence at that level or higher.
        var highest = runs.Max(r => r.Level);
        var lowestOdd = runs.Where(r => r.Level % 2 == 1).Select(r => r.Level).DefaultIfEmpty(int.MaxValue).Min();
        for (var level = highest; level >= lowestOdd; level--)
        {
            for (var i = 0; i < runs.Count; i++)
            {
                if (runs[i].Level < level) continue;
                var j = i;
                while (j + 1 < runs.Count && runs[j + 1].Level >= level) j++;
                runs.Reverse(i, j - i + 1);
                i = j;
            }
        }
        return [.. runs.Select(r => ShapeRun(r, font, bold))];
    }

    /// <summary>
    /// Splits a line into runs of one face and one direction. Spaces, punctuation and marks take the run they follow
    /// (so "محمد علی" stays one right-to-left run); those at the edge of a run against the paragraph's direction go
    /// to the paragraph's direction, as the bidi rule for neutrals between different directions says.
    /// </summary>
    private static List<LogicalRun> Segment(string text, bool baseRtl)
    {
        var pieces = new List<(StringBuilder Text, PdfScript Script, bool Rtl, int TrailingNeutrals)>();
        foreach (var rune in text.EnumerateRunes())
        {
            var c = rune.Value;
            // A danda is punctuation: it takes the run it follows (Gurmukhi or Bengali), like a full stop.
            var danda = c is PdfFonts.IndicDanda or PdfFonts.IndicDoubleDanda;
            var strong = !danda && (Rune.IsLetterOrDigit(rune) || PdfFonts.ScriptOf(c) != PdfScript.Main || c is 0x200E or 0x200F);
            var script = PdfFonts.ScriptOf(c);
            var rtl = PdfFonts.IsRightToLeft(c);
            // European digits inside right-to-left text still read left to right; Arabic-Indic digits are in the Arabic face.
            if (rune.Value is >= 0x0660 and <= 0x0669 or >= 0x06F0 and <= 0x06F9) rtl = false;
            if (!strong && pieces.Count > 0 && !PdfFonts.FaceHas(pieces[^1].Script, c))
            {
                // Punctuation the script's face lacks (":" after an Arabic name) is drawn in the main face, same direction.
                pieces.Add((new StringBuilder(rune.ToString()), danda ? PdfScript.Gurmukhi : PdfScript.Main, pieces[^1].Rtl, rune.Utf16SequenceLength));
                continue;
            }
            if (!strong && pieces.Count > 0)
            {
                var last = pieces[^1];
                last.Text.Append(rune.ToString());
                pieces[^1] = last with { TrailingNeutrals = last.TrailingNeutrals + rune.Utf16SequenceLength };
                continue;
            }
            if (!strong) { script = danda ? PdfScript.Gurmukhi : PdfScript.Main; rtl = baseRtl; }
            if (pieces.Count > 0 && pieces[^1].Script == script && pieces[^1].Rtl == rtl)
            {
                var last = pieces[^1];
                last.Text.Append(rune.ToString());
                pieces[^1] = last with { TrailingNeutrals = 0 };
                continue;
            }
            // A new direction begins: the neutrals just before it belong to the paragraph's direction.
            if (pieces.Count > 0 && pieces[^1].TrailingNeutrals > 0 && (pieces[^1].Rtl != baseRtl || rtl != baseRtl) && pieces[^1].Rtl != rtl)
            {
                var last = pieces[^1];
                var all = last.Text.ToString();
                var neutrals = all[^last.TrailingNeutrals..];
                pieces[^1] = (new StringBuilder(all[..^last.TrailingNeutrals]), last.Script, last.Rtl, 0);
                pieces.Add((new StringBuilder(neutrals), PdfScript.Main, baseRtl, 0));
            }
            pieces.Add((new StringBuilder(rune.ToString()), script, rtl, 0));
        }
        if (pieces.Count > 0 && pieces[^1].TrailingNeutrals > 0 && pieces[^1].Rtl != baseRtl)
        {
            var last = pieces[^1];
            var all = last.Text.ToString();
            pieces[^1] = (new StringBuilder(all[..^last.TrailingNeutrals]), last.Script, last.Rtl, 0);
            pieces.Add((new StringBuilder(all[^last.TrailingNeutrals..]), PdfScript.Main, baseRtl, 0));
        }
        return [.. pieces.Where(p => p.Text.Length > 0).Select(p => new LogicalRun(p.Text.ToString(), p.Script, p.Rtl))];
    }

    private static ShapedRun ShapeRun(LogicalRun run, SKFont mainFont, bool bold)
    {
        var font = run.Script == PdfScript.Main && !bold ? mainFont : FontFor(run.Script, bold, mainFont);
        var shapers = t_shapers ??= [];
        var typeface = font.Typeface;
        if (!shapers.TryGetValue(typeface.Handle, out var shaper)) shapers[typeface.Handle] = shaper = new SKShaper(typeface);
        var utf8 = Encoding.UTF8.GetBytes(run.Text);
        using var buffer = new HarfBuzzSharp.Buffer();
        buffer.AddUtf8(utf8);
        buffer.Direction = run.RightToLeft ? Direction.RightToLeft : Direction.LeftToRight;
        buffer.GuessSegmentProperties();
        var shaped = shaper.Shape(buffer, 0, 0, font);
        var glyphs = new ushort[shaped.Codepoints.Length];
        for (var i = 0; i < glyphs.Length; i++) glyphs[i] = (ushort)shaped.Codepoints[i];
        return new ShapedRun(font, glyphs, shaped.Points, utf8, shaped.Clusters, shaped.Width);
    }

    private static SKFont FontFor(PdfScript script, bool bold, SKFont like)
    {
        var face = PdfFonts.Face(script, bold);
        var fonts = t_fallbacks ??= [];
        if (!fonts.TryGetValue((face.Handle, like.Size), out var font))
        {
            font = new SKFont(face, like.Size) { Subpixel = true, LinearMetrics = true, Hinting = SKFontHinting.None, Edging = SKFontEdging.Antialias };
            fonts[(face.Handle, like.Size)] = font;
        }
        return font;
    }
}
