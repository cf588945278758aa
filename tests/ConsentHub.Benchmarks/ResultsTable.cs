using System.Globalization;
using System.Text;

namespace ConsentHub.Benchmarks;

/// <summary>Formats results as an aligned console table or as Markdown (same columns, same rounding).</summary>
public static class ResultsTable
{
    private static readonly string[] Headers = ["scenario", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "duration s"];

    // Numbers are right-aligned in both forms; only the scenario name is left-aligned.
    private static bool IsNumeric(int column) => column > 0;

    public static string ToText(IReadOnlyList<WrkResult> results)
    {
        var rows = Rows(results);
        var widths = Headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        void Line(IReadOnlyList<string> cells) => text.AppendLine(string.Join("  ",
            cells.Select((c, i) => IsNumeric(i) ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd());
        Line(Headers);
        Line(widths.Select(w => new string('-', w)).ToArray());
        foreach (var row in rows) Line(row);
        return text.ToString();
    }

    public static string ToMarkdown(IReadOnlyList<WrkResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine("| " + string.Join(" | ", Headers) + " |");
        text.AppendLine("|" + string.Join("|", Headers.Select((_, i) => IsNumeric(i) ? "---:" : ":---")) + "|");
        foreach (var row in Rows(results))
            text.AppendLine("| " + string.Join(" | ", row) + " |");
        return text.ToString();
    }

    private static List<string[]> Rows(IReadOnlyList<WrkResult> results) =>
        results.Select(r => new[]
        {
            r.Scenario,
            r.RequestsPerSecond.ToString("F0", CultureInfo.InvariantCulture),
            Milliseconds(r.P50Microseconds),
            Milliseconds(r.P95Microseconds),
            Milliseconds(r.P99Microseconds),
            r.Errors.ToString(CultureInfo.InvariantCulture),
            r.Duration.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture),
        }).ToList();

    private static string Milliseconds(long microseconds) =>
        (microseconds / 1000.0).ToString("F2", CultureInfo.InvariantCulture);
}
