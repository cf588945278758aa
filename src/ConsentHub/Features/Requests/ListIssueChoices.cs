using ConsentHub.Access;
using ConsentHub.Consent;
using ConsentHub.Data;
using ConsentHub.Pupils;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Requests;

/// <summary>What the issuing page offers: the academies in the caller's scope, the published form versions, and an academy's year groups and classes with the pupils on roll in each.</summary>
public sealed class ListIssueChoices(IDbContextFactory<ConsentHubDbContext> factory, TimeProvider clock)
{
    public sealed record AcademyChoice(Guid Id, string Name);

    public sealed record FormChoice(Guid Id, string Label, DateTimeOffset PublishedAt);

    public sealed record YearChoice(int Value, string Name, int Pupils);

    /// <param name="Year">The youngest year group of the class's pupils: classes are listed and grouped by it.</param>
    public sealed record GroupChoice(string Name, int Pupils, int Year = 0, string YearName = "");

    public sealed record Groups(IReadOnlyList<YearChoice> Years, IReadOnlyList<GroupChoice> Classes);

    public async Task<IReadOnlyList<AcademyChoice>> AcademiesAsync(AccessScope scope, CancellationToken ct = default)
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
        return await academies.OrderBy(a => a.Name).Select(a => new AcademyChoice(a.Id, a.Name)).ToListAsync(ct);
    }

    /// <summary>Published and not retired, newest first: the versions new requests may use.</summary>
    public async Task<IReadOnlyList<FormChoice>> FormVersionsAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.FormVersions.AsNoTracking()
            .Where(v => v.PublishedAt != null && v.ConsentValidThrough == null)
            .OrderByDescending(v => v.PublishedAt)
            .Select(v => new FormChoice(v.Id, v.Label, v.PublishedAt!.Value))
            .ToListAsync(ct);
    }

    /// <summary>The year groups and classes with pupils on roll; empty for an academy outside the scope.</summary>
    public async Task<Groups> GroupsAsync(AccessScope scope, Guid academyId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await using var db = await factory.CreateDbContextAsync(ct);
        var today = Consent.Rules.UkCalendar.DateOf(clock.GetUtcNow());
        var pupils = db.Pupils.AsNoTracking().Where(ScopeFilter.Pupils(db, scope))
            .Where(p => p.AcademyId == academyId).Where(OnRoll.On(today));
        var years = await pupils.GroupBy(p => p.YearGroup).Select(g => new { g.Key, Count = g.Count() }).OrderBy(g => g.Key).ToListAsync(ct);
        var classes = await pupils.Where(p => p.RegistrationGroup != null).GroupBy(p => p.RegistrationGroup!)
            .Select(g => new { g.Key, Count = g.Count(), Year = g.Min(p => p.YearGroup) }).ToListAsync(ct);
        return new Groups(
            [.. years.Select(y => new YearChoice(y.Key, IssuePlanner.YearName(y.Key), y.Count))],
            [.. classes.OrderBy(c => c.Year).ThenBy(c => c.Key.Length).ThenBy(c => c.Key, StringComparer.Ordinal)
                .Select(c => new GroupChoice(c.Key, c.Count, c.Year, IssuePlanner.YearName(c.Year)))]);
    }
}
