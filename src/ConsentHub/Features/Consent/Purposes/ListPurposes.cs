using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Consent.Purposes;

/// <summary>Every purpose, in use or not, in the order forms show them.</summary>
public sealed class ListPurposes(IDbContextFactory<ConsentHubDbContext> factory)
{
    public async Task<IReadOnlyList<Purpose>> HandleAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Purposes.AsNoTracking().OrderBy(p => p.SortOrder).ThenBy(p => p.Name).ToListAsync(ct);
    }
}
