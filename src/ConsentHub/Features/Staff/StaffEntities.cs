using ConsentHub.Access;
using Microsoft.AspNetCore.Identity;

namespace ConsentHub.Staff;

/// <summary>A member of staff who signs in to the app. Roles come from <see cref="Assignments"/>, each with its scope.</summary>
public sealed class StaffUser : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = "";

    /// <summary>A disabled account cannot sign in, and open sessions lose access at their next check.</summary>
    public bool Disabled { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public List<StaffRoleAssignment> Assignments { get; set; } = [];
}

/// <summary>
/// One role held over one scope: an academy (academy roles), a region (RegionalDirector) or the trust (both ids
/// null; TrustAdmin, CommunicationsDirector). A user may hold several.
/// </summary>
public sealed class StaffRoleAssignment
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public required string Role { get; set; }
    public Guid? AcademyId { get; set; }
    public Guid? RegionId { get; set; }

    public ScopeLevel Level => AcademyId is not null ? ScopeLevel.Academy : RegionId is not null ? ScopeLevel.Region : ScopeLevel.Trust;

    public static StaffRoleAssignment ForTrust(string role) => Checked(new StaffRoleAssignment { Role = role });
    public static StaffRoleAssignment ForRegion(string role, Guid regionId) => Checked(new StaffRoleAssignment { Role = role, RegionId = regionId });
    public static StaffRoleAssignment ForAcademy(string role, Guid academyId) => Checked(new StaffRoleAssignment { Role = role, AcademyId = academyId });

    private static StaffRoleAssignment Checked(StaffRoleAssignment a)
    {
        if (StaffRoles.LevelOf(a.Role) != a.Level)
            throw new ArgumentException($"{a.Role} is held over a {StaffRoles.LevelOf(a.Role).ToString().ToLowerInvariant()}, not a {a.Level.ToString().ToLowerInvariant()}.");
        a.Id = Guid.NewGuid();
        return a;
    }
}
