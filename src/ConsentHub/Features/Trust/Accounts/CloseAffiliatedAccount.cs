using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Trust.Accounts;

/// <summary>Takes an account off the register (deleted on the platform, or no longer the trust's). Kept for the record.</summary>
public sealed class CloseAffiliatedAccount(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit, TimeProvider clock)
{
    /// <returns>False when there is no open account with that id.</returns>
    public async Task<bool> HandleAsync(Guid id, string actor, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var account = await db.AffiliatedAccounts.FirstOrDefaultAsync(a => a.Id == id && a.ClosedAt == null, ct);
        if (account is null) return false;
        account.ClosedAt = clock.GetUtcNow();
        account.ClosedBy = actor;
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(account.Scope == PauseScope.Academy ? account.ScopeId : null, actor,
            "account.closed", "AffiliatedAccount", account.Id.ToString()), ct);
        await tx.CommitAsync(ct);
        return true;
    }
}
