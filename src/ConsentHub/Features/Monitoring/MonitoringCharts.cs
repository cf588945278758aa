using System.Globalization;
using ConsentHub.Consent;
using ScottPlot;

namespace ConsentHub.Monitoring;

public enum ChartKind
{
    /// <summary>One horizontal bar per category, its series stacked (pupils by status per purpose).</summary>
    StackedBars = 0,

    /// <summary>One line per series across the categories (weeks, terms).</summary>
    Lines = 1,

    /// <summary>Bars side by side per category, one per series.</summary>
    GroupedBars = 2,
}

/// <summary>A series of a chart: its name, colour (hex) and one value per category.</summary>
public sealed record ChartSeries(string Name, string Colour, IReadOnlyList<double> Values);

/// <summary>
/// What a chart shows, as data: the page and the PDF draw it (ScottPlot), and the same categories × series are the
/// chart's text alternative (the data table) and its CSV export.
/// </summary>
public sealed record ChartData(string Key, string Title, ChartKind Kind, string ValueLabel, IReadOnlyList<string> Categories, IReadOnlyList<ChartSeries> Series,
    bool Percent = false)
{
    public bool IsEmpty => Categories.Count == 0 || Series.Count == 0;

    public string Format(double value) => Percent
        ? (value * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%"
        : value.ToString("0.##", CultureInfo.InvariantCulture);
}

/// <summary>
/// The dashboard's and report's charts, built from <see cref="MonitoringFigures"/> and drawn with ScottPlot 5 (on the
/// SkiaSharp the PDF module already uses): SVG for the page, PNG for the PDF.
/// </summary>
public static class MonitoringCharts
{
    public const string AllowedColour = "#198754";
    public const string NotAllowedColour = "#dc3545";
    public const string PendingColour = "#e0a800";
    public const string NotRequestedColour = "#6c757d";

    private static readonly string[] Palette = ["#0d6efd", "#198754", "#dc3545", "#6f42c1", "#fd7e14", "#20c997", "#6c757d", "#d63384"];

    public static string StatusLabel(ConsentStatus status) => status switch
    {
        ConsentStatus.Allowed => "Allowed",
        ConsentStatus.NotAllowed => "Not allowed",
        ConsentStatus.Pending => "Waiting",
        _ => "Not asked",
    };

    public static IReadOnlyList<ChartData> All(MonitoringFigures figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        return [Coverage(figures), ClassPhotoShare(figures), Weekly(figures), Terms(figures), Responses(figures), Takedowns(figures)];
    }

    /// <summary>Pupils by status per purpose, at the period's last snapshot.</summary>
    public static ChartData Coverage(MonitoringFigures figures)
    {
        var purposes = figures.Coverage.Latest?.Purposes ?? [];
        return new ChartData("coverage", "Pupils by consent status, per purpose", ChartKind.StackedBars, "Pupils",
            [.. purposes.Select(p => p.PurposeName)],
            purposes.Count == 0 ? [] :
            [
                new ChartSeries(StatusLabel(ConsentStatus.Allowed), AllowedColour, [.. purposes.Select(p => (double)p.Allowed)]),
                new ChartSeries(StatusLabel(ConsentStatus.NotAllowed), NotAllowedColour, [.. purposes.Select(p => (double)p.NotAllowed)]),
                new ChartSeries(StatusLabel(ConsentStatus.Pending), PendingColour, [.. purposes.Select(p => (double)p.Pending)]),
                new ChartSeries(StatusLabel(ConsentStatus.NotRequested), NotRequestedColour, [.. purposes.Select(p => (double)p.NotRequested)]),
            ]);
    }

    /// <summary>Per channel: the share of pupils who can appear in a class photo, and of classes where everyone can.</summary>
    public static ChartData ClassPhotoShare(MonitoringFigures figures)
    {
        var purposes = figures.Coverage.Latest?.Purposes ?? [];
        return new ChartData("class-photo", "Who can appear in a class photo, per channel", ChartKind.GroupedBars, "Share",
            [.. purposes.Select(p => p.PurposeName)],
            purposes.Count == 0 ? [] :
            [
                new ChartSeries("Pupils allowed", AllowedColour, [.. purposes.Select(p => p.AllowedShare)]),
                new ChartSeries("Whole classes allowed", "#0d6efd", [.. purposes.Select(p => p.ClassShare)]),
            ], Percent: true);
    }

    public static ChartData Weekly(MonitoringFigures figures) => Series("weekly", "Pupils allowed, by week", figures.Coverage.Weeks);

    public static ChartData Terms(MonitoringFigures figures) => Series("terms", "Pupils allowed, term on term", figures.Coverage.Terms);

    private static ChartData Series(string key, string title, IReadOnlyList<CoveragePoint> points)
    {
        var purposes = points.SelectMany(p => p.Purposes).Select(p => (p.PurposeId, p.PurposeName)).Distinct().ToList();
        return new ChartData(key, title, ChartKind.Lines, "Share allowed", [.. points.Select(p => p.Label)],
            [.. purposes.Select((pp, i) => new ChartSeries(pp.PurposeName, Palette[i % Palette.Length],
                [.. points.Select(pt => pt.Purposes.FirstOrDefault(x => x.PurposeId == pp.PurposeId)?.AllowedShare ?? 0)]))],
            Percent: true);
    }

    /// <summary>Cumulative response rate of emailed requests after the first email and after each reminder.</summary>
    public static ChartData Responses(MonitoringFigures figures)
    {
        var rates = figures.Chasing.ResponseRates;
        return new ChartData("responses", "Answered after the first email and each reminder", ChartKind.GroupedBars, "Share answered",
            [.. rates.Select((_, i) => i == 0 ? "First email" : $"Reminder {i}")],
            rates.Count == 0 ? [] : [new ChartSeries("Answered (cumulative)", "#0d6efd", rates)], Percent: true);
    }

    public static ChartData Takedowns(MonitoringFigures figures)
    {
        var rows = figures.Takedowns.ByAcademy;
        return new ChartData("takedowns", "Takedowns by academy", ChartKind.GroupedBars, "Tasks", [.. rows.Select(r => r.Name)],
            rows.Count == 0 ? [] :
            [
                new ChartSeries("Opened", "#0d6efd", [.. rows.Select(r => (double)r.Opened)]),
                new ChartSeries("Done", AllowedColour, [.. rows.Select(r => (double)r.Done)]),
                new ChartSeries("Overdue", NotAllowedColour, [.. rows.Select(r => (double)r.Overdue)]),
            ]);
    }

    /// <summary>The chart as SVG for a page (shown through an &lt;img&gt;, so nothing in it can run).</summary>
    public static string Svg(ChartData chart, int width = 720, int height = 320)
    {
        using var plot = Draw(chart);
        return plot.GetSvgXml(width, Height(chart, height));
    }

    /// <summary>The chart as PNG for the PDF, drawn at <paramref name="scale"/> times its size so it prints sharp.</summary>
    public static byte[] Png(ChartData chart, int width, int height, float scale = 2.5f)
    {
        using var plot = Draw(chart);
        plot.ScaleFactor = scale;
        return plot.GetImageBytes((int)(width * scale), (int)(Height(chart, height) * scale), ImageFormat.Png);
    }

    /// <summary>Stacked bars grow with the number of categories (one bar per academy or purpose).</summary>
    private static int Height(ChartData chart, int height) =>
        chart.Kind == ChartKind.StackedBars ? Math.Max(height, 80 + 34 * chart.Categories.Count) : height;

    private static Plot Draw(ChartData chart)
    {
        var plot = new Plot();
        plot.Title(chart.Title, size: 14);
        if (chart.IsEmpty) return plot;
        var positions = Enumerable.Range(0, chart.Categories.Count).Select(i => (double)i).ToArray();
        var labels = chart.Categories.ToArray();
        switch (chart.Kind)
        {
            case ChartKind.StackedBars:
                {
                    var bars = new List<Bar>();
                    for (var i = 0; i < labels.Length; i++)
                    {
                        double start = 0;
                        foreach (var s in chart.Series)
                        {
                            bars.Add(new Bar { Position = i, ValueBase = start, Value = start + s.Values[i], FillColor = Color.FromHex(s.Colour), Size = 0.7 });
                            start += s.Values[i];
                        }
                    }
                    var bp = plot.Add.Bars(bars);
                    bp.Horizontal = true;
                    plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, labels);
                    plot.Axes.Bottom.Label.Text = chart.ValueLabel;
                    plot.Axes.Margins(left: 0, right: 0.05);
                    break;
                }
            case ChartKind.GroupedBars:
                {
                    var bars = new List<Bar>();
                    var n = chart.Series.Count;
                    var width = 0.8 / n;
                    for (var k = 0; k < n; k++)
                    {
                        var s = chart.Series[k];
                        for (var i = 0; i < labels.Length; i++)
                            bars.Add(new Bar { Position = i - 0.4 + width * (k + 0.5), Value = chart.Percent ? s.Values[i] * 100 : s.Values[i], FillColor = Color.FromHex(s.Colour), Size = width * 0.95 });
                    }
                    plot.Add.Bars(bars);
                    plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, labels);
                    plot.Axes.Left.Label.Text = chart.Percent ? chart.ValueLabel + " (%)" : chart.ValueLabel;
                    plot.Axes.Margins(bottom: 0);
                    if (chart.Percent) plot.Axes.SetLimitsY(0, 100);
                    break;
                }
            default:
                {
                    foreach (var s in chart.Series)
                    {
                        var line = plot.Add.Scatter(positions, [.. s.Values.Select(v => chart.Percent ? v * 100 : v)]);
                        line.Color = Color.FromHex(s.Colour);
                        line.LineWidth = 2;
                        line.MarkerSize = 6;
                        line.LegendText = s.Name;
                    }
                    plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, labels);
                    plot.Axes.Left.Label.Text = chart.Percent ? chart.ValueLabel + " (%)" : chart.ValueLabel;
                    if (chart.Percent) plot.Axes.SetLimitsY(0, 100);
                    break;
                }
        }
        if (chart.Kind != ChartKind.Lines)
            foreach (var s in chart.Series)
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = s.Name, FillColor = Color.FromHex(s.Colour) });
        if (chart.Series.Count > 1 || chart.Kind == ChartKind.Lines) plot.ShowLegend(Edge.Bottom);
        return plot;
    }
}
