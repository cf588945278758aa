using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Data;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Monitoring;

/// <summary>
/// A regional director asks for their region's board report, trust-wide roles for any region or the trust; an
/// academy's staff cannot (their dashboard is their report). Writes the report's row and enqueues its build.
/// </summary>
public sealed class RequestBoardReport(IDbContextFactory<ConsentHubDbContext> factory, IBackgroundJobClient jobs, IAuditLog audit, TimeProvider clock)
{
    public abstract record Result
    {
        public sealed record Queued(Guid ReportId) : Result;

        public sealed record Invalid(string Message) : Result;

        public sealed record Denied : Result;
    }

    /// <param name="RegionId">The region; null for the whole trust.</param>
    public sealed record Request(Guid? RegionId, DateOnly From, DateOnly To);

    public async Task<Result> HandleAsync(AccessScope scope, Request request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(request);
        if (!MayReportOn(scope, request.RegionId)) return new Result.Denied();
        if (new MonitoringFilter(request.From, request.To).Problem is { } problem) return new Result.Invalid(problem);
        await using var db = await factory.CreateDbContextAsync(ct);
        if (request.RegionId is { } id && !await db.Regions.AnyAsync(r => r.Id == id, ct)) return new Result.Invalid("There is no such region.");
        var report = new MonitoringReport
        {
            Id = Guid.CreateVersion7(),
            RegionId = request.RegionId,
            From = request.From,
            To = request.To,
            Status = MonitoringReportStatus.Queued,
            RequestedBy = scope.Actor,
            RequestedAt = clock.GetUtcNow(),
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.MonitoringReports.Add(report);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(null, scope.Actor, "monitoring.report-requested", "MonitoringReport", report.Id.ToString(),
            Data: new Dictionary<string, object?> { ["region"] = request.RegionId?.ToString(), ["from"] = request.From.ToString("O", System.Globalization.CultureInfo.InvariantCulture), ["to"] = request.To.ToString("O", System.Globalization.CultureInfo.InvariantCulture) }), ct);
        await tx.CommitAsync(ct);
        jobs.Enqueue<BuildBoardReport>(job => job.RunAsync(report.Id, CancellationToken.None));
        return new Result.Queued(report.Id);
    }

    /// <summary>Region scope: its own region only. Trust scope: any region or the trust. Academy scope: none.</summary>
    public static bool MayReportOn(AccessScope scope, Guid? regionId)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return scope.Level switch
        {
            ScopeLevel.Trust => true,
            ScopeLevel.Region => regionId is not null && regionId == scope.Id,
            _ => false,
        };
    }
}
