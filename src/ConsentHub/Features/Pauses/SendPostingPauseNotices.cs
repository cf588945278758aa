using ConsentHub.Audit;
using ConsentHub.Data;
using ConsentHub.Trust;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Pauses;

/// <summary>
/// The recurring job (every minute) for pauses set ahead: when a pause's start or end comes, the administrative
/// contacts are told, and stamping the pause announces it to open checks (the posting-pause trigger), so a pause
/// that begins at 14:00 shows on every open check within the minute. Rows are locked with SKIP LOCKED, so two
/// app instances never send the same notice; the stamps make a retried run a no-op.
/// </summary>
public sealed class SendPostingPauseNotices(IDbContextFactory<ConsentHubDbContext> factory, PauseNotices notices, IAuditLog audit, TimeProvider clock)
{
    public const string SystemActor = "system:pauses";
    private const int BatchSize = 50;

    public sealed record Summary(int Pauses, int EmailsQueued);

    public async Task<Summary> RunAsync(CancellationToken ct)
    {
        var pauses = 0;
        var emails = 0;
        while (true)
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var now = clock.GetUtcNow();
            var due = await db.PostingPauses.FromSql($"""
                SELECT * FROM consenthub.posting_pauses
                WHERE (start_notice_at IS NULL AND "from" <= {now}) OR (end_notice_at IS NULL AND until <= {now})
                ORDER BY "from", id LIMIT {BatchSize} FOR UPDATE SKIP LOCKED
                """).ToListAsync(ct);
            if (due.Count == 0) break;
            foreach (var pause in due)
            {
                var queued = await notices.SendDueAsync(db, pause, now, ct);
                emails += queued;
                if (queued > 0)
                    await audit.AppendAsync(db, new AuditEvent(pause.Scope == PauseScope.Academy ? pause.ScopeId : null, SystemActor, "pause.notified",
                        "PostingPause", pause.Id.ToString(), Data: new Dictionary<string, object?> { ["emails"] = queued }), ct);
            }
            pauses += due.Count;
            await tx.CommitAsync(ct);
            if (due.Count < BatchSize) break;
        }
        return new Summary(pauses, emails);
    }
}
