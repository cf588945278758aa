using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Pupils;

/// <summary>
/// Sixth form (Years 12–13): staff record a particular reason to ask the parent as well as the pupil (§6.2), or
/// take it off. The check follows at once (the facts read model is updated in the same transaction).
/// </summary>
public sealed class SetAlsoAskParent(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit)
{
    public const int MaxReasonLength = 500;

    public abstract record Result
    {
        public sealed record Saved : Result;
        public sealed record NotFound : Result;
        public sealed record Invalid(string Field, string Message) : Result;
    }

    public async Task<Result> HandleAsync(AccessScope scope, Guid pupilId, bool askParent, string? reason, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var pupil = await db.Pupils.Where(p => p.Id == pupilId).Where(ScopeFilter.Pupils(db, scope)).FirstOrDefaultAsync(ct);
        if (pupil is null) return new Result.NotFound();
        var text = reason?.Trim();
        if (askParent && pupil.YearGroup < 12)
            return new Result.Invalid("askParent", $"{new YearGroup(pupil.YearGroup).DisplayName} pupils' parents are asked anyway; the flag is for the sixth form.");
        if (askParent && string.IsNullOrEmpty(text))
            return new Result.Invalid("reason", "Record the particular reason the parent must be asked too.");
        if (text is { Length: > MaxReasonLength })
            return new Result.Invalid("reason", $"The reason is longer than {MaxReasonLength} characters.");

        pupil.AlsoAskParent = askParent;
        pupil.AlsoAskParentReason = askParent ? text : null;
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(pupil.AcademyId, scope.Actor, askParent ? "pupil.also-ask-parent-set" : "pupil.also-ask-parent-cleared",
            "Pupil", pupil.Id.ToString(), pupil.Id, new Dictionary<string, object?> { ["reasonRecorded"] = pupil.AlsoAskParentReason is not null }), ct);
        await tx.CommitAsync(ct);
        return new Result.Saved();
    }
}
