using System.Globalization;
using System.Text;
using UglyToad.PdfPig;

namespace ConsentHub.Testing.Pdf;

/// <summary>
/// Names a UK school's families really have, one from each script the PDFs must print: Vietnamese (Latin Extended
/// Additional), Polish, Romanian comma letters, Nordic, a typographic apostrophe, Arabic and Urdu (right to left,
/// joined), Bengali and Gurmukhi (conjuncts, reordered vowels), Greek and Cyrillic.
/// </summary>
public static class NamesCorpus
{
    public static IReadOnlyList<(string Given, string Family)> People { get; } =
    [
        ("Thảo", "Đặng"),
        ("Minh", "Nguyễn"),
        ("Łukasz", "Wróbel"),
        ("Ioana", "Mureșan"),
        ("Zoë", "Ødegård"),
        ("Siobhán", "O’Brien"),
        ("محمد", "علی"),
        ("عائشہ", "چودھری"),
        ("সুমাইয়া", "রহমান"),
        ("ਗੁਰਪ੍ਰੀਤ", "ਸਿੰਘ"),
        ("Αλέξανδρος", "Παπαδόπουλος"),
        ("Анастасія", "Шевченко"),
    ];

    public static IEnumerable<string> Words => People.SelectMany(p => new[] { p.Given, p.Family });

    /// <summary>
    /// Fails when the PDF has a replacement character anywhere, or when any of the words cannot be read back from
    /// it. Text is compared after NFKC (Arabic presentation forms and Bengali nukta letters read back as the letters
    /// typed); right-to-left words are stored in visual order, so either order counts.
    /// </summary>
    public static void AssertAllPrint(byte[] pdf, IEnumerable<string> words, string what)
    {
        using var document = PdfDocument.Open(pdf);
        var text = new StringBuilder();
        foreach (var page in document.GetPages())
        {
            // A shaped cluster (a conjunct, a reordered vowel) is marked with the characters it stands for
            // (/ActualText), which is what a reader copies and searches: read those, then the plain letters.
            var actual = new Dictionary<UglyToad.PdfPig.Content.Letter, string?>(ReferenceEqualityComparer.Instance);
            void Collect(UglyToad.PdfPig.Content.MarkedContentElement e)
            {
                if (e.ActualText is { } t && e.Letters.Count > 0)
                {
                    actual[e.Letters[0]] = t;
                    foreach (var l in e.Letters.Skip(1)) actual[l] = null;
                }
                foreach (var child in e.Children) Collect(child);
            }
            foreach (var element in page.GetMarkedContents()) Collect(element);
            foreach (var letter in page.Letters)
            {
                if (letter.Value.Contains('\uFFFD', StringComparison.Ordinal))
                    throw new Xunit.Sdk.XunitException($"{what}: a character printed as U+FFFD on page {page.Number}.");
                if (actual.TryGetValue(letter, out var replacement)) text.Append(replacement);
                else if (letter.Value.Contains('\0', StringComparison.Ordinal))
                    throw new Xunit.Sdk.XunitException($"{what}: a glyph on page {page.Number} stands for no character.");
                else text.Append(letter.Value);
            }
        }
        var haystack = Squash(text.ToString());
        var missing = words.Where(w => !haystack.Contains(Squash(w), StringComparison.Ordinal)
            && !haystack.Contains(Reverse(Squash(w)), StringComparison.Ordinal)).ToList();
        if (missing.Count > 0)
            throw new Xunit.Sdk.XunitException($"{what}: these names do not read back: {string.Join(", ", missing)}.\nText: {text}");
    }

    private static string Squash(string s) =>
        new([.. s.Normalize(NormalizationForm.FormKC).Where(c => !char.IsWhiteSpace(c) && CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format)]);

    private static string Reverse(string s)
    {
        var elements = new List<string>();
        var e = StringInfo.GetTextElementEnumerator(s);
        while (e.MoveNext()) elements.Add((string)e.Current);
        elements.Reverse();
        return string.Concat(elements);
    }
}
