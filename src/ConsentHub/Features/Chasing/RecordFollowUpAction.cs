using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Chasing;

/// <summary>
/// Office staff record what they did about a follow-up — sent a paper form, phoned, or resolved it (which takes it
/// off the list) — under their own name, with an optional note. Academy scoping and an audit entry in the same
/// transaction.
/// </summary>
public sealed class RecordFollowUpAction(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit, TimeProvider clock)
{
    public const int MaxNoteLength = 500;

    public sealed record Request(Guid FollowUpId, FollowUpActionKind Kind, string? Note);

    public abstract record Result
    {
        public sealed record Recorded : Result;
        public sealed record NotFound : Result;
        public sealed record Invalid(string Problem) : Result;
    }

    public async Task<Result> HandleAsync(AccessScope scope, Request request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(request);
        if (!Enum.IsDefined(request.Kind)) return new Result.Invalid("Choose what was done.");
        var note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim();
        if (note is { Length: > MaxNoteLength }) return new Result.Invalid($"The note is longer than {MaxNoteLength} characters.");

        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var academies = db.Academies.Where(ScopeFilter.Academies(scope)).Select(a => a.Id);
        var item = await db.FollowUps.FromSql($"SELECT * FROM consenthub.follow_ups WHERE id = {request.FollowUpId} FOR UPDATE")
            .Where(f => academies.Contains(f.AcademyId)).FirstOrDefaultAsync(ct);
        if (item is null) return new Result.NotFound();
        if (item.ResolvedAt is not null) return new Result.Invalid("This follow-up was already resolved.");

        var now = clock.GetUtcNow();
        db.FollowUpActions.Add(new FollowUpAction { FollowUpId = item.Id, Kind = request.Kind, Note = note, By = scope.Actor, At = now });
        if (request.Kind == FollowUpActionKind.Resolved)
        {
            item.ResolvedAt = now;
            item.ResolvedBy = scope.Actor;
        }
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(item.AcademyId, scope.Actor, "follow-up." + request.Kind.ToString().ToLowerInvariant(), "FollowUp", item.Id.ToString(), item.PupilId,
            new Dictionary<string, object?> { ["reason"] = item.Reason.ToString(), ["party"] = item.PartyKind.ToString(), ["note"] = note is not null }), ct);
        await tx.CommitAsync(ct);
        return new Result.Recorded();
    }
}
