using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Dashboards;

public static class DashboardsServiceCollectionExtensions
{
    /// <summary>The figures on each role's home page.</summary>
    public static IServiceCollection AddConsentHubDashboards(this IServiceCollection services)
    {
        services.AddSingleton<ReadOfficeHome>();
        services.AddSingleton<ReadSafeguardingHome>();
        services.AddSingleton<ReadAdminHome>();
        return services;
    }
}
