using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Takedowns;

public static class TakedownsServiceCollectionExtensions
{
    /// <summary>Options from "Takedowns" (checked on start), the notice and escalation jobs, the page's list and "done".</summary>
    public static IServiceCollection AddConsentHubTakedowns(this IServiceCollection services)
    {
        services.AddOptions<TakedownOptions>()
            .BindConfiguration(TakedownOptions.Section)
            .Validate(o => o.OverdueAfter >= TimeSpan.FromHours(1) && o.OverdueAfter <= TimeSpan.FromDays(60), "Takedowns:OverdueAfter is between 1 hour and 60 days.")
            .Validate(o => string.IsNullOrWhiteSpace(o.EscalationAddress) || Requests.RequestEmails.IsUsable(o.EscalationAddress),
                "Takedowns:EscalationAddress must be an email address (or empty).")
            .ValidateOnStart();
        services.AddSingleton<SendTakedownNotices>();
        services.AddSingleton<EscalateOverdueTakedowns>();
        services.AddSingleton<ListTakedownTasks>();
        services.AddSingleton<MarkTakedownDone>();
        services.AddSingleton<CountTakedownAccounts>();
        services.AddSingleton<SetSafeguardingFlag>();
        return services;
    }
}
