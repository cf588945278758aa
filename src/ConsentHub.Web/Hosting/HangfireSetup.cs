using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Hosting;

public static class HangfireSetup
{
    public const string Schema = "hangfire";

    /// <summary>Hangfire storage in the app's own database, in its own schema, with jobs picked up within about a second.</summary>
    /// <remarks>
    /// The storage and the job activator are this host's own DI singletons, registered before AddHangfire (which
    /// only adds them if missing). Left to Hangfire they would be the process-wide JobStorage.Current and
    /// JobActivator.Current, so two hosts in one process (test hosts, side by side) would enqueue into, poll and
    /// resolve jobs from each other's database and services.
    /// </remarks>
    public static IServiceCollection AddConsentHubHangfire(this IServiceCollection services, string connectionString)
    {
        services.AddSingleton<JobStorage>(_ =>
            new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(connectionString, StorageOptions()), StorageOptions()));
        services.AddSingleton<JobActivator>(sp => new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, config) => config
            .UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        return services;
    }

    public static PostgreSqlStorageOptions StorageOptions() => new()
    {
        SchemaName = Schema,
        PrepareSchemaIfNecessary = true,
        // LISTEN/NOTIFY wakes a worker as soon as a job is enqueued; the poll is the fallback.
        EnableLongPolling = true,
        QueuePollInterval = TimeSpan.FromMilliseconds(500),
        InvisibilityTimeout = TimeSpan.FromMinutes(30),
        DistributedLockTimeout = TimeSpan.FromMinutes(1),
    };
}
