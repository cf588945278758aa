using System.Globalization;
using System.Text;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Consent.Rules;
using ConsentHub.Monitoring;
using ConsentHub.Takedowns;
using ConsentHub.Web.Components.Pages.Overview;
using ConsentHub.Web.Security;
using Microsoft.Extensions.Options;

namespace ConsentHub.Web.Components.Pages.Monitoring;

/// <summary>
/// GET /monitoring/export.csv?from&amp;to&amp;region&amp;academy&amp;phase: every table of the dashboard and the board
/// report in one CSV, one block per table (a title line, a header, the rows, a blank line). Cells are formula-guarded
/// as the overview export's are (<see cref="OverviewExport.Field"/>).
/// </summary>
public static class MonitoringExport
{
    public static IEndpointRouteBuilder MapMonitoringExport(this IEndpointRouteBuilder app)
    {
        app.MapGet("/monitoring/export.csv", ExportAsync)
            .RequireAuthorization(StaffCapabilities.ViewReports)
            .ExcludeFromDescription();
        app.MapGet("/monitoring/reports/{reportId:guid}.pdf", ReportPdfAsync)
            .RequireAuthorization(StaffCapabilities.ViewReports)
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>A ready board report, in the caller's scope (404 otherwise, so ids reveal nothing); the download is audited.</summary>
    private static async Task<IResult> ReportPdfAsync(Guid reportId, HttpContext http, ListBoardReports reports, IAuditLog audit, CancellationToken ct)
    {
        if (CurrentStaff.From(http.User) is not { } staff || staff.ScopeFor(StaffCapabilities.ViewReports) is not { } scope) return Results.Forbid();
        if (await reports.PdfAsync(scope, reportId, ct) is not { } pdf) return Results.NotFound();
        audit.RecordRead(new AuditEvent(null, staff.Actor, "monitoring.report-downloaded", "MonitoringReport", reportId.ToString()));
        return Results.File(pdf.Pdf, "application/pdf", pdf.FileName);
    }

    private static async Task<IResult> ExportAsync(HttpContext http, LoadMonitoringFigures figures, IAuditLog audit, IOptions<TakedownOptions> takedowns,
        TimeProvider clock, CancellationToken ct)
    {
        if (CurrentStaff.From(http.User) is not { } staff || staff.ScopeFor(StaffCapabilities.ViewReports) is not { } scope) return Results.Forbid();
        var q = http.Request.Query;
        var (filter, problem) = MonitoringLinks.Parse(q["from"], q["to"], q["region"], q["academy"], q["phase"], UkCalendar.DateOf(clock.GetUtcNow()));
        if (problem is not null) return Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest, title: "The period is not valid.");
        var f = await figures.HandleAsync(scope, filter, takedowns.Value.OverdueAfter, ct);
        audit.RecordRead(new AuditEvent(scope.Level == ScopeLevel.Academy ? scope.Id : null, staff.Actor, "monitoring.exported",
            Data: new Dictionary<string, object?> { ["from"] = filter.From.ToString("O", CultureInfo.InvariantCulture), ["to"] = filter.To.ToString("O", CultureInfo.InvariantCulture), ["academies"] = f.Academies.Count }));
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Csv(f))).ToArray();
        return Results.File(bytes, "text/csv; charset=utf-8", $"monitoring-{filter.From:yyyy-MM-dd}-to-{filter.To:yyyy-MM-dd}.csv");
    }

    /// <summary>Every table, as CSV.</summary>
    public static string Csv(MonitoringFigures f)
    {
        ArgumentNullException.ThrowIfNull(f);
        var csv = new StringBuilder();
        void Table(string title, IEnumerable<string> header, IEnumerable<IEnumerable<object?>> rows)
        {
            csv.Append(OverviewExport.Field(title)).Append("\r\n");
            csv.Append(string.Join(',', header.Select(OverviewExport.Field))).Append("\r\n");
            foreach (var row in rows)
                csv.Append(string.Join(',', row.Select(v => OverviewExport.Field(Convert.ToString(v, CultureInfo.InvariantCulture) ?? "")))).Append("\r\n");
            csv.Append("\r\n");
        }
        string Share(double v) => (v * 100).ToString("0.0", CultureInfo.InvariantCulture);

        Table("Coverage by purpose" + (f.Coverage.Latest is { } l ? $" on {l.Day:yyyy-MM-dd}" : ""),
            ["Purpose", "Pupils", "Allowed", "Not allowed", "Waiting", "Not asked", "Pupils allowed (%)", "Classes", "Whole classes allowed"],
            (f.Coverage.Latest?.Purposes ?? []).Select(p => new object?[] { p.PurposeName, p.Pupils, p.Allowed, p.NotAllowed, p.Pending, p.NotRequested, Share(p.AllowedShare), p.Classes, p.ClassesAllAllowed }));
        Table("Coverage by academy", ["Academy", "Purpose", "Pupils", "Allowed", "Not allowed", "Waiting", "Not asked", "Pupils allowed (%)"],
            f.Coverage.ByAcademy.SelectMany(a => a.Purposes.Select(p => new object?[] { a.AcademyName, p.PurposeName, p.Pupils, p.Allowed, p.NotAllowed, p.Pending, p.NotRequested, Share(p.AllowedShare) })));
        foreach (var (title, points) in new[] { ("Coverage by week", f.Coverage.Weeks), ("Coverage term on term", f.Coverage.Terms) })
            Table(title, ["Period", "Snapshot", "Purpose", "Pupils", "Allowed", "Not allowed", "Waiting", "Not asked"],
                points.SelectMany(pt => pt.Purposes.Select(p => new object?[] { pt.Label, pt.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), p.PurposeName, p.Pupils, p.Allowed, p.NotAllowed, p.Pending, p.NotRequested })));
        var c = f.Chasing;
        Table("Chasing", ["Figure", "Value"],
        [
            ["Requests issued", c.Issued], ["Issued by email", c.IssuedByEmail], ["Issued on paper", c.IssuedOnPaper], ["Answered", c.Answered],
            ["Answered online", c.AnsweredOnline], ["Answered on paper", c.AnsweredOnPaper], ["Answered by staff", c.AnsweredByStaff],
            ["Median hours to answer", c.MedianHoursToAnswer?.ToString("0.0", CultureInfo.InvariantCulture)], ["90th percentile hours to answer", c.P90HoursToAnswer?.ToString("0.0", CultureInfo.InvariantCulture)],
            ["Follow-ups open", c.FollowUpsOpen], ["Follow-ups added in the period", c.FollowUpsAddedInPeriod],
            ["Follow-up median age (days)", c.FollowUpMedianAgeDays?.ToString("0.0", CultureInfo.InvariantCulture)], ["Oldest follow-up (days)", c.FollowUpOldestDays?.ToString("0.0", CultureInfo.InvariantCulture)],
            ["Failing addresses", c.FailingAddresses], ["Failing addresses new in the period", c.FailingAddressesNewInPeriod],
        ]);
        Table("Response after the first email and each reminder", ["Stage", "Answered at this stage", "Answered so far (%)"],
            c.AnsweredAfterReminders.Select((n, i) => new object?[] { i == 0 ? "First email" : $"Reminder {i}", n, Share(c.ResponseRates[i]) }));
        var t = f.Takedowns;
        Table("Takedowns", ["Figure", "Value"],
        [
            ["Opened", t.Opened], ["Done", t.Done], ["Median hours to done", t.MedianHoursToDone?.ToString("0.0", CultureInfo.InvariantCulture)],
            ["90th percentile hours to done", t.P90HoursToDone?.ToString("0.0", CultureInfo.InvariantCulture)], ["Overdue", t.Overdue], ["Escalated", t.Escalated],
        ]);
        Table("Takedowns by academy", ["Academy", "Opened", "Done", "Overdue", "Escalated"], t.ByAcademy.Select(a => new object?[] { a.Name, a.Opened, a.Done, a.Overdue, a.Escalated }));
        Table("Takedowns by account", ["Account", "Opened", "Done", "Overdue", "Escalated"], t.ByAccount.Select(a => new object?[] { a.Name, a.Opened, a.Done, a.Overdue, a.Escalated }));
        var r = f.Register;
        Table("Accounts register", ["Figure", "Value"],
            [["Open accounts", r.OpenAccounts], ["With a gap", r.WithGaps], ["No second administrative contact", r.MissingSecondContact], ["Contact off the trust's domains", r.NonTrustDomain], ["No owner in post", r.NoOwnerInPost]]);
        Table("Posting pauses", ["Where", "From", "Until", "Reason"],
            f.Pauses.Select(p => new object?[] { p.Where, UkCalendar.ToLocal(p.From).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), p.Until is { } u ? UkCalendar.ToLocal(u).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "", p.Reason }));
        return csv.ToString();
    }
}
