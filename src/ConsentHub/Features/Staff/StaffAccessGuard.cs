using ConsentHub.Access;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Staff;

/// <summary>
/// What every change to a staff account's access must keep true: the trust always has an administrator who can
/// sign in, so no change may lock the trust out of its own staff accounts.
/// </summary>
internal static class StaffAccessGuard
{
    public const string LastAdministrator =
        "This is the trust's last active administrator: make someone else a TrustAdmin first, so the trust can still manage its staff.";

    /// <summary>
    /// Changes to staff access take turns (a transaction-scoped advisory lock), so two administrators disabling
    /// each other at the same moment cannot both pass the last-administrator check.
    /// </summary>
    public static Task SerialiseAsync(ConsentHubDbContext db, CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtext('consenthub.staff-access'))", ct);

    /// <summary>How many enabled accounts other than <paramref name="except"/> hold TrustAdmin.</summary>
    public static Task<int> OtherActiveAdministratorsAsync(ConsentHubDbContext db, Guid except, CancellationToken ct) =>
        db.Users.CountAsync(u => u.Id != except && !u.Disabled && u.Assignments.Any(a => a.Role == StaffRoles.TrustAdmin), ct);

    /// <summary>
    /// The assignment for <paramref name="role"/> over <paramref name="scopeId"/> (an academy for academy roles, a
    /// region for RegionalDirector, ignored for trust-wide roles); null when the scope is missing or does not exist.
    /// </summary>
    public static async Task<StaffRoleAssignment?> AssignmentAsync(ConsentHubDbContext db, string role, Guid? scopeId, CancellationToken ct) =>
        StaffRoles.LevelOf(role) switch
        {
            ScopeLevel.Trust => StaffRoleAssignment.ForTrust(role),
            ScopeLevel.Region when scopeId is { } region && await db.Regions.AnyAsync(r => r.Id == region, ct) => StaffRoleAssignment.ForRegion(role, region),
            ScopeLevel.Academy when scopeId is { } academy && await db.Academies.AnyAsync(a => a.Id == academy, ct) => StaffRoleAssignment.ForAcademy(role, academy),
            _ => null,
        };

    /// <summary>
    /// Ends every session of the person: their session rows are deleted (in the caller's transaction), so each of
    /// their cookies fails on its very next request on every app instance and open pages at their next
    /// revalidation; and a new security stamp, so anything else issued for the old stamp fails too.
    /// </summary>
    public static async Task EndSessionsAsync(ConsentHubDbContext db, StaffUser user, CancellationToken ct)
    {
        user.SecurityStamp = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
        await db.StaffSessions.Where(s => s.UserId == user.Id).ExecuteDeleteAsync(ct);
    }
}
