using ConsentHub.Audit;
using ConsentHub.Data;
using ConsentHub.Trust;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Pauses;

/// <summary>
/// The pauses that cover the caller's academies — current and planned first, then the history — with who set and
/// lifted each (by display name) and whether the caller may lift it. Viewing is audited.
/// </summary>
public sealed class ListPostingPauses(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit, TimeProvider clock)
{
    public enum PauseState
    {
        Active = 0,
        Planned = 1,
        Ended = 2,
        Lifted = 3,
        Cancelled = 4,
    }

    public sealed record Row(
        Guid Id,
        PauseScope Scope,
        Guid? ScopeId,
        string ScopeName,
        DateTimeOffset From,
        DateTimeOffset? Until,
        string Reason,
        string SetBy,
        DateTimeOffset SetAt,
        string? LiftedBy,
        DateTimeOffset? LiftedAt,
        PauseState State,
        bool MayLift);

    public async Task<IReadOnlyList<Row>> HandleAsync(PauseAuthority caller, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var area = await caller.AreaAsync(db, ct);
        var query = db.PostingPauses.AsNoTracking();
        if (area is { } a)
        {
            var (academies, regions) = (a.Academies.ToList(), a.Regions.ToList());
            query = query.Where(p => p.Scope == PauseScope.Trust
                || (p.Scope == PauseScope.Region && regions.Contains(p.ScopeId!.Value))
                || (p.Scope == PauseScope.Academy && academies.Contains(p.ScopeId!.Value)));
        }
        var pauses = await query.OrderByDescending(p => p.From).ThenBy(p => p.Id).Take(500).ToListAsync(ct);
        var academyNames = await db.Academies.AsNoTracking().ToDictionaryAsync(x => x.Id, x => x.Name, ct);
        var regionNames = await db.Regions.AsNoTracking().ToDictionaryAsync(x => x.Id, x => x.Name, ct);
        var actors = pauses.SelectMany(p => new[] { p.SetBy, p.LiftedBy }).OfType<string>().Distinct().ToList();
        var names = await StaffNamesAsync(db, actors, ct);

        var rows = new List<Row>(pauses.Count);
        foreach (var p in pauses)
        {
            var state = p.LiftedAt is not null ? (p.Until == p.From && p.LiftedAt < p.From ? PauseState.Cancelled : PauseState.Lifted)
                : p.From > now ? PauseState.Planned
                : p.Until is { } u && u <= now ? PauseState.Ended
                : PauseState.Active;
            var scopeName = p.Scope switch
            {
                PauseScope.Academy => academyNames.GetValueOrDefault(p.ScopeId!.Value, "(unknown academy)"),
                PauseScope.Region => regionNames.GetValueOrDefault(p.ScopeId!.Value, "(unknown)") + " region",
                _ => "The whole trust",
            };
            var open = state is PauseState.Active or PauseState.Planned;
            rows.Add(new Row(p.Id, p.Scope, p.ScopeId, scopeName, p.From, p.Until, p.Reason, names.GetValueOrDefault(p.SetBy, p.SetBy), p.SetAt,
                p.LiftedBy is null ? null : names.GetValueOrDefault(p.LiftedBy, p.LiftedBy), p.LiftedAt, state,
                open && await caller.MayManageAsync(db, p.Scope, p.ScopeId, ct)));
        }
        audit.RecordRead(new AuditEvent(caller.Scopes.FirstOrDefault(s => s.Level == Access.ScopeLevel.Academy)?.Id, caller.Actor, "pause.list-viewed",
            Data: new Dictionary<string, object?> { ["pauses"] = rows.Count }));
        return [.. rows.OrderBy(r => r.State is PauseState.Active or PauseState.Planned ? 0 : 1).ThenByDescending(r => r.From)];
    }

    /// <summary>Audit actors are "staff:{id}"; the page shows the person's name.</summary>
    private static async Task<Dictionary<string, string>> StaffNamesAsync(ConsentHubDbContext db, IReadOnlyList<string> actors, CancellationToken ct)
    {
        var ids = actors.Where(a => a.StartsWith("staff:", StringComparison.Ordinal))
            .Select(a => Guid.TryParse(a.AsSpan(6), out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).ToList();
        if (ids.Count == 0) return [];
        var users = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct);
        return users.ToDictionary(u => $"staff:{u.Id}", u => u.DisplayName.Length > 0 ? u.DisplayName : "a member of staff");
    }
}
