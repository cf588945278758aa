using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Staff;

/// <summary>
/// Gives a staff account one more role over a scope (an academy, a region, or the trust for trust-wide roles). The
/// person's sessions end, so they sign in again and get the new role at once rather than at some later check.
/// </summary>
public sealed class GrantStaffRole(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit)
{
    /// <param name="ScopeId">The academy (academy roles) or region (RegionalDirector); null for trust-wide roles.</param>
    public sealed record Request(Guid UserId, string Role, Guid? ScopeId);

    public abstract record Result
    {
        public sealed record Granted(Guid AssignmentId) : Result;
        public sealed record NotFound : Result;
        public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : Result;
    }

    public async Task<Result> HandleAsync(AccessScope by, Request request, CancellationToken ct = default)
    {
        static Result Invalid(string field, string message) => new Result.Invalid(new Dictionary<string, string[]> { [field] = [message] });
        if (!StaffRoles.All.Contains(request.Role, StringComparer.Ordinal)) return Invalid("role", "Choose a role.");

        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await StaffAccessGuard.SerialiseAsync(db, ct);
        var user = await db.Users.Include(u => u.Assignments).FirstOrDefaultAsync(u => u.Id == request.UserId, ct);
        if (user is null) return new Result.NotFound();

        if (await StaffAccessGuard.AssignmentAsync(db, request.Role, request.ScopeId, ct) is not { } assignment)
            return Invalid("scope", StaffRoles.LevelOf(request.Role) == ScopeLevel.Region
                ? $"{request.Role} covers a region: choose the region."
                : $"{request.Role} works in one academy: choose the academy.");
        if (user.Assignments.Any(a => a.Role == assignment.Role && a.AcademyId == assignment.AcademyId && a.RegionId == assignment.RegionId))
            return Invalid("role", $"{user.DisplayName} already holds {request.Role} there.");

        assignment.UserId = user.Id;
        db.StaffRoleAssignments.Add(assignment);
        await StaffAccessGuard.EndSessionsAsync(db, user, ct);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(null, by.Actor, "staff.role-granted", "StaffUser", user.Id.ToString(),
            Data: new Dictionary<string, object?> { ["role"] = assignment.Role, ["scope"] = (assignment.AcademyId ?? assignment.RegionId)?.ToString() }), ct);
        await tx.CommitAsync(ct);
        return new Result.Granted(assignment.Id);
    }
}
