using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Checks;

public static class ChecksServiceCollectionExtensions
{
    /// <summary>
    /// The teacher's checks: search, card, session, and live updates (one listener per app instance on its own
    /// connection to <paramref name="connectionString"/>).
    /// </summary>
    public static IServiceCollection AddConsentHubChecks(this IServiceCollection services, string connectionString)
    {
        services.AddSingleton<SearchCheckablePupils>();
        services.AddSingleton<CheckPupil>();
        services.AddSingleton<CheckSession>();
        services.AddSingleton<ConsentChangeNotifications>();
        services.AddSingleton(new ConsentChangeListenerOptions(connectionString));
        services.AddSingleton<ConsentChangeListener>();
        services.AddHostedService(sp => sp.GetRequiredService<ConsentChangeListener>());
        return services;
    }
}
