using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Hosting;

public static class HangfireSetup
{
    public const string Schema = "hangfire";

    /// <summary>Hangfire storage in the app's own database, in its own schema, with jobs picked up within about a second.</summary>
    public static IServiceCollection AddConsentHubHangfire(this IServiceCollection services, string connectionString)
    {
        services.AddHangfire(config => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connectionString), StorageOptions()));
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
