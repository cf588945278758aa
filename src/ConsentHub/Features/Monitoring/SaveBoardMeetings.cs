using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Monitoring;

/// <summary>
/// The board dates of a region (§9.2), set by its director or a trust-wide role: the dates given replace the
/// region's future meetings whose report has not gone; past and sent meetings stay as they were.
/// </summary>
public sealed class SaveBoardMeetings(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit, TimeProvider clock)
{
    public const int MaxDates = 24;

    public async Task<string?> HandleAsync(AccessScope scope, Guid regionId, IReadOnlyCollection<DateOnly> dates, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(dates);
        if (!RequestBoardReport.MayReportOn(scope, regionId)) return "You can set the board dates of your own region only.";
        var today = Consent.Rules.UkCalendar.DateOf(clock.GetUtcNow());
        var wanted = dates.Distinct().Order().ToList();
        if (wanted.Count > MaxDates) return $"Enter at most {MaxDates} dates.";
        if (wanted.Any(d => d < today)) return "Board dates must be today or later.";
        if (wanted.Any(d => d > today.AddYears(2))) return "Board dates must be within the next two years.";
        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await db.Regions.AnyAsync(r => r.Id == regionId, ct)) return "There is no such region.";
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var existing = await db.BoardMeetings.Where(m => m.RegionId == regionId && m.Date >= today).ToListAsync(ct);
        db.BoardMeetings.RemoveRange(existing.Where(m => m.ReportSentAt == null && !wanted.Contains(m.Date)));
        foreach (var d in wanted.Where(d => existing.All(m => m.Date != d)))
            db.BoardMeetings.Add(new BoardMeeting { Id = Guid.CreateVersion7(), RegionId = regionId, Date = d });
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(null, scope.Actor, "monitoring.board-dates-set", "Region", regionId.ToString(),
            Data: new Dictionary<string, object?> { ["dates"] = wanted.Select(d => d.ToString("O", System.Globalization.CultureInfo.InvariantCulture)).ToList() }), ct);
        await tx.CommitAsync(ct);
        return null;
    }

    public async Task<IReadOnlyList<BoardMeeting>> ListAsync(Guid regionId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.BoardMeetings.AsNoTracking().Where(m => m.RegionId == regionId).OrderBy(m => m.Date).ToListAsync(ct);
    }
}
