using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Trust.Accounts;

/// <summary>The open accounts in the register with the name of the academy or region each belongs to.</summary>
public sealed class ListAffiliatedAccounts(IDbContextFactory<ConsentHubDbContext> factory)
{
    public sealed record Row(AffiliatedAccount Account, string ScopeName);

    public async Task<IReadOnlyList<Row>> HandleAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var accounts = await db.AffiliatedAccounts.AsNoTracking().Where(a => a.ClosedAt == null)
            .OrderBy(a => a.Scope).ThenBy(a => a.Platform).ThenBy(a => a.Handle).ToListAsync(ct);
        var academies = await db.Academies.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        var regions = await db.Regions.AsNoTracking().ToDictionaryAsync(r => r.Id, r => r.Name, ct);
        return [.. accounts.Select(a => new Row(a, a.Scope switch
        {
            PauseScope.Academy => academies.GetValueOrDefault(a.ScopeId!.Value, "(unknown academy)"),
            PauseScope.Region => regions.GetValueOrDefault(a.ScopeId!.Value, "(unknown region)"),
            _ => "Whole trust",
        }))];
    }
}
