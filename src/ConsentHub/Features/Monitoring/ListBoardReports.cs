using ConsentHub.Access;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Monitoring;

/// <summary>The board reports a caller may see (their region's, or all for trust-wide roles), newest first, and one report's PDF.</summary>
public sealed class ListBoardReports(IDbContextFactory<ConsentHubDbContext> factory)
{
    public sealed record Row(Guid Id, string Title, DateOnly From, DateOnly To, MonitoringReportStatus Status, int Progress, int Pages, DateTimeOffset RequestedAt, string? Error);

    public async Task<IReadOnlyList<Row>> HandleAsync(AccessScope scope, int take = 50, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (scope.Level == ScopeLevel.Academy) return [];
        await using var db = await factory.CreateDbContextAsync(ct);
        var id = scope.Id;
        var query = db.MonitoringReports.AsNoTracking();
        if (scope.Level == ScopeLevel.Region) query = query.Where(r => r.RegionId == id);
        return await query.OrderByDescending(r => r.RequestedAt).Take(take)
            .Select(r => new Row(r.Id, r.RegionId == null ? "The trust" : db.Regions.Where(g => g.Id == r.RegionId).Select(g => g.Name).First(),
                r.From, r.To, r.Status, r.Progress, r.Pages, r.RequestedAt, r.Error))
            .ToListAsync(ct);
    }

    /// <summary>A ready report's PDF and file name, or null when it is not ready or not in the caller's scope.</summary>
    public async Task<(byte[] Pdf, string FileName)?> PdfAsync(AccessScope scope, Guid reportId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (scope.Level == ScopeLevel.Academy) return null;
        await using var db = await factory.CreateDbContextAsync(ct);
        var report = await db.MonitoringReports.AsNoTracking().SingleOrDefaultAsync(r => r.Id == reportId && r.Status == MonitoringReportStatus.Ready, ct);
        if (report?.Pdf is null || !RequestBoardReport.MayReportOn(scope, report.RegionId)) return null;
        return (report.Pdf, $"board-report-{report.From:yyyy-MM-dd}-to-{report.To:yyyy-MM-dd}.pdf");
    }
}
