using ConsentHub.Audit;
using ConsentHub.Data;
using ConsentHub.Takedowns;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ConsentHub.Photos;

/// <summary>
/// A family asks for one recorded post that shows their child to come down, without withdrawing anything: one
/// takedown task for that post alone (the account's administrators get the notice naming its address, as for a
/// withdrawal). Idempotent: asking again, or from two browsers at once, makes one task. Audited.
/// </summary>
public sealed class RequestPostTakedown(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit, TimeProvider clock)
{
    private const string Sql = """
        INSERT INTO consenthub.takedown_tasks (id, pupil_id, academy_id, purpose_id, account_id, reason, created_at, post_id)
        VALUES (@id, @pupil_id, @academy_id, @purpose_id, @account_id, @reason, @now, @post_id)
        ON CONFLICT (post_id, pupil_id) WHERE post_id IS NOT NULL DO NOTHING
        """;

    public abstract record Result
    {
        /// <summary>The task exists (<paramref name="New"/>: made by this request).</summary>
        public sealed record Requested(bool New) : Result;

        public sealed record NotFound : Result;
    }

    public async Task<Result> HandleAsync(Guid pupilId, Guid academyId, string actor, Guid postId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var post = await (from po in db.PhotoPosts
                          where po.Id == postId && po.AcademyId == academyId && db.PhotoPostPupils.Any(pp => pp.PostId == po.Id && pp.PupilId == pupilId)
                          select new
                          {
                              po.AccountId,
                              // The use the post's safe copy of this pupil was made for: the task's purpose.
                              PurposeId = (from i in db.Set<PhotoPostImage>()
                                           join e in db.PhotoExports on i.ExportId equals e.Id
                                           where i.PostId == po.Id
                                           orderby e.ShownPupilIds.Contains(pupilId) descending, e.ExportedAt
                                           select e.PurposeId).First(),
                          }).AsNoTracking().SingleOrDefaultAsync(ct);
        if (post is null)
        {
            audit.RecordRead(new AuditEvent(academyId, actor, "access.not-found", "PhotoPost", postId.ToString(), pupilId));
            return new Result.NotFound();
        }

        var taskId = Guid.CreateVersion7();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var inserted = await db.Database.ExecuteSqlRawAsync(Sql, [
            new NpgsqlParameter<Guid>("id", taskId),
            new NpgsqlParameter<Guid>("pupil_id", pupilId),
            new NpgsqlParameter<Guid>("academy_id", academyId),
            new NpgsqlParameter<Guid>("purpose_id", post.PurposeId),
            new NpgsqlParameter<Guid>("account_id", post.AccountId),
            new NpgsqlParameter<string>("reason", TakedownTask.PostRequestReason),
            new NpgsqlParameter<DateTimeOffset>("now", clock.GetUtcNow()),
            new NpgsqlParameter<Guid>("post_id", postId),
        ], ct);
        if (inserted > 0)
        {
            await audit.AppendAsync(db, new AuditEvent(academyId, actor, "photo.post-takedown-requested", "TakedownTask", taskId.ToString(), pupilId,
                new Dictionary<string, object?> { ["post"] = postId.ToString(), ["account"] = post.AccountId.ToString() }), ct);
        }
        await tx.CommitAsync(ct);
        return new Result.Requested(inserted > 0);
    }
}
