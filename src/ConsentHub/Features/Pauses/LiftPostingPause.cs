using ConsentHub.Audit;
using ConsentHub.Data;
using ConsentHub.Trust;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Pauses;

/// <summary>
/// Ends a pause early (or cancels one that has not begun): its end becomes now, who lifted it is kept, and the
/// administrative contacts are told posting may resume, in one transaction. Checks show the change at once.
/// </summary>
public sealed class LiftPostingPause(IDbContextFactory<ConsentHubDbContext> factory, PauseNotices notices, IAuditLog audit, TimeProvider clock)
{
    public enum Result
    {
        Lifted = 0,

        /// <summary>No such pause, or it has already ended.</summary>
        NotFound = 1,

        /// <summary>A broader pause than the caller may lift (e.g. a headteacher and a trust-wide pause).</summary>
        Forbidden = 2,
    }

    public async Task<Result> HandleAsync(PauseAuthority caller, Guid pauseId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var pause = await db.PostingPauses.FromSql($"SELECT * FROM consenthub.posting_pauses WHERE id = {pauseId} FOR UPDATE").SingleOrDefaultAsync(ct);
        if (pause is null || pause.Until <= now) return Result.NotFound;
        var academy = pause.Scope == PauseScope.Academy ? pause.ScopeId : null;
        if (!await caller.MayManageAsync(db, pause.Scope, pause.ScopeId, ct))
        {
            await audit.AppendAsync(db, new AuditEvent(academy, caller.Actor, "pause.lift-denied", "PostingPause", pause.Id.ToString()), ct);
            await tx.CommitAsync(ct);
            return Result.Forbidden;
        }
        var plannedUntil = pause.Until;
        // A pause not yet begun is cancelled: it never covered anyone, so nobody is told it ended.
        var begun = pause.From <= now;
        pause.Until = begun ? now : pause.From;
        pause.LiftedAt = now;
        pause.LiftedBy = caller.Actor;
        await db.SaveChangesAsync(ct);
        await notices.SendDueAsync(db, pause, now, ct);
        await audit.AppendAsync(db, new AuditEvent(academy, caller.Actor, begun ? "pause.lifted" : "pause.cancelled", "PostingPause", pause.Id.ToString(),
            Data: new Dictionary<string, object?> { ["plannedUntil"] = plannedUntil }), ct);
        await tx.CommitAsync(ct);
        return Result.Lifted;
    }
}
