using ConsentHub.Access;
using ConsentHub.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace ConsentHub.Staff;

/// <summary>
/// Development only: one account per role on the demo trust (the first region and academy), all with
/// <see cref="DevelopmentPassword"/>, so people and browser journeys can sign in. Does nothing outside
/// Development, without academies, or once any staff account exists.
/// </summary>
public sealed class SeedDemoStaff(UserManager<StaffUser> users, IDbContextFactory<ConsentHubDbContext> factory, IHostEnvironment environment, TimeProvider clock)
{
    /// <summary>Development only; never valid anywhere else because these accounts are never created anywhere else.</summary>
    public const string DevelopmentPassword = "demo-only-Consent-2026";

    public const string EmailDomain = "demo.consenthub.test";

    public static string EmailFor(string role) => $"{role.ToLowerInvariant()}@{EmailDomain}";

    public async Task<IReadOnlyList<string>> HandleAsync(CancellationToken ct = default)
    {
        if (!environment.IsDevelopment()) return [];
        Guid academyId, regionId;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            if (await db.Users.AnyAsync(ct)) return [];
            var academy = await db.Academies.AsNoTracking().OrderBy(a => a.Code).FirstOrDefaultAsync(ct);
            if (academy is null) return [];
            (academyId, regionId) = (academy.Id, academy.RegionId);
        }

        var created = new List<string>();
        foreach (var role in StaffRoles.All)
        {
            var assignment = StaffRoles.LevelOf(role) switch
            {
                ScopeLevel.Trust => StaffRoleAssignment.ForTrust(role),
                ScopeLevel.Region => StaffRoleAssignment.ForRegion(role, regionId),
                _ => StaffRoleAssignment.ForAcademy(role, academyId),
            };
            var email = EmailFor(role);
            var user = new StaffUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = $"Demo {role}", CreatedAt = clock.GetUtcNow(), Assignments = [assignment] };
            var result = await users.CreateAsync(user, DevelopmentPassword);
            if (!result.Succeeded)
                throw new InvalidOperationException($"Could not create the demo {role}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
            created.Add(email);
        }
        return created;
    }
}
