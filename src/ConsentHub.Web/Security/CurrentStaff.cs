using System.Security.Claims;
using ConsentHub.Access;
using Microsoft.AspNetCore.Components.Authorization;

namespace ConsentHub.Web.Security;

/// <summary>
/// The signed-in member of staff as pages need them: the audit actor (their id, never their name), their roles,
/// and the scope each capability gives them (from the scope claims, one per role assignment).
/// </summary>
public sealed record StaffContext(string Actor, IReadOnlyCollection<string> Roles, ClaimsPrincipal User)
{
    /// <summary>The broadest scope in which the user holds <paramref name="capability"/>; null when they do not hold it.</summary>
    public AccessScope? ScopeFor(string capability) => StaffClaims.ScopesFor(User, capability) is { Count: > 0 } scopes ? scopes[0] : null;

    /// <summary>Every scope in which the user holds <paramref name="capability"/>.</summary>
    public IReadOnlyList<AccessScope> ScopesFor(string capability) => StaffClaims.ScopesFor(User, capability);

    /// <summary>Where the user may look pupils up: every role may check consent.</summary>
    public AccessScope Scope => ScopeFor(StaffCapabilities.CheckConsent)!;
}

/// <summary>Reads the staff context from the signed-in user's claims; null for anyone without a staff role.</summary>
public sealed class CurrentStaff(AuthenticationStateProvider authentication)
{
    public async Task<StaffContext?> GetAsync() => From((await authentication.GetAuthenticationStateAsync()).User);

    public static StaffContext? From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true) return null;
        var roles = StaffClaims.AssignmentsOf(user).Select(a => a.Role).Distinct(StringComparer.Ordinal).ToList();
        if (roles.Count == 0 || StaffClaims.ScopesFor(user, StaffCapabilities.CheckConsent).Count == 0) return null;
        return new StaffContext(StaffClaims.ActorOf(user), roles, user);
    }
}
