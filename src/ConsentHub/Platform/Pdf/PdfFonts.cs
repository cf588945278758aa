using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using SkiaSharp;

namespace ConsentHub.Pdf;

/// <summary>The face a run of text is drawn in: the main one, or the fallback for a script it lacks.</summary>
public enum PdfScript
{
    /// <summary>DejaVu Sans: Latin (with Vietnamese), Greek, Cyrillic, digits, punctuation.</summary>
    Main = 0,

    /// <summary>Noto Naskh Arabic: Arabic and Urdu, right to left.</summary>
    Arabic = 1,

    /// <summary>Noto Sans Bengali.</summary>
    Bengali = 2,

    /// <summary>Noto Sans Gurmukhi (Punjabi).</summary>
    Gurmukhi = 3,
}

/// <summary>
/// The typefaces every ConsentHub PDF uses, embedded in this assembly as subsets (Fonts/make-subsets.sh): DejaVu Sans
/// regular and bold for Latin (Vietnamese included), Greek and Cyrillic; Noto Naskh Arabic, Noto Sans Bengali and
/// Noto Sans Gurmukhi as fallbacks, chosen per script run and shaped with HarfBuzz (<see cref="PdfText"/>). Loaded
/// once; Skia's PDF backend embeds them with a ToUnicode map, so every word can be extracted and searched.
/// </summary>
public static class PdfFonts
{
    /// <summary>Drawn in place of a character the fonts lack, so a name is never printed with a letter missing.</summary>
    public const char Replacement = '\uFFFD';

    private static readonly Lazy<SKTypeface>[,] Faces = new Lazy<SKTypeface>[4, 2]
    {
        { new(() => Load("DejaVuSans.ttf")), new(() => Load("DejaVuSans-Bold.ttf")) },
        { new(() => Load("NotoNaskhArabic-Regular.ttf")), new(() => Load("NotoNaskhArabic-Bold.ttf")) },
        { new(() => Load("NotoSansBengali-Regular.ttf")), new(() => Load("NotoSansBengali-Bold.ttf")) },
        { new(() => Load("NotoSansGurmukhi-Regular.ttf")), new(() => Load("NotoSansGurmukhi-Bold.ttf")) },
    };

    // Regular and bold cover the same characters (one subset list per script); read once, then a set lookup is
    // thread-safe. A character counts as printable when the face its script is drawn in has it.
    private static readonly Lazy<FrozenSet<int>[]> FaceCharacters = new(() =>
        [.. Enum.GetValues<PdfScript>().Select(script =>
        {
            using var font = new SKFont(Face(script, bold: false), 10);
            return Enumerable.Range(0x20, 0x10000 - 0x20).Where(c => c is < 0xD800 or > 0xDFFF && font.ContainsGlyph(c)).ToFrozenSet();
        })]);

    private static readonly Lazy<FrozenSet<int>> Covered = new(() =>
        Enum.GetValues<PdfScript>().SelectMany(script => FaceCharacters.Value[(int)script]
            .Where(c => script == PdfScript.Main || ScriptOf(c) == script)).ToFrozenSet());

    /// <summary>Whether a script's face has a glyph for the character (a space or comma inside an Arabic run).</summary>
    public static bool FaceHas(PdfScript script, int c) => FaceCharacters.Value[(int)script].Contains(c);

    public static SKTypeface Regular => Faces[0, 0].Value;
    public static SKTypeface Bold => Faces[0, 1].Value;

    public static SKTypeface Face(PdfScript script, bool bold) => Faces[(int)script, bold ? 1 : 0].Value;

    /// <summary>The fallback face a character needs; <see cref="PdfScript.Main"/> for everything else.</summary>
    public static PdfScript ScriptOf(int c) => c switch
    {
        >= 0x0600 and <= 0x06FF or >= 0x0750 and <= 0x077F or >= 0x08A0 and <= 0x08FF
            or >= 0xFB50 and <= 0xFDFF or >= 0xFE70 and <= 0xFEFF => PdfScript.Arabic,
        >= 0x0980 and <= 0x09FF => PdfScript.Bengali,
        // The danda and double danda (Devanagari block) end Punjabi and Bengali sentences; the Gurmukhi and Bengali
        // faces carry them and DejaVu does not. After Bengali text PdfText keeps them in the Bengali run.
        >= 0x0A00 and <= 0x0A7F or IndicDanda or IndicDoubleDanda => PdfScript.Gurmukhi,
        _ => PdfScript.Main,
    };

    /// <summary>"।", the full stop of Punjabi (Gurmukhi) and Bengali.</summary>
    public const int IndicDanda = 0x0964;

    /// <summary>"॥", the end of a verse or section.</summary>
    public const int IndicDoubleDanda = 0x0965;

    /// <summary>Whether a character is written right to left (Arabic and Hebrew letters).</summary>
    public static bool IsRightToLeft(int c) =>
        c is >= 0x0590 and <= 0x08FF or >= 0xFB1D and <= 0xFDFF or >= 0xFE70 and <= 0xFEFF or 0x200F;

    /// <summary>
    /// The text as it will print: composed (NFC, so a decomposed "Ø" from a spreadsheet still finds its glyph),
    /// with control characters dropped and any character the fonts lack replaced by <see cref="Replacement"/>.
    /// Joiners (ZWJ/ZWNJ) and direction marks are kept: Arabic, Bengali and Gurmukhi spelling depends on them.
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
            if (rune.Value is 0x200C or 0x200D or 0x200E or 0x200F) { sb.Append(rune.ToString()); continue; }
            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format) continue;
            if (Covered.Value.Contains(rune.Value)) sb.Append(rune.ToString());
            else { sb.Append(Replacement); replaced++; }
        }
        return sb.ToString();
    }

    private static SKTypeface Load(string file)
    {
        var resource = "ConsentHub.Pdf." + file;
        using var stream = typeof(PdfFonts).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The font {resource} is not embedded; PDFs would have no text.");
        // Skia keeps reading the stream after FromStream returns: give it its own copy in memory.
        var memory = new MemoryStream();
        stream.CopyTo(memory);
        memory.Position = 0;
        return SKTypeface.FromStream(memory) ?? throw new InvalidOperationException($"The font {resource} could not be read.");
    }
}
