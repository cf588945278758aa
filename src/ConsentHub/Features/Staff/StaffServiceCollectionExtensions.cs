using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Staff;

public static class StaffServiceCollectionExtensions
{
    /// <summary>
    /// Staff accounts: list, open, disable, roles, "sign out everywhere" and invitations. Expects the data, audit and
    /// email services, and Identity's <c>UserManager&lt;StaffUser&gt;</c> (the host's sign-in set-up) for invitations.
    /// </summary>
    public static IServiceCollection AddConsentHubStaff(this IServiceCollection services)
    {
        services.AddSingleton<ListStaffAccounts>();
        services.AddSingleton<GetStaffAccount>();
        services.AddSingleton<SetStaffAccountDisabled>();
        services.AddSingleton<GrantStaffRole>();
        services.AddSingleton<RevokeStaffRole>();
        services.AddSingleton<SignOutStaffEverywhere>();
        // Scoped: Identity's user manager is.
        services.AddScoped<InviteStaff>();
        services.AddScoped<RequestPasswordReset>();
        return services;
    }
}
