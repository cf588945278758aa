using ConsentHub.Data;
using ConsentHub.PaperReturns;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ConsentHub.Retention;

/// <summary>
/// The nightly clean-up of API idempotency keys older than <see cref="RecordConsentAnswer.IdempotencyWindow"/>:
/// after it a key no longer replays, so its row serves nothing. Idempotent; the answers stay.
/// </summary>
public sealed class DeleteExpiredIdempotencyKeys(IDbContextFactory<ConsentHubDbContext> factory, TimeProvider clock, ILogger<DeleteExpiredIdempotencyKeys> logger)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var before = clock.GetUtcNow() - RecordConsentAnswer.IdempotencyWindow;
        await using var db = await factory.CreateDbContextAsync(ct);
        var deleted = await db.AnswerIdempotencyKeys.Where(k => k.CreatedAt <= before).ExecuteDeleteAsync(ct);
        if (deleted > 0) logger.LogInformation("Deleted {Count} expired API idempotency keys", deleted);
        return deleted;
    }
}
