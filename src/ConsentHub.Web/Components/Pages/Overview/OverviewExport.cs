using System.Globalization;
using System.Text;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Web.Security;

namespace ConsentHub.Web.Components.Pages.Overview;

/// <summary>GET /overview/export.csv: the overview's counts, one row per academy × purpose, for regional boards (§9).</summary>
public static class OverviewExport
{
    public static IEndpointRouteBuilder MapOverviewExport(this IEndpointRouteBuilder app)
    {
        app.MapGet("/overview/export.csv", ExportAsync)
            .RequireAuthorization(StaffCapabilities.ViewReports)
            .ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ExportAsync(HttpContext http, CountConsentByAcademy counts, IAuditLog audit, CancellationToken ct)
    {
        if (CurrentStaff.From(http.User) is not { } staff || staff.ScopeFor(StaffCapabilities.ViewReports) is not { } scope) return Results.Forbid();
        var academies = await counts.HandleAsync(scope, null, ct);
        var csv = new StringBuilder("Academy,Pupils,Purpose,Allowed,Not allowed,Waiting,Not asked\r\n");
        foreach (var a in academies)
        {
            foreach (var p in a.Purposes)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{Field(a.AcademyName)},{a.Pupils},{Field(p.PurposeName)},")
                    .Append(CultureInfo.InvariantCulture, $"{p.Counts.GetValueOrDefault(ConsentStatus.Allowed)},{p.Counts.GetValueOrDefault(ConsentStatus.NotAllowed)},")
                    .Append(CultureInfo.InvariantCulture, $"{p.Counts.GetValueOrDefault(ConsentStatus.Pending)},{p.Counts.GetValueOrDefault(ConsentStatus.NotRequested)}\r\n");
            }
        }
        audit.RecordRead(new AuditEvent(scope.Level == ScopeLevel.Academy ? scope.Id : null, staff.Actor, "overview.exported",
            Data: new Dictionary<string, object?> { ["academies"] = academies.Count }));
        return Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray(), "text/csv; charset=utf-8",
            $"consent-overview-{DateTime.UtcNow:yyyy-MM-dd}.csv");
    }

    /// <summary>Quoted when needed; a leading = + - @ is neutralised so a spreadsheet never runs it as a formula.</summary>
    internal static string Field(string value)
    {
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0], StringComparison.Ordinal)) value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
