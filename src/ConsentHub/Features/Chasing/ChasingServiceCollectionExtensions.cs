using ConsentHub.Email;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ConsentHub.Chasing;

public static class ChasingServiceCollectionExtensions
{
    /// <summary>
    /// The chase (daily run, batch job, the office's "send reminders now"), reminder emails, failing addresses and
    /// the office follow-up list. Expects the data, audit, email and signing services, and Hangfire's job client.
    /// </summary>
    public static IServiceCollection AddConsentHubChasing(this IServiceCollection services)
    {
        services.AddSingleton<ReadChaseSettings>();
        services.AddSingleton<ReminderEmails>();
        services.AddTransient<RunChase>();
        services.AddTransient<ChaseAcademies>();
        services.AddSingleton<ChaseAcademyNow>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeliveryFailureObserver, MarkFailingAddresses>());
        services.AddSingleton<ListFollowUps>();
        services.AddSingleton<RecordFollowUpAction>();
        services.AddSingleton<SaveChaseSettings>();
        return services;
    }
}
