using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Photos;

/// <summary>
/// What was published of one pupil, for their family (right of access): the recorded posts in the register that
/// show the pupil, with the account, the day, the address, the safe copies that show the pupil, and whether the
/// family has asked for the post to come down. Read through a confirmed change link only; the listing is audited.
/// </summary>
public sealed class ListFamilyPosts(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit)
{
    public sealed record Post(Guid PostId, string Account, DateOnly PostedOn, string Url, IReadOnlyList<Guid> ExportIds,
        DateTimeOffset? TakedownAskedAt, DateTimeOffset? TakenDownAt);

    /// <param name="actor">The signing link's audit actor (never a name or an address).</param>
    public async Task<IReadOnlyList<Post>> HandleAsync(Guid pupilId, Guid academyId, string actor, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var posts = await (from pp in db.PhotoPostPupils
                           join po in db.PhotoPosts on pp.PostId equals po.Id
                           join acc in db.AffiliatedAccounts on po.AccountId equals acc.Id
                           where pp.PupilId == pupilId && po.AcademyId == academyId
                           orderby po.PostedOn descending, po.RecordedAt descending
                           select new
                           {
                               po.Id,
                               acc.Platform,
                               acc.Handle,
                               po.PostedOn,
                               po.Url,
                               Exports = (from i in db.Set<PhotoPostImage>()
                                          join e in db.PhotoExports on i.ExportId equals e.Id
                                          where i.PostId == po.Id && e.ShownPupilIds.Contains(pupilId)
                                          orderby e.ExportedAt
                                          select e.Id).ToList(),
                               Task = db.TakedownTasks.Where(t => t.PostId == po.Id && t.PupilId == pupilId)
                                   .Select(t => new { t.CreatedAt, t.DoneAt }).FirstOrDefault(),
                           }).AsNoTracking().ToListAsync(ct);
        audit.RecordRead(new AuditEvent(academyId, actor, "photo.posts-viewed-by-family", "Pupil", pupilId.ToString(), pupilId,
            new Dictionary<string, object?> { ["posts"] = posts.Count }));
        return [.. posts.Select(p => new Post(p.Id, $"{p.Handle} on {p.Platform}", p.PostedOn, p.Url, p.Exports, p.Task?.CreatedAt, p.Task?.DoneAt))];
    }

    /// <summary>How many recorded posts show the pupil (for the change page's link); not audited, it shows nothing.</summary>
    public async Task<int> CountAsync(Guid pupilId, Guid academyId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.PhotoPostPupils.CountAsync(pp => pp.PupilId == pupilId && db.PhotoPosts.Any(p => p.Id == pp.PostId && p.AcademyId == academyId), ct);
    }

    /// <summary>
    /// A safe copy the post used that shows the pupil, or null: the export must belong to the post, the post must
    /// show the pupil. Every view is audited.
    /// </summary>
    public async Task<byte[]?> ImageAsync(Guid pupilId, Guid academyId, string actor, Guid postId, Guid exportId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var content = await (from i in db.Set<PhotoPostImage>()
                             join e in db.PhotoExports on i.ExportId equals e.Id
                             join po in db.PhotoPosts on i.PostId equals po.Id
                             where i.PostId == postId && i.ExportId == exportId && po.AcademyId == academyId && e.ShownPupilIds.Contains(pupilId)
                                   && db.PhotoPostPupils.Any(pp => pp.PostId == postId && pp.PupilId == pupilId)
                             select e.Content).AsNoTracking().SingleOrDefaultAsync(ct);
        audit.RecordRead(new AuditEvent(academyId, actor, content is null ? "access.not-found" : "photo.export-viewed-by-family", "PhotoExport", exportId.ToString(), pupilId,
            new Dictionary<string, object?> { ["post"] = postId.ToString() }));
        return content;
    }
}
