using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Trust;

/// <summary>The trust's regions and academies by name, for pickers and set-up pages. No pupil data.</summary>
public sealed class ListTrustStructure(IDbContextFactory<ConsentHubDbContext> factory)
{
    public sealed record Item(Guid Id, string Name);

    /// <param name="RegionOf">Each academy's region.</param>
    public sealed record TrustStructure(IReadOnlyList<Item> Regions, IReadOnlyList<Item> Academies)
    {
        public IReadOnlyDictionary<Guid, Guid> RegionOf { get; init; } = new Dictionary<Guid, Guid>();
    }

    public async Task<TrustStructure> HandleAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var regions = await db.Regions.AsNoTracking().OrderBy(r => r.Name).Select(r => new Item(r.Id, r.Name)).ToListAsync(ct);
        var rows = await db.Academies.AsNoTracking().OrderBy(a => a.Name).Select(a => new { a.Id, a.Name, a.RegionId }).ToListAsync(ct);
        return new TrustStructure(regions, [.. rows.Select(a => new Item(a.Id, a.Name))]) { RegionOf = rows.ToDictionary(a => a.Id, a => a.RegionId) };
    }
}
