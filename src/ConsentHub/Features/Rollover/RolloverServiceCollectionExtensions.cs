using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Rollover;

public static class RolloverServiceCollectionExtensions
{
    /// <summary>Options from "Rollover" (checked on start), the rollover job, its daily trigger and its reports.</summary>
    public static IServiceCollection AddConsentHubRollover(this IServiceCollection services)
    {
        services.AddOptions<RolloverOptions>()
            .BindConfiguration(RolloverOptions.Section)
            .Validate(o => o.DeadlineDays is >= 1 and <= 366, "Rollover:DeadlineDays is between 1 and 366.")
            .ValidateOnStart();
        services.AddSingleton<RunRollover>();
        services.AddSingleton<StartYearRollover>();
        services.AddSingleton<RequestRollover>();
        services.AddSingleton<ListRolloverReports>();
        return services;
    }
}
