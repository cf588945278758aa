using System.Globalization;
using System.Text.RegularExpressions;

namespace ConsentHub.Web.Tests.Accessibility;

/// <summary>
/// WCAG 1.4.11 (non-text contrast): the edge of a text box, select or tick box is what shows a parent on a phone
/// where to type, so it keeps at least 3:1 against the page. The stylesheets as shipped are parsed and the ratio
/// computed by the WCAG formula; and no page draws an icon with an emoji or dingbat a phone's fonts may lack.
/// </summary>
public sealed partial class FieldContrastTests
{
    private static readonly string Root = FindRoot();

    [Theory]
    [InlineData("signing.css", ".form-control")]
    [InlineData("signing.css", ".form-select")]
    [InlineData("signing.css", ".form-check-input")]
    [InlineData("app.css", ".form-control")]
    [InlineData("app.css", ".form-select")]
    [InlineData("app.css", ".form-check-input")]
    public void AFieldsBorder_HasAtLeast3To1ContrastAgainstThePage(string stylesheet, string selector)
    {
        var rules = Rules(File.ReadAllText(Path.Combine(Root, "src/ConsentHub.Web/wwwroot", stylesheet)));
        var border = rules.LastOrDefault(r => r.Selectors.Contains(selector) && r.Declarations.ContainsKey("border-color"))
            ?? throw new Xunit.Sdk.XunitException($"{stylesheet} does not set the border colour of {selector}: Bootstrap's default applies.");
        var page = rules.LastOrDefault(r => r.Selectors.Contains("body") && r.Declarations.ContainsKey("background"))?.Declarations["background"] ?? BootstrapBodyBackground();

        var ratio = Contrast(Hex(border.Declarations["border-color"]), Hex(page));

        Assert.True(ratio >= 3.0, $"{selector} border in {stylesheet}: {ratio:0.00}:1 against {page}, needs 3:1");
    }

    [Fact]
    public void BootstrapsDefaultFieldBorder_IsBelow3To1_SoTheOverrideIsNeeded()
    {
        var css = File.ReadAllText(Path.Combine(Root, "src/ConsentHub.Web/wwwroot/lib/bootstrap/dist/css/bootstrap.min.css"));
        var border = BootstrapVariable().Match(css).Groups["value"].Value;

        Assert.InRange(Contrast(Hex(border), Hex(BootstrapBodyBackground())), 1.0, 2.0);
    }

    [Fact]
    public void NoPageOrEmail_DrawsAnIconWithAnEmojiOrDingbat()
    {
        var files = Directory.EnumerateFiles(Path.Combine(Root, "src/ConsentHub.Web/Components"), "*.razor", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "templates/email"), "*.liquid"));
        var offenders = files
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetFileName(f), Line: i + 1, Text: line)))
            .Where(l => Pictograph().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}")
            .ToList();

        Assert.Empty(offenders);
    }

    [Theory]
    [InlineData("#ffffff", "#000000", 21.0)]
    [InlineData("#dee2e6", "#ffffff", 1.3)]
    [InlineData("#505a5f", "#ffffff", 7.1)]
    public void TheContrastFormula_MatchesWcagsFigures(string a, string b, double expected) =>
        Assert.Equal(expected, Math.Round(Contrast(Hex(a), Hex(b)), 1));

    private sealed record Rule(IReadOnlyList<string> Selectors, IReadOnlyDictionary<string, string> Declarations);

    private static List<Rule> Rules(string css)
    {
        css = Comment().Replace(css, "");
        return [.. RuleBlock().Matches(css).Select(m => new Rule(
            [.. m.Groups["selectors"].Value.Split(',').Select(s => s.Trim())],
            m.Groups["body"].Value.Split(';', StringSplitOptions.RemoveEmptyEntries)
                .Select(d => d.Split(':', 2))
                .Where(p => p.Length == 2)
                .GroupBy(p => p[0].Trim().ToLowerInvariant())
                .ToDictionary(g => g.Key, g => g.Last()[1].Replace("!important", "", StringComparison.Ordinal).Trim())))];
    }

    private static string BootstrapBodyBackground()
    {
        var css = File.ReadAllText(Path.Combine(Root, "src/ConsentHub.Web/wwwroot/lib/bootstrap/dist/css/bootstrap.min.css"));
        return BodyBackground().Match(css).Groups["value"].Value;
    }

    private static (double R, double G, double B) Hex(string colour)
    {
        var hex = colour.Trim().TrimStart('#');
        if (hex.Length == 3) hex = string.Concat(hex.Select(c => $"{c}{c}"));
        if (hex.Length != 6) throw new FormatException($"Not a hex colour: {colour}");
        double Channel(int i) => int.Parse(hex.AsSpan(i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
        return (Channel(0), Channel(2), Channel(4));
    }

    // WCAG 2.x relative luminance and contrast ratio.
    private static double Contrast((double R, double G, double B) a, (double R, double G, double B) b)
    {
        static double Linear(double c) => c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        static double Luminance((double R, double G, double B) c) => 0.2126 * Linear(c.R) + 0.7152 * Linear(c.G) + 0.0722 * Linear(c.B);
        var (l1, l2) = (Luminance(a), Luminance(b));
        return (Math.Max(l1, l2) + 0.05) / (Math.Min(l1, l2) + 0.05);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ConsentHub.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("ConsentHub.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"(?<selectors>[^{}@]+)\{(?<body>[^{}]*)\}")]
    private static partial Regex RuleBlock();

    [GeneratedRegex(@"--bs-border-color:(?<value>#[0-9a-fA-F]{3,6})")]
    private static partial Regex BootstrapVariable();

    [GeneratedRegex(@"--bs-body-bg:(?<value>#[0-9a-fA-F]{3,6})")]
    private static partial Regex BodyBackground();

    // Miscellaneous symbols, dingbats, arrows-and-symbols, and the emoji planes.
    [GeneratedRegex(@"[\u2600-\u27BF\u2B00-\u2BFF]|\uD83C[\uDC00-\uDFFF]|\uD83D[\uDC00-\uDFFF]|\uD83E[\uDC00-\uDEFF]")]
    private static partial Regex Pictograph();
}
