using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Monitoring;

public static class MonitoringServiceCollectionExtensions
{
    /// <summary>Dashboards' figures and lists, the nightly coverage snapshot, the board report job and its schedule.</summary>
    public static IServiceCollection AddConsentHubMonitoring(this IServiceCollection services)
    {
        services.AddOptions<MonitoringOptions>()
            .BindConfiguration(MonitoringOptions.Section)
            .Validate(o => o.CoverageThreshold is > 0 and <= 1, "Monitoring:CoverageThreshold is a share between 0 and 1, e.g. 0.8.")
            .Validate(o => o.SendDaysBeforeBoard is >= 1 and <= 60, "Monitoring:SendDaysBeforeBoard is between 1 and 60 days.")
            .ValidateOnStart();
        services.AddSingleton<TakeCoverageSnapshot>();
        services.AddSingleton<LoadMonitoringFigures>();
        services.AddSingleton<ListMonitoringDetail>();
        services.AddSingleton<RequestBoardReport>();
        services.AddSingleton<ListBoardReports>();
        services.AddSingleton<BuildBoardReport>();
        services.AddSingleton<SendBoardReports>();
        services.AddSingleton<SaveBoardMeetings>();
        return services;
    }
}
