using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Monitoring;

public static class MonitoringServiceCollectionExtensions
{
    /// <summary>Dashboards' figures and lists, the nightly coverage snapshot, the board report job and its schedule.</summary>
    public static IServiceCollection AddConsentHubMonitoring(this IServiceCollection services)
    {
        services.AddSingleton<TakeCoverageSnapshot>();
        services.AddSingleton<LoadMonitoringFigures>();
        return services;
    }
}
