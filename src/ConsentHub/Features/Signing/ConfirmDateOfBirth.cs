using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Signing;

/// <summary>
/// The signer confirms the pupil's date of birth before seeing or answering the form. Three wrong tries lock
/// that request or change link for 15 minutes (audited as <c>signing.locked</c>). The count lives in the
/// database and the target's row is locked while it changes, so several app instances and parallel tries share
/// one count.
/// </summary>
public sealed class ConfirmDateOfBirth(IDbContextFactory<ConsentHubDbContext> factory, SigningTargets targets, IAuditLog audit, TimeProvider clock)
{
    public const int MaxAttempts = 3;
    public static readonly TimeSpan LockDuration = TimeSpan.FromMinutes(15);

    public abstract record Result
    {
        public sealed record Confirmed(SigningTarget Target) : Result;

        /// <summary>Wrong date, or (for a short code) a code that opens nothing: the same answer for both.</summary>
        public sealed record NoMatch : Result;

        public sealed record Locked(DateTimeOffset Until) : Result;
    }

    /// <summary>Whether the target is locked now, for showing the page (reads only).</summary>
    public async Task<DateTimeOffset?> LockedUntilAsync(SigningTarget target, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var until = await db.SigningLockouts.AsNoTracking().Where(l => l.TargetId == target.Id).Select(l => l.LockedUntil).FirstOrDefaultAsync(ct);
        return until is { } u && u > clock.GetUtcNow() ? u : null;
    }

    /// <summary>The short code typed at /sign with the date of birth.</summary>
    public async Task<Result> HandleShortCodeAsync(string? code, DateOnly? dateOfBirth, CancellationToken ct = default)
    {
        var target = await targets.ByShortCodeAsync(code, ct);
        if (target is null) return new Result.NoMatch();
        return await HandleAsync(target, dateOfBirth, ct);
    }

    public async Task<Result> HandleAsync(SigningTarget target, DateOnly? dateOfBirth, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();

        // Serialises tries on one target: two parallel wrong dates count as two.
        if (target.Kind == SigningTargetKind.Request)
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM consenthub.signature_requests WHERE id = {target.Id} FOR UPDATE", ct);
        else
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM consenthub.signer_links WHERE id = {target.Id} FOR UPDATE", ct);

        var lockout = await db.SigningLockouts.FirstOrDefaultAsync(l => l.TargetId == target.Id, ct);
        if (lockout?.LockedUntil is { } until)
        {
            if (until > now) return new Result.Locked(until);
            // The lock has run out: a fresh start.
            lockout.LockedUntil = null;
            lockout.FailedAttempts = 0;
        }

        var actual = await db.Pupils.AsNoTracking().Where(p => p.Id == target.PupilId).Select(p => p.DateOfBirth).FirstAsync(ct);
        if (dateOfBirth == actual)
        {
            if (lockout is not null) db.SigningLockouts.Remove(lockout);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            audit.RecordRead(Event(target, "signing.dob-confirmed", null));
            return new Result.Confirmed(target);
        }

        if (lockout is null)
        {
            lockout = new SigningLockout { TargetId = target.Id };
            db.SigningLockouts.Add(lockout);
        }
        lockout.FailedAttempts++;
        lockout.UpdatedAt = now;
        Result result = new Result.NoMatch();
        if (lockout.FailedAttempts >= MaxAttempts)
        {
            lockout.LockedUntil = now + LockDuration;
            await audit.AppendAsync(db, Event(target, "signing.locked", new Dictionary<string, object?>
            {
                ["attempts"] = lockout.FailedAttempts,
                ["lockedUntil"] = lockout.LockedUntil,
            }), ct);
            result = new Result.Locked(lockout.LockedUntil.Value);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (result is Result.NoMatch) audit.RecordRead(Event(target, "signing.dob-wrong", new Dictionary<string, object?> { ["attempts"] = lockout.FailedAttempts }));
        return result;
    }

    private static AuditEvent Event(SigningTarget target, string action, Dictionary<string, object?>? data) =>
        new(target.AcademyId, target.Actor, action, target.Kind == SigningTargetKind.Request ? "SignatureRequest" : "SignerLink",
            target.Id.ToString(), target.PupilId, data);
}
