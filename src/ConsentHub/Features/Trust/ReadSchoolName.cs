using ConsentHub.Access;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace ConsentHub.Trust;

/// <summary>
/// The name a member of staff's pages carry in their title: their academy's, their region's, or the trust's. Names
/// change rarely, so each is kept for five minutes; nothing personal is read.
/// </summary>
public sealed class ReadSchoolName(IDbContextFactory<ConsentHubDbContext> factory, IMemoryCache cache)
{
    public async Task<string?> HandleAsync(AccessScope scope, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return await cache.GetOrCreateAsync(("school-name", scope.Level, scope.Id), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5);
            await using var db = await factory.CreateDbContextAsync(ct);
            return scope.Level switch
            {
                ScopeLevel.Academy => await db.Academies.Where(a => a.Id == scope.Id).Select(a => a.Name).FirstOrDefaultAsync(ct),
                ScopeLevel.Region => await db.Regions.Where(r => r.Id == scope.Id).Select(r => r.Name).FirstOrDefaultAsync(ct),
                _ => await db.Trusts.OrderBy(t => t.Name).Select(t => t.Name).FirstOrDefaultAsync(ct),
            };
        });
    }
}
