using ConsentHub.Access;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Retention;

/// <summary>
/// The latest retention runs (dry runs and purges) as counts per academy, limited to the academies in the caller's
/// scope: a DSL sees their own academy's figures, a trust admin every academy's. Never names.
/// </summary>
public sealed class ListRetentionRuns(IDbContextFactory<ConsentHubDbContext> factory)
{
    public sealed record AcademyCount(Guid AcademyId, string AcademyName, int Pupils);

    public sealed record Row(Guid Id, bool DryRun, DateTimeOffset RanAt, string RunBy, DateOnly LeftBefore, int PupilsInScope, IReadOnlyList<AcademyCount> ByAcademy);

    public async Task<IReadOnlyList<Row>> HandleAsync(AccessScope scope, int take = 20, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await using var db = await factory.CreateDbContextAsync(ct);
        var academies = await db.Academies.AsNoTracking().Where(ScopeFilter.Academies(scope)).ToDictionaryAsync(a => a.Id.ToString(), a => a, ct);
        var runs = await db.RetentionRuns.AsNoTracking().OrderByDescending(r => r.RanAt).Take(take).ToListAsync(ct);
        return [.. runs.Select(r =>
        {
            var counts = r.PupilsByAcademy.Where(kv => academies.ContainsKey(kv.Key))
                .Select(kv => new AcademyCount(academies[kv.Key].Id, academies[kv.Key].Name, kv.Value))
                .OrderBy(c => c.AcademyName, StringComparer.Ordinal).ToList();
            return new Row(r.Id, r.DryRun, r.RanAt, r.RunBy, r.LeftBefore, counts.Sum(c => c.Pupils), counts);
        })];
    }
}
