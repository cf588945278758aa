using ConsentHub.Access;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Pupils;

/// <summary>The academies a member of staff may import pupils into: those their scope covers, by name.</summary>
public sealed class ListImportAcademies(IDbContextFactory<ConsentHubDbContext> factory)
{
    public sealed record Item(Guid Id, string Name, int PupilsOnRoll);

    public async Task<IReadOnlyList<Item>> HandleAsync(AccessScope scope, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await using var db = await factory.CreateDbContextAsync(ct);
        var academies = db.Academies.AsNoTracking();
        academies = scope.Level switch
        {
            ScopeLevel.Trust => academies,
            ScopeLevel.Region => academies.Where(a => a.RegionId == scope.Id),
            _ => academies.Where(a => a.Id == scope.Id),
        };
        return await academies
            .OrderBy(a => a.Name)
            .Select(a => new Item(a.Id, a.Name, db.Pupils.Count(p => p.AcademyId == a.Id && p.LeftOn == null)))
            .ToListAsync(ct);
    }
}
