using ConsentHub.Api;
using ConsentHub.Audit;
using ConsentHub.Chasing;
using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Dashboards;
using ConsentHub.Data;
using ConsentHub.Email;
using ConsentHub.Forms;
using ConsentHub.Monitoring;
using ConsentHub.PaperReturns;
using ConsentHub.Pauses;
using ConsentHub.Photos;
using ConsentHub.Pupils;
using ConsentHub.Renewals;
using ConsentHub.Requests;
using ConsentHub.Retention;
using ConsentHub.Rollover;
using ConsentHub.Signing;
using ConsentHub.Staff;
using ConsentHub.Takedowns;
using ConsentHub.Trust;
using ConsentHub.Trust.Demo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ConsentHub.Hosting;

public static class CoreServiceCollectionExtensions
{
    /// <summary>
    /// Everything the core offers a host: the platform (data, email), the cross-cutting pieces (audit) and every
    /// feature, each through its own <c>AddConsentHub&lt;Feature&gt;</c>. A new use case is registered in its feature's
    /// extension, never in a host.
    /// </summary>
    /// <remarks>
    /// The host supplies what depends on how it runs: configuration, logging and the host environment; Hangfire's
    /// storage and job client; Identity's stores and user manager (staff invitations and the demo staff).
    /// </remarks>
    public static IServiceCollection AddConsentHubCore(this IServiceCollection services, string connectionString)
    {
        // Platform and cross-cutting.
        services.AddConsentHubData(connectionString);
        services.TryAddSingleton(TimeProvider.System);
        services.AddMemoryCache();
        services.AddConsentHubEmail();
        services.AddConsentHubAudit();
        services.AddConsentHubSeeding();

        // Features.
        services.AddConsentHubConsent();
        services.AddConsentHubPupils();
        services.AddConsentHubChecks(connectionString);
        services.AddConsentHubApiKeys();
        services.AddConsentHubSigning();
        services.AddConsentHubRequests();
        services.AddConsentHubChasing();
        services.AddConsentHubForms();
        services.AddConsentHubPaperReturns();
        services.AddConsentHubRollover();
        services.AddConsentHubRenewals();
        services.AddConsentHubTakedowns();
        services.AddConsentHubRetention();
        services.AddConsentHubPauses();
        services.AddConsentHubPhotos();
        services.AddConsentHubMonitoring();
        services.AddConsentHubDashboards();
        services.AddConsentHubStaff();
        services.AddConsentHubTrust();
        services.AddConsentHubDemo();
        return services;
    }
}
