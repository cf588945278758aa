using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

// Case-insensitive matches run in PostgreSQL as lower(); EF cannot translate string.Equals with a StringComparison.
#pragma warning disable CA1862

namespace ConsentHub.Photos;

/// <summary>
/// The post register report: the recorded posts of the academies in scope, newest first, with how many pupils each
/// shows and the cameras of its photos that are not on the trust's device register (policy §6.4). Audited.
/// </summary>
public sealed class ListPostRegister(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit)
{
    public sealed record Row(Guid PostId, string AcademyName, string Account, DateOnly PostedOn, string Url, int Pupils, IReadOnlyList<string> UnregisteredCameras);

    public async Task<IReadOnlyList<Row>> HandleAsync(IReadOnlyList<AccessScope> scopes, int max = 500, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = new Dictionary<Guid, Row>();
        foreach (var scope in scopes)
        {
            var academies = scope.Level switch
            {
                ScopeLevel.Trust => db.Academies,
                ScopeLevel.Region => db.Academies.Where(a => a.RegionId == scope.Id),
                _ => db.Academies.Where(a => a.Id == scope.Id),
            };
            var posts = await (from po in db.PhotoPosts
                               join ac in academies on po.AcademyId equals ac.Id
                               join acc in db.AffiliatedAccounts on po.AccountId equals acc.Id
                               orderby po.PostedOn descending, po.RecordedAt descending
                               select new
                               {
                                   po.Id,
                                   ac.Name,
                                   acc.Handle,
                                   acc.Platform,
                                   po.PostedOn,
                                   po.Url,
                                   Pupils = db.PhotoPostPupils.Count(pp => pp.PostId == po.Id),
                                   Cameras = (from i in db.Set<PhotoPostImage>()
                                              join e in db.PhotoExports on i.ExportId equals e.Id
                                              join ph in db.Photos on e.PhotoId equals ph.Id
                                              where i.PostId == po.Id && ph.CameraMake != null && ph.CameraModel != null
                                                    && !db.PhotoDevices.Any(d => d.RemovedAt == null
                                                        && d.Make.Trim().ToLower() == ph.CameraMake.Trim().ToLower()
                                                        && d.Model.Trim().ToLower() == ph.CameraModel.Trim().ToLower()
                                                        && (d.Serial == null || d.Serial == ph.CameraSerial))
                                              select new { ph.CameraMake, ph.CameraModel, ph.CameraSerial }).Distinct().ToList(),
                               }).AsNoTracking().Take(max).ToListAsync(ct);
            foreach (var p in posts)
            {
                rows.TryAdd(p.Id, new Row(p.Id, p.Name, $"{p.Handle} on {p.Platform}", p.PostedOn, p.Url, p.Pupils,
                    [.. p.Cameras.Select(c => new PhotoCamera(c.CameraMake, c.CameraModel, c.CameraSerial).ToString()).Order(StringComparer.Ordinal)]));
            }
            audit.RecordRead(new AuditEvent(scope.Level == ScopeLevel.Academy ? scope.Id : null, scope.Actor, "photo.post-register-viewed", "PhotoPost", null, null,
                new Dictionary<string, object?> { ["posts"] = posts.Count }));
        }
        return [.. rows.Values.OrderByDescending(r => r.PostedOn).ThenBy(r => r.Url, StringComparer.Ordinal)];
    }
}
