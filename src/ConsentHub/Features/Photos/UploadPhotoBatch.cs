using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Data;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Photos;

/// <summary>
/// Many photos at once (a trip's 200): the page stages each file as it arrives (one at a time, so the server holds
/// one file in memory), then one background job (<see cref="ProcessPhotoBatch"/>) reads, detects and stores them one
/// by one while the page shows its progress (<see cref="GetProgressAsync"/>).
/// </summary>
public sealed class UploadPhotoBatch(IDbContextFactory<ConsentHubDbContext> factory, IBackgroundJobClient jobs, IAuditLog audit, TimeProvider clock)
{
    public const int MaxFiles = 500;

    public sealed record Progress(Guid BatchId, int Total, int Processed, int Refused, bool Finished, IReadOnlyList<Item> Items)
    {
        public int Done => Processed + Refused;
        public int Percent => Total == 0 ? 100 : Done * 100 / Total;
    }

    public sealed record Item(int Position, PhotoBatchItemState State, Guid? PhotoId, int? Faces, string? Message);

    /// <summary>A new batch for an academy in scope of <paramref name="total"/> files; null when the academy is not in scope.</summary>
    public async Task<Guid?> BeginAsync(AccessScope scope, Guid academyId, int total, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(total);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(total, MaxFiles);
        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await PhotoAccess.AcademyInScopeAsync(db, scope, academyId, ct)) return null;
        var batch = new PhotoBatch { Id = Guid.CreateVersion7(), AcademyId = academyId, UploadedBy = scope.Actor, CreatedAt = clock.GetUtcNow(), Total = total };
        db.PhotoBatches.Add(batch);
        await db.SaveChangesAsync(ct);
        return batch.Id;
    }

    /// <summary>Stages one file (its bytes are dropped once processed). Adding the same position again replaces nothing.</summary>
    public async Task AddAsync(AccessScope scope, Guid batchId, int position, byte[] content, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(content);
        await using var db = await factory.CreateDbContextAsync(ct);
        var batch = await db.PhotoBatches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == batchId && b.UploadedBy == scope.Actor && b.FinishedAt == null, ct)
            ?? throw new InvalidOperationException("No open batch of this member of staff has that id.");
        if (position < 0 || position >= batch.Total) throw new ArgumentOutOfRangeException(nameof(position));
        if (await db.PhotoBatchItems.AnyAsync(i => i.BatchId == batchId && i.Position == position, ct)) return;
        db.PhotoBatchItems.Add(new PhotoBatchItem { BatchId = batchId, Position = position, PhotoId = Guid.CreateVersion7(), Content = content, State = PhotoBatchItemState.Waiting });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Every file is staged: the batch's total becomes what was staged, and one job is enqueued. Audited.</summary>
    public async Task StartAsync(AccessScope scope, Guid batchId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var batch = await db.PhotoBatches.SingleOrDefaultAsync(b => b.Id == batchId && b.UploadedBy == scope.Actor, ct)
            ?? throw new InvalidOperationException("No batch of this member of staff has that id.");
        batch.Total = await db.PhotoBatchItems.CountAsync(i => i.BatchId == batchId, ct);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(batch.AcademyId, scope.Actor, "photo.batch-started", "PhotoBatch", batch.Id.ToString(), null,
            new Dictionary<string, object?> { ["files"] = batch.Total }), ct);
        await tx.CommitAsync(ct);
        jobs.Enqueue<ProcessPhotoBatch>(job => job.RunAsync(batchId, CancellationToken.None));
    }

    /// <summary>The batch's progress for the member of staff who uploaded it; null for anyone else.</summary>
    public async Task<Progress?> GetProgressAsync(AccessScope scope, Guid batchId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await using var db = await factory.CreateDbContextAsync(ct);
        var batch = await db.PhotoBatches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == batchId && b.UploadedBy == scope.Actor, ct);
        if (batch is null) return null;
        var items = await db.PhotoBatchItems.AsNoTracking().Where(i => i.BatchId == batchId).OrderBy(i => i.Position)
            .Select(i => new Item(i.Position, i.State, i.State == PhotoBatchItemState.Uploaded ? i.PhotoId : null, i.Faces, i.Message)).ToListAsync(ct);
        return new Progress(batch.Id, batch.Total, batch.Processed, batch.Refused, batch.FinishedAt is not null, items);
    }
}

/// <summary>
/// The batch job: each waiting file in order, one at a time (one photo's pixels in memory), through
/// <see cref="UploadPhoto"/> with the photo id chosen at staging. Idempotent: a file already processed is skipped, and
/// a file whose photo exists (the job stopped between storing it and marking it) is marked, not stored again.
/// </summary>
public sealed class ProcessPhotoBatch(IDbContextFactory<ConsentHubDbContext> factory, UploadPhoto upload, TimeProvider clock)
{
    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(Guid batchId, CancellationToken cancellationToken)
    {
        PhotoBatch? batch;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
            batch = await db.PhotoBatches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == batchId, cancellationToken);
        if (batch is null || batch.FinishedAt is not null) return;
        // Staging checked the uploader's scope for this academy; the job acts for them in that academy only.
        var scope = AccessScope.Academy(batch.AcademyId, batch.UploadedBy);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var next = await db.PhotoBatchItems.AsNoTracking().Where(i => i.BatchId == batchId && i.State == PhotoBatchItemState.Waiting)
                .OrderBy(i => i.Position).FirstOrDefaultAsync(cancellationToken);
            if (next is null) break;

            PhotoBatchItemState state;
            int? faces = null;
            string? message = null;
            if (await db.Photos.AnyAsync(p => p.Id == next.PhotoId, cancellationToken))
            {
                state = PhotoBatchItemState.Uploaded;
                faces = await db.PhotoFaces.CountAsync(f => f.PhotoId == next.PhotoId, cancellationToken);
            }
            else
            {
                switch (await upload.HandleAsync(scope, new UploadPhoto.Request(batch.AcademyId, next.Content ?? [], next.PhotoId), cancellationToken))
                {
                    case UploadPhoto.Result.Uploaded u:
                        state = PhotoBatchItemState.Uploaded;
                        faces = u.Faces;
                        message = u.UnregisteredCamera is { } camera ? $"Taken on {camera}, not on the trust's device register." : null;
                        break;
                    case UploadPhoto.Result.Refused r:
                        state = PhotoBatchItemState.Refused;
                        message = r.Message;
                        break;
                    default:
                        state = PhotoBatchItemState.Refused;
                        message = "This academy is no longer in the uploader's scope.";
                        break;
                }
            }

            // Mark the file and count it once, together: a second run finds it no longer waiting.
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            var marked = await db.PhotoBatchItems.Where(i => i.BatchId == batchId && i.Position == next.Position && i.State == PhotoBatchItemState.Waiting)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.State, state).SetProperty(i => i.Faces, faces).SetProperty(i => i.Message, message)
                    .SetProperty(i => i.Content, (byte[]?)null), cancellationToken);
            if (marked == 1)
            {
                var uploaded = state == PhotoBatchItemState.Uploaded ? 1 : 0;
                await db.PhotoBatches.Where(b => b.Id == batchId)
                    .ExecuteUpdateAsync(s => s.SetProperty(b => b.Processed, b => b.Processed + uploaded).SetProperty(b => b.Refused, b => b.Refused + 1 - uploaded), cancellationToken);
            }
            await tx.CommitAsync(cancellationToken);
        }
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            var now = clock.GetUtcNow();
            await db.PhotoBatches.Where(b => b.Id == batchId && b.FinishedAt == null).ExecuteUpdateAsync(s => s.SetProperty(b => b.FinishedAt, now), cancellationToken);
        }
    }
}
