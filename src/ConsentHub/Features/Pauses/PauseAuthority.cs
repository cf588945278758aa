using ConsentHub.Access;
using ConsentHub.Data;
using ConsentHub.Trust;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Pauses;

/// <summary>
/// Who may set or lift a pause where (policy §4.7, §8.1.2): trust-wide roles anywhere, a regional director in their
/// region and its academies, a headteacher in their academy. Everyone holding the capability sees the pauses that
/// cover their academies, including broader ones they may not lift.
/// </summary>
public sealed record PauseAuthority(IReadOnlyList<AccessScope> Scopes)
{
    public string Actor => Scopes.Count > 0 ? Scopes[0].Actor : "unknown";

    public bool IsTrustWide => Scopes.Any(s => s.Level == ScopeLevel.Trust);

    /// <summary>Whether a pause of this scope may be set or lifted by the caller.</summary>
    public async Task<bool> MayManageAsync(ConsentHubDbContext db, PauseScope scope, Guid? scopeId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (IsTrustWide) return true;
        if (scope == PauseScope.Trust || scopeId is not { } id) return false;
        var regions = Scopes.Where(s => s.Level == ScopeLevel.Region).Select(s => s.Id!.Value).ToList();
        var academies = Scopes.Where(s => s.Level == ScopeLevel.Academy).Select(s => s.Id!.Value).ToList();
        return scope switch
        {
            PauseScope.Region => regions.Contains(id),
            _ => academies.Contains(id) || await db.Academies.AnyAsync(a => a.Id == id && regions.Contains(a.RegionId), ct),
        };
    }

    /// <summary>The academies the caller works in, with their regions (null: the whole trust).</summary>
    public async Task<(IReadOnlyList<Guid> Academies, IReadOnlyList<Guid> Regions)?> AreaAsync(ConsentHubDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (IsTrustWide) return null;
        var regions = Scopes.Where(s => s.Level == ScopeLevel.Region).Select(s => s.Id!.Value).ToList();
        var direct = Scopes.Where(s => s.Level == ScopeLevel.Academy).Select(s => s.Id!.Value).ToList();
        var academies = await db.Academies.AsNoTracking().Where(a => direct.Contains(a.Id) || regions.Contains(a.RegionId))
            .Select(a => new { a.Id, a.RegionId }).ToListAsync(ct);
        return ([.. academies.Select(a => a.Id)], [.. academies.Select(a => a.RegionId).Concat(regions).Distinct()]);
    }
}
