using System.Security.Claims;
using ConsentHub.Staff;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ConsentHub.Web.Security;

/// <summary>
/// An open circuit re-checks its user every <see cref="StaffSignInOptions.RevalidationInterval"/>: a disabled
/// account, or one whose security stamp changed (password reset, roles changed, signed out everywhere), loses
/// access without a reload.
/// </summary>
public sealed partial class StaffRevalidatingAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopeFactory,
    IOptions<IdentityOptions> identityOptions,
    IOptions<StaffSignInOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<StaffRevalidatingAuthenticationStateProvider>();

    protected override TimeSpan RevalidationInterval => options.Value.RevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var valid = await IsStillValidAsync(users, authenticationState.User, identityOptions.Value);
        LogRechecked(_logger, valid);
        return valid;
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
