using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ConsentHub.Checks;

public static class ChecksServiceCollectionExtensions
{
    /// <summary>
    /// The teacher's checks: the status reader and its reference cache, search, card, session, counts, the office's
    /// follow-up list, and live updates (one listener per app instance on its own connection to
    /// <paramref name="connectionString"/>).
    /// </summary>
    public static IServiceCollection AddConsentHubChecks(this IServiceCollection services, string connectionString)
    {
        services.TryAddSingleton<ConsentReferenceCache>();
        services.TryAddSingleton<ConsentStatusReader>();
        services.AddSingleton<CountConsentByAcademy>();
        services.AddSingleton<ListPupilsNeedingFollowUp>();
        services.AddSingleton<SearchCheckablePupils>();
        services.AddSingleton<CheckPupil>();
        services.AddSingleton<CheckSession>();
        services.AddSingleton<GetPupilRecord>();
        services.AddSingleton<PreviewEveryParentSetting>();
        services.AddSingleton<SaveEveryParentSetting>();
        services.AddSingleton<ConsentChangeNotifications>();
        services.AddSingleton(new ConsentChangeListenerOptions(connectionString));
        services.AddSingleton<ConsentChangeListener>();
        services.AddHostedService(sp => sp.GetRequiredService<ConsentChangeListener>());
        return services;
    }
}
