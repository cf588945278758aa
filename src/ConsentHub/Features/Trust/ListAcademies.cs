using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Trust;

/// <summary>Every academy and region of the trust, for the set-up page.</summary>
public sealed class ListAcademies(IDbContextFactory<ConsentHubDbContext> factory)
{
    public async Task<(IReadOnlyList<Academy> Academies, IReadOnlyList<Region> Regions)> HandleAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var academies = await db.Academies.AsNoTracking().OrderBy(a => a.Name).ToListAsync(ct);
        var regions = await db.Regions.AsNoTracking().OrderBy(r => r.Name).ToListAsync(ct);
        return (academies, regions);
    }
}
