using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Rollover;

/// <summary>The rollover reports of the academies in the caller's scope, newest first, and one report with the pupils' names.</summary>
public sealed class ListRolloverReports(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit)
{
    public sealed record Row(Guid Id, Guid AcademyId, string AcademyName, RolloverTrigger Trigger, DateTimeOffset RanAt, int PupilsOnRoll,
        int PupilNowAsked, int ParentNowAsked, int ParentNoLongerAsked, int PupilNoLongerAsked, int RequestsCreated, int EmailsQueued, int OnPaper, int RequestsClosed);

    public sealed record PupilLine(Guid PupilId, string Name, string YearGroup, string? RegistrationGroup);

    public sealed record Detail(Row Summary, IReadOnlyList<PupilLine> PupilNowAsked, IReadOnlyList<PupilLine> ParentNowAsked,
        IReadOnlyList<PupilLine> ParentNoLongerAsked, IReadOnlyList<PupilLine> PupilNoLongerAsked);

    public async Task<IReadOnlyList<Row>> HandleAsync(AccessScope scope, int take = 100, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await using var db = await factory.CreateDbContextAsync(ct);
        var academies = db.Academies.Where(ScopeFilter.Academies(scope));
        return await (from r in db.RolloverReports.AsNoTracking()
                      join a in academies on r.AcademyId equals a.Id
                      orderby r.RanAt descending
                      select new Row(r.Id, r.AcademyId, a.Name, r.Trigger, r.RanAt, r.PupilsOnRoll, r.PupilNowAsked.Count, r.ParentNowAsked.Count,
                          r.ParentNoLongerAsked.Count, r.PupilNoLongerAsked.Count, r.RequestsCreated, r.EmailsQueued, r.OnPaper, r.RequestsClosed))
            .Take(take).ToListAsync(ct);
    }

    /// <summary>One report with names (pupils since purged are left out); null when it is not in the caller's scope. Audited.</summary>
    public async Task<Detail?> GetAsync(AccessScope scope, Guid reportId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await using var db = await factory.CreateDbContextAsync(ct);
        var academies = db.Academies.Where(ScopeFilter.Academies(scope));
        var found = await (from x in db.RolloverReports.AsNoTracking()
                           join a in academies on x.AcademyId equals a.Id
                           where x.Id == reportId
                           select new { Report = x, AcademyName = a.Name }).FirstOrDefaultAsync(ct);
        if (found is null) return null;
        var r = found.Report;
        var ids = r.PupilNowAsked.Concat(r.ParentNowAsked).Concat(r.ParentNoLongerAsked).Concat(r.PupilNoLongerAsked).Distinct().ToList();
        var names = await db.Pupils.AsNoTracking().Where(p => p.AcademyId == r.AcademyId && ids.Contains(p.Id))
            .Select(p => new { p.Id, p.LegalFirstName, p.PreferredFirstName, p.LegalLastName, p.PreferredLastName, p.YearGroup, p.RegistrationGroup })
            .ToDictionaryAsync(p => p.Id, ct);
        List<PupilLine> Lines(List<Guid> list) => [.. list.Where(names.ContainsKey).Select(id => names[id])
            .OrderBy(p => p.YearGroup).ThenBy(p => p.RegistrationGroup, StringComparer.Ordinal).ThenBy(p => p.LegalLastName, StringComparer.Ordinal)
            .Select(p => new PupilLine(p.Id,
                $"{(string.IsNullOrWhiteSpace(p.PreferredFirstName) ? p.LegalFirstName : p.PreferredFirstName)} {(string.IsNullOrWhiteSpace(p.PreferredLastName) ? p.LegalLastName : p.PreferredLastName)}",
                new YearGroup(p.YearGroup).DisplayName, p.RegistrationGroup))];
        var summary = new Row(r.Id, r.AcademyId, found.AcademyName, r.Trigger, r.RanAt, r.PupilsOnRoll, r.PupilNowAsked.Count, r.ParentNowAsked.Count,
            r.ParentNoLongerAsked.Count, r.PupilNoLongerAsked.Count, r.RequestsCreated, r.EmailsQueued, r.OnPaper, r.RequestsClosed);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(r.AcademyId, scope.Actor, "rollover.report-viewed", "RolloverReport", r.Id.ToString()), ct);
        await tx.CommitAsync(ct);
        return new Detail(summary, Lines(r.PupilNowAsked), Lines(r.ParentNowAsked), Lines(r.ParentNoLongerAsked), Lines(r.PupilNoLongerAsked));
    }
}
