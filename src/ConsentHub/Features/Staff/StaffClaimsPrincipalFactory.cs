using System.Security.Claims;
using ConsentHub.Access;
using ConsentHub.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ConsentHub.Staff;

/// <summary>Adds the user's roles and scopes (one claim per assignment) and display name to the sign-in cookie.</summary>
public sealed class StaffClaimsPrincipalFactory(UserManager<StaffUser> users, IOptions<IdentityOptions> options, IDbContextFactory<ConsentHubDbContext> factory)
    : UserClaimsPrincipalFactory<StaffUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(StaffUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        await using var db = await factory.CreateDbContextAsync();
        var assignments = await db.StaffRoleAssignments.AsNoTracking().Where(a => a.UserId == user.Id).ToListAsync();
        foreach (var role in assignments.Select(a => a.Role).Distinct(StringComparer.Ordinal))
            identity.AddClaim(new Claim(ClaimTypes.Role, role));
        foreach (var a in assignments)
            identity.AddClaim(new Claim(StaffClaims.Scope, StaffClaims.Format(a.Role, a.Level, a.AcademyId ?? a.RegionId)));
        if (user.TwoFactorEnabled) identity.AddClaim(new Claim(StaffClaims.TwoFactorEnrolled, "true"));
        if (user.DisplayName.Length > 0) identity.AddClaim(new Claim(StaffClaims.DisplayName, user.DisplayName));
        return identity;
    }
}
