using ConsentHub.Api;
using ConsentHub.Consent;
using ConsentHub.Trust;
using ConsentHub.Trust.Demo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ConsentHub.Data;

public static class SeedingServiceCollectionExtensions
{
    /// <summary>
    /// Options from "Trust" (checked on start), <see cref="SeedReferenceData"/> for every start, and
    /// <see cref="SeedDemoTrust"/> for the first Development run. Expects AddConsentHubData and, for the demo's
    /// API key, an <see cref="Audit.IAuditLog"/>.
    /// </summary>
    public static IServiceCollection AddConsentHubSeeding(this IServiceCollection services)
    {
        services.AddOptions<TrustOptions>()
            .BindConfiguration(TrustOptions.Section)
            .Validate(o => (o.Name?.Trim().Length ?? 0) <= 200, "Trust:Name is at most 200 characters.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddTransient<CreateApiKey>();
        services.AddTransient<SeedReferenceData>();
        services.AddTransient<DemoTrustLoader>();
        services.AddTransient<SeedDemoTrust>();
        return services;
    }
}
