using System.Security.Claims;
using ConsentHub.Staff;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ConsentHub.Web.Security;

/// <summary>
/// An open circuit re-checks its user every <see cref="StaffSignInOptions.RevalidationInterval"/>: a session that
/// was signed out (<see cref="StaffSessions"/>), a disabled
/// account, or one whose security stamp changed (password reset, roles changed, signed out everywhere), loses
/// access without a reload.
/// </summary>
public sealed partial class StaffRevalidatingAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopeFactory,
    IOptions<StaffSignInOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<StaffRevalidatingAuthenticationStateProvider>();

    protected override TimeSpan RevalidationInterval => options.Value.RevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var valid = await IsCircuitUserValidAsync(scope.ServiceProvider, authenticationState.User, cancellationToken);
        LogRechecked(_logger, valid);
        return valid;
    }

    /// <summary>
    /// The revalidation: the session still exists (not signed out, nor ended by sign out everywhere, disabling or a
    /// role change) and the account is still enabled, not locked out, with the same security stamp.
    /// </summary>
    internal static async Task<bool> IsCircuitUserValidAsync(IServiceProvider services, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (user.Identity?.IsAuthenticated != true) return true;
        if (!await services.GetRequiredService<StaffSessions>().IsActiveAsync(user, cancellationToken)) return false;
        return await IsStillValidAsync(services.GetRequiredService<UserManager<StaffUser>>(), user,
            services.GetRequiredService<IOptions<IdentityOptions>>().Value);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Re-checked an open page's user; still valid: {StillValid}.")]
    private static partial void LogRechecked(ILogger logger, bool stillValid);

    internal static async Task<bool> IsStillValidAsync(UserManager<StaffUser> users, ClaimsPrincipal principal, IdentityOptions identityOptions)
    {
        if (principal.Identity?.IsAuthenticated != true) return true;
        var user = await users.GetUserAsync(principal);
        if (user is null || user.Disabled || await users.IsLockedOutAsync(user)) return false;
        if (!users.SupportsUserSecurityStamp) return true;
        var stamp = principal.FindFirstValue(identityOptions.ClaimsIdentity.SecurityStampClaimType);
        return stamp == await users.GetSecurityStampAsync(user);
    }
}
