using ConsentHub.Data;
using ConsentHub.Trust;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Takedowns;

/// <summary>
/// How many open accounts in the register a withdrawal's takedown tasks would go to: for one academy (its own, its
/// region's and the trust-wide accounts, as <see cref="CreateTakedownTasks"/> chooses them), or in the whole
/// register. Zero means a withdrawal creates no takedown task: the pages say so rather than promise one.
/// </summary>
public sealed class CountTakedownAccounts(IDbContextFactory<ConsentHubDbContext> factory)
{
    public async Task<int> ForAcademyAsync(Guid academyId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var regionId = await db.Academies.Where(a => a.Id == academyId).Select(a => (Guid?)a.RegionId).FirstOrDefaultAsync(ct);
        return await db.AffiliatedAccounts.CountAsync(a => a.ClosedAt == null && (
            a.Scope == PauseScope.Trust
            || (a.Scope == PauseScope.Region && a.ScopeId == regionId)
            || (a.Scope == PauseScope.Academy && a.ScopeId == academyId)), ct);
    }

    public async Task<int> InRegisterAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.AffiliatedAccounts.CountAsync(a => a.ClosedAt == null, ct);
    }
}
