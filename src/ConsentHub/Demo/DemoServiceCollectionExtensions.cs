using ConsentHub.Staff;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ConsentHub.Trust.Demo;

public static class DemoServiceCollectionExtensions
{
    /// <summary>
    /// The demo trust (also registered by AddConsentHubSeeding) and the demo staff sign-ins, for a Development host's
    /// first run. Expects the data services and Identity's <c>UserManager&lt;StaffUser&gt;</c> for the staff.
    /// </summary>
    public static IServiceCollection AddConsentHubDemo(this IServiceCollection services)
    {
        services.TryAddTransient<DemoTrustLoader>();
        services.TryAddTransient<SeedDemoTrust>();
        services.TryAddTransient<SeedDemoPhotos>();
        // Scoped: Identity's user manager is.
        services.AddScoped<SeedDemoStaff>();
        return services;
    }
}
