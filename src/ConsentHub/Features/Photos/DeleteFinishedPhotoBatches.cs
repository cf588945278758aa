using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ConsentHub.Photos;

/// <summary>
/// The batches' retention (docs/RETENTION.md): a many-photo upload's progress rows (the file list, each file's
/// result, any staged bytes) are deleted <see cref="PhotoOptions.KeepFinishedBatchDays"/> days after the batch
/// finished; a batch that was never finished (the page closed while sending, the job never started) goes the same
/// number of days after it was begun, with the files it staged. The photos a batch made are not touched: they have
/// their own retention (<see cref="DeleteExpiredPhotos"/>). Idempotent, in batches; the audit keeps ids only.
/// </summary>
public sealed class DeleteFinishedPhotoBatches(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit, IOptions<PhotoOptions> options,
    TimeProvider clock)
{
    public const string SystemActor = "system:photo-retention";
    private const int BatchSize = 200;

    public Task RunAsync(CancellationToken ct) => HandleAsync(ct);

    /// <returns>How many batches were deleted.</returns>
    public async Task<int> HandleAsync(CancellationToken ct = default)
    {
        var cutoff = clock.GetUtcNow().AddDays(-options.Value.KeepFinishedBatchDays);
        var total = 0;
        while (true)
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var batch = await db.PhotoBatches.AsNoTracking()
                .Where(b => b.FinishedAt != null ? b.FinishedAt < cutoff : b.CreatedAt < cutoff)
                .OrderBy(b => b.CreatedAt).Take(BatchSize)
                .Select(b => new { b.Id, b.AcademyId, Unfinished = b.FinishedAt == null }).ToListAsync(ct);
            if (batch.Count == 0) return total;
            var ids = batch.Select(b => b.Id).ToList();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // The items (and any staged bytes) go with their batch (ON DELETE CASCADE).
            await db.PhotoBatches.Where(b => ids.Contains(b.Id)).ExecuteDeleteAsync(ct);
            foreach (var academy in batch.GroupBy(b => b.AcademyId))
            {
                await audit.AppendAsync(db, new AuditEvent(academy.Key, SystemActor, "photo.batches-deleted", "PhotoBatch", null, null,
                    new Dictionary<string, object?>
                    {
                        ["batches"] = academy.Select(a => a.Id.ToString()).ToList(),
                        ["unfinished"] = academy.Count(a => a.Unfinished),
                        ["before"] = cutoff,
                    }), ct);
            }
            await tx.CommitAsync(ct);
            total += batch.Count;
        }
    }
}
