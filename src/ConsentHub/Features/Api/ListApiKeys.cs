using ConsentHub.Access;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Api;

/// <summary>
/// The API keys a manager may see: every key for a trust-wide manager, an academy's keys for its headteacher. Never
/// the secret (only its hash is stored); the prefix identifies a key.
/// </summary>
public sealed class ListApiKeys(IDbContextFactory<ConsentHubDbContext> factory, TimeProvider clock)
{
    public sealed record Row(Guid Id, string Name, string Prefix, Guid? AcademyId, string? AcademyName, DateTimeOffset CreatedAt,
        DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt, bool Active);

    public async Task<IReadOnlyList<Row>> HandleAsync(IReadOnlyList<AccessScope> scopes, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        if (scopes.Count == 0) return [];
        var trustWide = scopes.Any(s => s.Level == ScopeLevel.Trust);
        var academies = scopes.Where(s => s.Level == ScopeLevel.Academy && s.Id is not null).Select(s => s.Id!.Value).ToList();
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var rows = await db.ApiKeys
            .Where(k => trustWide || (k.AcademyId != null && academies.Contains(k.AcademyId.Value)))
            .Select(k => new
            {
                k.Id,
                k.Name,
                k.Prefix,
                k.AcademyId,
                AcademyName = db.Academies.Where(a => a.Id == k.AcademyId).Select(a => a.Name).FirstOrDefault(),
                k.CreatedAt,
                k.ExpiresAt,
                k.RevokedAt,
                k.LastUsedAt,
            })
            .ToListAsync(ct);
        return [.. rows
            .Select(k => new Row(k.Id, k.Name, k.Prefix, k.AcademyId, k.AcademyName, k.CreatedAt, k.ExpiresAt, k.RevokedAt, k.LastUsedAt,
                k.RevokedAt is null && (k.ExpiresAt is null || k.ExpiresAt > now)))
            .OrderByDescending(k => k.Active)
            .ThenBy(k => k.AcademyName ?? "", StringComparer.CurrentCulture)
            .ThenBy(k => k.Name, StringComparer.CurrentCulture)];
    }

    /// <summary>Whether one of <paramref name="scopes"/> may manage a key of <paramref name="academyId"/> (null: a trust-wide key).</summary>
    public static bool MayManage(IReadOnlyList<AccessScope> scopes, Guid? academyId)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        return scopes.Any(s => s.Level == ScopeLevel.Trust || (academyId is not null && s.Level == ScopeLevel.Academy && s.Id == academyId));
    }
}
