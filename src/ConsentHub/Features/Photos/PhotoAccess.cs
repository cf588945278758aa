using ConsentHub.Access;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Photos;

/// <summary>The scope rule for photos: a photo is found only through a scope that holds its academy.</summary>
internal static class PhotoAccess
{
    public static IQueryable<Photo> InScope(ConsentHubDbContext db, AccessScope scope) => scope.Level switch
    {
        ScopeLevel.Trust => db.Photos,
        ScopeLevel.Region => db.Photos.Where(p => db.Academies.Any(a => a.Id == p.AcademyId && a.RegionId == scope.Id)),
        _ => db.Photos.Where(p => p.AcademyId == scope.Id),
    };

    /// <summary>The photo with its faces and the scope that holds it, or null (not found and out of scope look the same).</summary>
    public static async Task<(Photo Photo, AccessScope Scope)?> FindAsync(ConsentHubDbContext db, IReadOnlyList<AccessScope> scopes, Guid photoId, bool track, CancellationToken ct)
    {
        foreach (var scope in scopes)
        {
            var query = InScope(db, scope).Include(p => p.Faces).Where(p => p.Id == photoId);
            var photo = await (track ? query : query.AsNoTracking()).SingleOrDefaultAsync(ct);
            if (photo is not null) return (photo, scope);
        }
        return null;
    }

    public static async Task<bool> AcademyInScopeAsync(ConsentHubDbContext db, AccessScope scope, Guid academyId, CancellationToken ct) => scope.Level switch
    {
        ScopeLevel.Trust => await db.Academies.AnyAsync(a => a.Id == academyId, ct),
        ScopeLevel.Region => await db.Academies.AnyAsync(a => a.Id == academyId && a.RegionId == scope.Id, ct),
        _ => academyId == scope.Id && await db.Academies.AnyAsync(a => a.Id == academyId, ct),
    };
}
