using ConsentHub.Audit;
using ConsentHub.Data;
using ConsentHub.Trust;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Pauses;

/// <summary>
/// Pauses posting on trust-affiliated accounts (policy §4.7) for an academy, a region or the trust, from a moment
/// (now by default) until a moment or until further notice. Every check, grid and API answer for a publishing
/// purpose shows "Posting paused until …" from the start: the insert is announced to open checks by the
/// database's own trigger. A pause that starts now tells the administrative contacts at once, in the same
/// transaction; a later start is told by <see cref="SendPostingPauseNotices"/> when it comes.
/// </summary>
public sealed class StartPostingPause(IDbContextFactory<ConsentHubDbContext> factory, PauseNotices notices, IAuditLog audit, TimeProvider clock)
{
    public const int MaxReasonLength = 1000;

    public sealed record Request(PauseScope Scope, Guid? ScopeId, DateTimeOffset? From, DateTimeOffset? Until, string Reason);

    public abstract record Result
    {
        public sealed record Started(Guid PauseId) : Result;

        /// <summary>Field (camelCase) → messages.</summary>
        public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : Result;

        /// <summary>The caller may not pause that academy, region or the trust.</summary>
        public sealed record Forbidden : Result;
    }

    public async Task<Result> HandleAsync(PauseAuthority caller, Request request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.GetUtcNow();
        var from = request.From ?? now;
        var reason = request.Reason?.Trim() ?? "";
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (reason.Length == 0) errors["reason"] = ["Say why posting is paused (only people who manage pauses see it)."];
        else if (reason.Length > MaxReasonLength) errors["reason"] = [$"Keep the reason to {MaxReasonLength} characters."];
        // A few minutes' grace: "from" picked on a form a moment ago is not an attempt to pause the past.
        if (from < now.AddMinutes(-5)) errors["from"] = ["A pause cannot start in the past: leave the start empty to pause now."];
        if (request.Until is { } until && until <= from) errors["until"] = ["The end must be after the start (or leave it empty: until further notice)."];

        await using var db = await factory.CreateDbContextAsync(ct);
        switch (request.Scope)
        {
            case PauseScope.Trust:
                break;
            case PauseScope.Academy when request.ScopeId is not { } a || !await db.Academies.AnyAsync(x => x.Id == a, ct):
                errors["scopeId"] = ["Choose the academy to pause."];
                break;
            case PauseScope.Region when request.ScopeId is not { } r || !await db.Regions.AnyAsync(x => x.Id == r, ct):
                errors["scopeId"] = ["Choose the region to pause."];
                break;
            case PauseScope.Academy or PauseScope.Region:
                break;
            default:
                errors["scope"] = ["Choose an academy, a region or the whole trust."];
                break;
        }
        if (errors.Count > 0) return new Result.Invalid(errors);
        var scopeId = request.Scope == PauseScope.Trust ? null : request.ScopeId;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await caller.MayManageAsync(db, request.Scope, scopeId, ct))
        {
            await audit.AppendAsync(db, new AuditEvent(request.Scope == PauseScope.Academy ? scopeId : null, caller.Actor, "pause.start-denied",
                "PostingPause", null, Data: new Dictionary<string, object?> { ["scope"] = request.Scope.ToString(), ["scopeId"] = scopeId }), ct);
            await tx.CommitAsync(ct);
            return new Result.Forbidden();
        }

        var pause = new PostingPause
        {
            Id = Guid.CreateVersion7(),
            Scope = request.Scope,
            ScopeId = scopeId,
            From = from < now ? now : from,
            Until = request.Until,
            Reason = reason,
            SetBy = caller.Actor,
            SetAt = now,
        };
        db.PostingPauses.Add(pause);
        await db.SaveChangesAsync(ct);
        if (pause.From <= now) await notices.SendDueAsync(db, pause, now, ct);
        await audit.AppendAsync(db, new AuditEvent(pause.Scope == PauseScope.Academy ? pause.ScopeId : null, caller.Actor, "pause.started",
            "PostingPause", pause.Id.ToString(), Data: new Dictionary<string, object?>
            {
                ["scope"] = pause.Scope.ToString(),
                ["scopeId"] = pause.ScopeId,
                ["from"] = pause.From,
                ["until"] = pause.Until,
            }), ct);
        await tx.CommitAsync(ct);
        return new Result.Started(pause.Id);
    }
}
