using System.Globalization;
using System.Security.Claims;

namespace ConsentHub.Access;

/// <summary>
/// The scope claims a signed-in member of staff carries, one per role assignment: "Role:academy:{id}",
/// "Role:region:{id}" or "Role:trust". Written by the claims factory at sign-in, read here to build the
/// <see cref="AccessScope"/> each query filters by.
/// </summary>
public static class StaffClaims
{
    public const string Scope = "consenthub:scope";
    public const string DisplayName = "consenthub:display_name";

    /// <summary>Present when the account has an authenticator app enrolled.</summary>
    public const string TwoFactorEnrolled = "consenthub:two_factor";

    /// <summary>Trust- and region-wide roles must use two-factor sign-in; academy roles are offered it.</summary>
    public static bool MustUseTwoFactor(IEnumerable<Assignment> assignments) => assignments.Any(a => a.Level != ScopeLevel.Academy);

    public static bool MustEnrolTwoFactor(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && !user.HasClaim(c => c.Type == TwoFactorEnrolled) && MustUseTwoFactor(AssignmentsOf(user));

    public static string Format(string role, ScopeLevel level, Guid? id) => level switch
    {
        ScopeLevel.Trust => $"{role}:trust",
        ScopeLevel.Region => $"{role}:region:{id:D}",
        _ => $"{role}:academy:{id:D}",
    };

    public sealed record Assignment(string Role, ScopeLevel Level, Guid? Id);

    public static IReadOnlyList<Assignment> AssignmentsOf(ClaimsPrincipal user)
    {
        var result = new List<Assignment>();
        foreach (var claim in user.FindAll(Scope))
        {
            var parts = claim.Value.Split(':');
            if (parts.Length == 2 && parts[1] == "trust") result.Add(new Assignment(parts[0], ScopeLevel.Trust, null));
            else if (parts.Length == 3 && Guid.TryParse(parts[2], CultureInfo.InvariantCulture, out var id))
            {
                if (parts[1] == "region") result.Add(new Assignment(parts[0], ScopeLevel.Region, id));
                else if (parts[1] == "academy") result.Add(new Assignment(parts[0], ScopeLevel.Academy, id));
            }
        }
        return result;
    }

    /// <summary>The audit actor for a member of staff: their user id, never their name or email.</summary>
    public static string ActorOf(ClaimsPrincipal user) =>
        user.FindFirst(ClaimTypes.NameIdentifier)?.Value is { } id ? $"staff:{id}" : "anonymous";

    /// <summary>
    /// Every scope in which the user holds <paramref name="capability"/>, broadest first. Empty when they do not
    /// hold it at all. A trust-wide grant makes the narrower ones redundant, so it is returned alone.
    /// </summary>
    public static IReadOnlyList<AccessScope> ScopesFor(ClaimsPrincipal user, string capability)
    {
        var actor = ActorOf(user);
        var granted = AssignmentsOf(user).Where(a => StaffCapabilities.IsGranted(a.Role, capability)).ToList();
        if (granted.Any(a => a.Level == ScopeLevel.Trust)) return [AccessScope.Trust(actor)];
        return [.. granted
            .OrderByDescending(a => a.Level)
            .Select(a => new AccessScope(a.Level, a.Id, actor))
            .Distinct()];
    }
}
