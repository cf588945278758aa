using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Data;
using ConsentHub.Pupils;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Takedowns;

/// <summary>
/// The DSL marks a pupil "never photograph or feature" with a reason only the DSL will see, or clears the flag.
/// Every check says "Do not photograph or feature" from the same transaction on; the flag's history is kept.
/// </summary>
public sealed class SetSafeguardingFlag(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit, TimeProvider clock)
{
    public const int MaxReasonLength = 1000;

    public abstract record Result
    {
        public sealed record Saved : Result;
        public sealed record NotFound : Result;
        public sealed record Invalid(string Field, string Message) : Result;
    }

    public async Task<Result> HandleAsync(AccessScope scope, Guid pupilId, bool flagged, string? reason, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var text = reason?.Trim();
        if (flagged && string.IsNullOrEmpty(text)) return new Result.Invalid("reason", "Record why (only the DSL will see it).");
        if (text is { Length: > MaxReasonLength }) return new Result.Invalid("reason", $"The reason is longer than {MaxReasonLength:N0} characters.");

        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var pupil = await db.Pupils.AsNoTracking().Where(p => p.Id == pupilId).Where(ScopeFilter.Pupils(db, scope))
            .Select(p => new { p.Id, p.AcademyId }).FirstOrDefaultAsync(ct);
        if (pupil is null) return new Result.NotFound();
        var now = clock.GetUtcNow();
        var open = await db.SafeguardingFlags.FirstOrDefaultAsync(f => f.PupilId == pupilId && f.ClearedAt == null, ct);
        if (flagged)
        {
            if (open is null)
                db.SafeguardingFlags.Add(new SafeguardingFlag { Id = Guid.NewGuid(), PupilId = pupil.Id, AcademyId = pupil.AcademyId, Reason = text!, SetBy = scope.Actor, SetAt = now });
            else
                open.Reason = text!;
        }
        else if (open is not null)
        {
            open.ClearedAt = now;
            open.ClearedBy = scope.Actor;
        }
        else
        {
            return new Result.Saved();
        }
        await db.SaveChangesAsync(ct);
        // A new flag reaches the people who run the trust's accounts as a takedown, without its reason.
        var takedowns = flagged && open is null ? await CreateDoNotFeatureTasks.HandleAsync(db, pupil.Id, pupil.AcademyId, now, ct) : 0;
        // The reason stays out of the audit payload: the audit log is read by more people than the DSL.
        await audit.AppendAsync(db, new AuditEvent(pupil.AcademyId, scope.Actor, flagged ? "safeguarding.flag-set" : "safeguarding.flag-cleared",
            "Pupil", pupil.Id.ToString(), pupil.Id, flagged ? new Dictionary<string, object?> { ["takedownTasks"] = takedowns } : null), ct);
        await tx.CommitAsync(ct);
        return new Result.Saved();
    }
}
