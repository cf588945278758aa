using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Pauses;

public static class PausesServiceCollectionExtensions
{
    /// <summary>Posting pauses (policy §4.7): start, lift, list, their emails and the notice job.</summary>
    public static IServiceCollection AddConsentHubPauses(this IServiceCollection services)
    {
        services.AddSingleton<PauseNotices>();
        services.AddSingleton<StartPostingPause>();
        services.AddSingleton<LiftPostingPause>();
        services.AddSingleton<ListPostingPauses>();
        services.AddSingleton<SendPostingPauseNotices>();
        return services;
    }
}
