using System.Globalization;
using ConsentHub.Consent;
using ConsentHub.Monitoring;
using ConsentHub.Trust;

namespace ConsentHub.Web.Components.Pages.Monitoring;

/// <summary>The dashboard's filter in a URL (ids and dates only, never names), for drill-down links, CSV and reports.</summary>
public static class MonitoringLinks
{
    public static string Query(MonitoringFilter f)
    {
        ArgumentNullException.ThrowIfNull(f);
        var parts = new List<string> { $"from={f.From:yyyy-MM-dd}", $"to={f.To:yyyy-MM-dd}" };
        if (f.RegionId is { } r) parts.Add($"region={r:D}");
        if (f.AcademyId is { } a) parts.Add($"academy={a:D}");
        if (f.Phase is { } p) parts.Add($"phase={p}");
        return string.Join('&', parts);
    }

    public static string Detail(MonitoringFilter f, MonitoringDetail detail, string? purpose = null, ConsentStatus? status = null) =>
        $"monitoring/detail?{Query(f)}&kind={detail}" + (purpose is null ? "" : $"&purpose={Uri.EscapeDataString(purpose)}") + (status is null ? "" : $"&status={status}");

    /// <summary>Reads a filter from query values; bad or missing values fall back to this term so far. Null problem when it parsed.</summary>
    public static (MonitoringFilter Filter, string? Problem) Parse(string? from, string? to, string? region, string? academy, string? phase, DateOnly today)
    {
        var term = SchoolTerms.Of(today);
        string? problem = null;
        DateOnly Date(string? value, DateOnly fallback)
        {
            if (string.IsNullOrWhiteSpace(value)) return fallback;
            if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
            problem = "Dates are written as year-month-day, e.g. 2026-09-01.";
            return fallback;
        }
        Guid? Id(string? value) => Guid.TryParse(value, CultureInfo.InvariantCulture, out var g) ? g : null;
        AcademyPhase? Phase(string? value) => Enum.TryParse<AcademyPhase>(value, ignoreCase: false, out var p) && Enum.IsDefined(p) ? p : null;
        var filter = new MonitoringFilter(Date(from, term.Start), Date(to, today), Id(region), Id(academy), Phase(phase));
        problem ??= filter.Problem;
        if (filter.Problem is not null) filter = new MonitoringFilter(term.Start, today, filter.RegionId, filter.AcademyId, filter.Phase);
        return (filter, problem);
    }
}
