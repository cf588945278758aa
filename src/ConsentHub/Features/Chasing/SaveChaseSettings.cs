using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Data;
using ConsentHub.Trust;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Chasing;

/// <summary>
/// Trust set-up changes the chase schedule: reminder days, what they count from, quiet hours, weekends and the
/// follow-up delay. Only trust-wide scope; bad values change nothing and come back with a message per field;
/// the change is audited on the trust's chain. The next chase run uses it.
/// </summary>
public sealed class SaveChaseSettings(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit)
{
    public abstract record Result
    {
        public sealed record Saved : Result;
        public sealed record NotAllowed : Result;
        public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : Result;
    }

    public async Task<Result> HandleAsync(AccessScope scope, ChaseSettings settings, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(settings);
        if (scope.Level != ScopeLevel.Trust) return new Result.NotAllowed();
        var errors = settings.Validate();
        if (errors.Count > 0) return new Result.Invalid(errors);

        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var trust = await db.Trusts.OrderBy(t => t.Id).FirstAsync(ct);
        var before = trust.ChaseSettings.Describe();
        trust.ChaseAnchor = settings.Anchor;
        trust.ChaseOffsetsDays = [.. settings.OffsetsDays];
        trust.ChaseQuietFrom = settings.QuietFrom;
        trust.ChaseQuietUntil = settings.QuietUntil;
        trust.ChaseSkipWeekends = settings.SkipWeekends;
        trust.ChaseFollowUpAfterDays = settings.FollowUpAfterDays;
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(null, scope.Actor, "chase.settings-changed", "Trust", trust.Id.ToString(),
            Data: new Dictionary<string, object?> { ["before"] = before, ["after"] = settings.Describe() }), ct);
        await tx.CommitAsync(ct);
        return new Result.Saved();
    }
}
