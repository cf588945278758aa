using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Staff;

/// <summary>
/// Takes one role away from a staff account. The person's sessions end, so an open page loses what the role gave
/// within the revalidation interval. An account keeps at least one role (disable it instead), and the trust keeps
/// an active administrator.
/// </summary>
public sealed class RevokeStaffRole(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit)
{
    public sealed record Request(Guid UserId, Guid AssignmentId);

    public abstract record Result
    {
        public sealed record Revoked : Result;
        public sealed record NotFound : Result;
        public sealed record Refused(string Message) : Result;
    }

    public async Task<Result> HandleAsync(AccessScope by, Request request, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await StaffAccessGuard.SerialiseAsync(db, ct);
        var user = await db.Users.Include(u => u.Assignments).FirstOrDefaultAsync(u => u.Id == request.UserId, ct);
        var assignment = user?.Assignments.FirstOrDefault(a => a.Id == request.AssignmentId);
        if (user is null || assignment is null) return new Result.NotFound();

        if (user.Assignments.Count == 1)
            return new Result.Refused($"This is {user.DisplayName}'s only role. To stop them using ConsentHub, disable the account instead.");
        if (assignment.Role == StaffRoles.TrustAdmin && !user.Disabled
            && user.Assignments.Count(a => a.Role == StaffRoles.TrustAdmin) == 1
            && await StaffAccessGuard.OtherActiveAdministratorsAsync(db, user.Id, ct) == 0)
            return new Result.Refused(StaffAccessGuard.LastAdministrator);

        db.StaffRoleAssignments.Remove(assignment);
        await StaffAccessGuard.EndSessionsAsync(db, user, ct);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(null, by.Actor, "staff.role-revoked", "StaffUser", user.Id.ToString(),
            Data: new Dictionary<string, object?> { ["role"] = assignment.Role, ["scope"] = (assignment.AcademyId ?? assignment.RegionId)?.ToString() }), ct);
        await tx.CommitAsync(ct);
        return new Result.Revoked();
    }
}
