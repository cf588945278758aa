using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Staff;

/// <summary>
/// Disables or re-enables a staff account. Disabling changes the security stamp, so the person's cookies stop
/// working at their next check and any open page loses access within the revalidation interval, without a reload.
/// </summary>
public sealed class SetStaffAccountDisabled(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit)
{
    public sealed record Request(Guid UserId, bool Disabled);

    public abstract record Result
    {
        public sealed record Changed(bool Disabled) : Result;
        public sealed record NotFound : Result;
        public sealed record Refused(string Message) : Result;
    }

    /// <param name="by">The administrator making the change; <paramref name="byUserId"/> is their own account.</param>
    public async Task<Result> HandleAsync(AccessScope by, Guid byUserId, Request request, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await StaffAccessGuard.SerialiseAsync(db, ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == request.UserId, ct);
        if (user is null) return new Result.NotFound();
        if (user.Disabled == request.Disabled) return new Result.Changed(user.Disabled);

        if (request.Disabled)
        {
            if (user.Id == byUserId) return new Result.Refused("You cannot disable your own account; ask another administrator.");
            var isAdmin = await db.StaffRoleAssignments.AnyAsync(a => a.UserId == user.Id && a.Role == StaffRoles.TrustAdmin, ct);
            if (isAdmin && await StaffAccessGuard.OtherActiveAdministratorsAsync(db, user.Id, ct) == 0)
                return new Result.Refused(StaffAccessGuard.LastAdministrator);
        }

        user.Disabled = request.Disabled;
        await StaffAccessGuard.EndSessionsAsync(db, user, ct);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(null, by.Actor, request.Disabled ? "staff.disabled" : "staff.enabled", "StaffUser",
            user.Id.ToString()), ct);
        await tx.CommitAsync(ct);
        return new Result.Changed(user.Disabled);
    }
}
