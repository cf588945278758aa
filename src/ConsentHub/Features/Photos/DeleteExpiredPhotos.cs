using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ConsentHub.Photos;

/// <summary>
/// The photos' retention (docs/RETENTION.md): an original that no post in the register uses is deleted
/// <see cref="PhotoOptions.KeepUnpublishedDays"/> days after upload, with its face boxes, tags and exports. A
/// published photo is kept while its post is in the register. Idempotent, in batches; the audit keeps ids only.
/// </summary>
public sealed class DeleteExpiredPhotos(IDbContextFactory<ConsentHubDbContext> factory, IMediaStore store, IAuditLog audit,
    IOptions<PhotoOptions> options, TimeProvider clock)
{
    public const string SystemActor = "system:photo-retention";
    private const int BatchSize = 200;

    public Task RunAsync(CancellationToken ct) => HandleAsync(ct);

    /// <returns>How many photos were deleted.</returns>
    public async Task<int> HandleAsync(CancellationToken ct = default)
    {
        var cutoff = clock.GetUtcNow().AddDays(-options.Value.KeepUnpublishedDays);
        var total = 0;
        while (true)
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var batch = await db.Photos.AsNoTracking()
                .Where(p => p.PublishedAt == null && p.UploadedAt < cutoff)
                .OrderBy(p => p.UploadedAt).Take(BatchSize)
                .Select(p => new { p.Id, p.AcademyId }).ToListAsync(ct);
            if (batch.Count == 0) return total;
            var ids = batch.Select(b => b.Id).ToList();
            // The pixels first: if the rows' delete fails, the next run finds the rows and tries again.
            await store.DeleteAsync(ids, ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Photos.Where(p => ids.Contains(p.Id) && p.PublishedAt == null).ExecuteDeleteAsync(ct);
            foreach (var academy in batch.GroupBy(b => b.AcademyId))
            {
                await audit.AppendAsync(db, new AuditEvent(academy.Key, SystemActor, "photo.retention-deleted", "Photo", null, null,
                    new Dictionary<string, object?> { ["photos"] = academy.Select(a => a.Id.ToString()).ToList(), ["uploadedBefore"] = cutoff }), ct);
            }
            await tx.CommitAsync(ct);
            total += batch.Count;
        }
    }
}
