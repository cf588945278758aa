using System.Security.Claims;
using ConsentHub.Access;
using Microsoft.AspNetCore.Components.Authorization;

namespace ConsentHub.Web.Security;

/// <summary>The signed-in member of staff as pages need them: name for the audit, roles, and the scope of their data.</summary>
public sealed record StaffContext(string Actor, IReadOnlyCollection<string> Roles, AccessScope Scope)
{
    public bool IsIn(params string[] roles) => roles.Any(Roles.Contains);
}

/// <summary>
/// Reads the staff context from the signed-in user's claims. The widest scope among the user's roles wins
/// (a trust role over a region role over an academy role); a user with no staff role has no scope at all.
/// </summary>
public sealed class CurrentStaff(AuthenticationStateProvider authentication)
{
    public async Task<StaffContext?> GetAsync()
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        return From(user);
    }

    public static StaffContext? From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true) return null;
        var actor = user.Identity.Name ?? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown";
        var roles = StaffRoles.All.Where(user.IsInRole).ToList();
        if (roles.Count == 0) return null;
        var level = roles.Select(StaffRoles.LevelOf).Max();
        var scope = level switch
        {
            ScopeLevel.Trust => AccessScope.Trust(actor),
            ScopeLevel.Region when ScopeId(user, StaffClaims.Region) is { } region => AccessScope.Region(region, actor),
            ScopeLevel.Academy when ScopeId(user, StaffClaims.Academy) is { } academy => AccessScope.Academy(academy, actor),
            _ => null,
        };
        return scope is null ? null : new StaffContext(actor, roles, scope);
    }

    private static Guid? ScopeId(ClaimsPrincipal user, string type) =>
        Guid.TryParse(user.FindFirstValue(type), out var id) ? id : null;
}

/// <summary>Claim types carrying the academy or region a member of staff works in.</summary>
public static class StaffClaims
{
    public const string Academy = "consenthub:staff_academy";
    public const string Region = "consenthub:staff_region";
}
