using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Retention;

public static class RetentionServiceCollectionExtensions
{
    /// <summary>Options from "Retention" (checked on start), the purge and its reports.</summary>
    public static IServiceCollection AddConsentHubRetention(this IServiceCollection services)
    {
        services.AddOptions<RetentionOptions>()
            .BindConfiguration(RetentionOptions.Section)
            .Validate(o => o.YearsAfterLeaving is >= 1 and <= 50, "Retention:YearsAfterLeaving is between 1 and 50 (see docs/RETENTION.md).")
            .Validate(o => o.BatchSize is >= 1 and <= 5_000, "Retention:BatchSize is between 1 and 5,000.")
            .ValidateOnStart();
        services.AddSingleton<PurgeLeavers>();
        services.AddSingleton<ListRetentionRuns>();
        services.AddSingleton<DeleteExpiredIdempotencyKeys>();
        return services;
    }
}
