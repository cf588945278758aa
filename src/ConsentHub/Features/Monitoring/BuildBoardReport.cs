using ConsentHub.Access;
using ConsentHub.Data;
using ConsentHub.Takedowns;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConsentHub.Monitoring;

/// <summary>
/// Builds one board report (a Hangfire job taking the report's id): the figures for the region (or trust) and the
/// period, the previous period, each academy's own figures, then the PDF, reporting progress on the report's row as
/// it goes. Idempotent: a report already built is left as it is; a failed run can be run again.
/// </summary>
public sealed partial class BuildBoardReport(IDbContextFactory<ConsentHubDbContext> factory, LoadMonitoringFigures figures, ListMonitoringDetail details,
    IOptions<MonitoringOptions> options, IOptions<TakedownOptions> takedowns, TimeProvider clock, ILogger<BuildBoardReport> logger)
{
    public const string Actor = "job:board-report";

    [AutomaticRetry(Attempts = 0)] // a failure is shown on the reports page; asking again builds it again
    public async Task RunAsync(Guid reportId, CancellationToken cancellationToken)
    {
        MonitoringReport? report;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            report = await db.MonitoringReports.AsNoTracking().SingleOrDefaultAsync(r => r.Id == reportId, cancellationToken);
            if (report is null || report.Status == MonitoringReportStatus.Ready) return;
        }
        await ProgressAsync(reportId, 1, MonitoringReportStatus.Running, cancellationToken);
        try
        {
            var output = await BuildAsync(report, p => ProgressAsync(reportId, p, MonitoringReportStatus.Running, CancellationToken.None).GetAwaiter().GetResult(), cancellationToken);
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            await db.MonitoringReports.Where(r => r.Id == reportId).ExecuteUpdateAsync(u => u
                .SetProperty(r => r.Status, MonitoringReportStatus.Ready).SetProperty(r => r.Progress, 100).SetProperty(r => r.Pdf, output.Pdf)
                .SetProperty(r => r.Pages, output.Pages).SetProperty(r => r.FinishedAt, clock.GetUtcNow()).SetProperty(r => r.Error, (string?)null), cancellationToken);
            LogBuilt(logger, output.Pages, output.Pdf.Length);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, e);
            await using var db = await factory.CreateDbContextAsync(CancellationToken.None);
            await db.MonitoringReports.Where(r => r.Id == reportId).ExecuteUpdateAsync(u => u
                .SetProperty(r => r.Status, MonitoringReportStatus.Failed).SetProperty(r => r.FinishedAt, clock.GetUtcNow())
                .SetProperty(r => r.Error, "The report could not be built. Ask for it again; if it fails again, tell the trust's administrators."), CancellationToken.None);
        }
    }

    /// <summary>The PDF for a report's region (or the trust) and period.</summary>
    public async Task<BoardReportDocument.Output> BuildAsync(MonitoringReport report, Action<int>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(report);
        var scope = report.RegionId is { } region ? AccessScope.Region(region, Actor) : AccessScope.Trust(Actor);
        var filter = new MonitoringFilter(report.From, report.To);
        var overdue = takedowns.Value.OverdueAfter;
        var all = await figures.HandleAsync(scope, filter, overdue, ct);
        var previous = await figures.HandleAsync(scope, filter.Previous(), overdue, ct);
        progress?.Invoke(10);
        var academies = new List<(ScopedAcademy, MonitoringFigures)>();
        var last = 10;
        for (var i = 0; i < all.Academies.Count; i++)
        {
            var academy = all.Academies[i];
            academies.Add((academy, await figures.HandleAsync(scope, filter with { AcademyId = academy.Id }, overdue, ct)));
            var p = 10 + 40 * (i + 1) / all.Academies.Count;
            if (p >= last + 5) progress?.Invoke(last = p);
        }
        var gaps = await details.HandleAsync(scope, filter, MonitoringDetail.RegisterGaps, takedownOverdueAfter: overdue, ct: ct);
        progress?.Invoke(55);
        string title;
        await using (var db = await factory.CreateDbContextAsync(ct))
            title = report.RegionId is { } id ? (await db.Regions.Where(r => r.Id == id).Select(r => r.Name).SingleAsync(ct)) : "The trust";
        last = 55;
        return BoardReportDocument.Build(new BoardReportDocument.Input(title, all, previous, academies, gaps.Rows, options.Value.CoverageThreshold, clock.GetUtcNow()),
            p =>
            {
                if (p < last + 5) return;
                last = p;
                progress?.Invoke(p);
            });
    }

    private async Task ProgressAsync(Guid reportId, int progress, MonitoringReportStatus status, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.MonitoringReports.Where(r => r.Id == reportId).ExecuteUpdateAsync(u => u.SetProperty(r => r.Progress, progress).SetProperty(r => r.Status, status), ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Board report built: {Pages} pages, {Bytes} bytes")]
    private static partial void LogBuilt(ILogger logger, int pages, int bytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Board report failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
