using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using SkiaSharp;

namespace ConsentHub.Pdf;

/// <summary>
/// The two typefaces every ConsentHub PDF uses: subset DejaVu Sans regular and bold, embedded in this assembly
/// (Latin-1, Latin Extended-A, €, common punctuation; see Fonts/make-subsets.sh). Loaded once; Skia's PDF backend
/// embeds them with a ToUnicode map, so every word can be extracted and searched.
/// </summary>
public static class PdfFonts
{
    /// <summary>Drawn in place of a character the fonts lack, so a name is never printed with a letter missing.</summary>
    public const char Replacement = '\uFFFD';

    private static readonly Lazy<SKTypeface> RegularFace = new(() => Load("ConsentHub.Pdf.DejaVuSans.ttf"));
    private static readonly Lazy<SKTypeface> BoldFace = new(() => Load("ConsentHub.Pdf.DejaVuSans-Bold.ttf"));

    // Both faces cover the same characters (one subset list); read once, then a set lookup is thread-safe.
    private static readonly Lazy<System.Collections.Frozen.FrozenSet<int>> Covered = new(() =>
    {
        using var font = new SKFont(Regular, 10);
        return Enumerable.Range(0x20, 0x10000 - 0x20).Where(font.ContainsGlyph).ToFrozenSet();
    });

    public static SKTypeface Regular => RegularFace.Value;
    public static SKTypeface Bold => BoldFace.Value;

    /// <summary>
    /// The text as it will print: composed (NFC, so a decomposed "Ø" from a spreadsheet still finds its glyph),
    /// with control characters dropped and any character the fonts lack replaced by <see cref="Replacement"/>.
    /// </summary>
    public static string Printable(string? text) => Printable(text, out _);

    /// <param name="replaced">How many characters had no glyph.</param>
    public static string Printable(string? text, out int replaced)
    {
        replaced = 0;
        if (string.IsNullOrEmpty(text)) return "";
        var composed = text.Normalize(NormalizationForm.FormC);
        var sb = new StringBuilder(composed.Length);
        foreach (var rune in composed.EnumerateRunes())
        {
            if (rune.Value is '\t' or '\u00A0') { sb.Append(' '); continue; }
            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format) continue;
            if (Covered.Value.Contains(rune.Value)) sb.Append(rune.ToString());
            else { sb.Append(Replacement); replaced++; }
        }
        return sb.ToString();
    }

    private static SKTypeface Load(string resource)
    {
        using var stream = typeof(PdfFonts).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The font {resource} is not embedded; PDFs would have no text.");
        // Skia keeps reading the stream after FromStream returns: give it its own copy in memory.
        var memory = new MemoryStream();
        stream.CopyTo(memory);
        memory.Position = 0;
        return SKTypeface.FromStream(memory) ?? throw new InvalidOperationException($"The font {resource} could not be read.");
    }
}
