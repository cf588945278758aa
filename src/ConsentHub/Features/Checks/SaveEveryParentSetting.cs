using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Checks;

/// <summary>
/// Saves rule 1's trust setting. Trust-wide scope only; audited on the trust's chain with the before and after
/// values and the number of pupils the preview said would change. Every open check re-reads at once: the change
/// is announced on the same channel a posting pause uses ("everything changed").
/// </summary>
public sealed class SaveEveryParentSetting(IDbContextFactory<ConsentHubDbContext> factory, ConsentReferenceCache reference, IAuditLog audit)
{
    public enum Result
    {
        Saved = 0,
        Unchanged = 1,
        NotAllowed = 2,
    }

    public async Task<Result> HandleAsync(AccessScope scope, bool requireEveryHolder, int pupilsChangedInPreview, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (scope.Level != ScopeLevel.Trust) return Result.NotAllowed;
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var trust = await db.Trusts.OrderBy(t => t.Id).FirstAsync(ct);
        if (trust.RequireEveryParentalResponsibilityHolder == requireEveryHolder) return Result.Unchanged;
        trust.RequireEveryParentalResponsibilityHolder = requireEveryHolder;
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(null, scope.Actor, "trust.every-parent-setting-changed", "Trust", trust.Id.ToString(),
            Data: new Dictionary<string, object?>
            {
                ["before"] = !requireEveryHolder,
                ["after"] = requireEveryHolder,
                ["pupilsChangedInPreview"] = pupilsChangedInPreview,
            }), ct);
        // "pauses" is the channel's "every academy" payload: open checks drop their cached settings and re-read.
        await db.Database.ExecuteSqlRawAsync("SELECT pg_notify('consent_changed', 'pauses')", ct);
        await tx.CommitAsync(ct);
        reference.Invalidate();
        return Result.Saved;
    }
}
