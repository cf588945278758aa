using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Renewals;

public static class RenewalsServiceCollectionExtensions
{
    /// <summary>Options from "Renewals" (checked on start) and the renewal job.</summary>
    public static IServiceCollection AddConsentHubRenewals(this IServiceCollection services)
    {
        services.AddOptions<RenewalOptions>()
            .BindConfiguration(RenewalOptions.Section)
            .Validate(o => o.NoticeDays is >= 1 and <= 180, "Renewals:NoticeDays is between 1 and 180.")
            .Validate(o => o.DeadlineDays is >= 1 and <= 180, "Renewals:DeadlineDays is between 1 and 180.")
            .ValidateOnStart();
        services.AddSingleton<AskForRenewals>();
        return services;
    }
}
