using ConsentHub.Access;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Staff;

/// <summary>One staff account with each role it holds and what that role covers, for the trust's administrators.</summary>
public sealed class GetStaffAccount(IDbContextFactory<ConsentHubDbContext> factory, TimeProvider clock)
{
    public sealed record Role(Guid AssignmentId, string Name, ScopeLevel Level, Guid? ScopeId, string ScopeName);

    public sealed record Account(
        Guid Id, string DisplayName, string? Email, bool Disabled, bool HasPassword, bool TwoFactorEnabled, bool LockedOut,
        DateTimeOffset CreatedAt, IReadOnlyList<Role> Roles);

    public async Task<Account?> HandleAsync(Guid userId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().Include(u => u.Assignments).FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null) return null;
        var academies = await db.Academies.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        var regions = await db.Regions.AsNoTracking().ToDictionaryAsync(r => r.Id, r => r.Name, ct);
        var roles = user.Assignments
            .Select(a => new Role(a.Id, a.Role, a.Level, a.AcademyId ?? a.RegionId, a.Level switch
            {
                ScopeLevel.Academy => academies.GetValueOrDefault(a.AcademyId!.Value, "an academy that no longer exists"),
                ScopeLevel.Region => regions.GetValueOrDefault(a.RegionId!.Value, "a region that no longer exists"),
                _ => "The whole trust",
            }))
            .OrderBy(r => StaffRolesOrder(r.Name)).ThenBy(r => r.ScopeName, StringComparer.CurrentCulture)
            .ToList();
        return new Account(user.Id, user.DisplayName, user.Email, user.Disabled, user.PasswordHash is not null, user.TwoFactorEnabled,
            user.LockoutEnd is { } end && end > clock.GetUtcNow(), user.CreatedAt, roles);
    }

    private static int StaffRolesOrder(string role) => StaffRoles.All.ToList().IndexOf(role);
}
