using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ConsentHub.Audit;

public static class AuditServiceCollectionExtensions
{
    /// <summary>
    /// Options from "Audit" (checked on start), <see cref="IAuditLog"/> (one <see cref="AuditLog"/> for the
    /// process: it owns the read queue), the hosted <see cref="AuditReadWriter"/>, <see cref="VerifyAuditChain"/>, and the access denials with their sweep.
    /// Expects an <see cref="Npgsql.NpgsqlDataSource"/> (AddConsentHubData) and logging.
    /// </summary>
    public static IServiceCollection AddConsentHubAudit(this IServiceCollection services)
    {
        services.AddOptions<AuditOptions>()
            .BindConfiguration(AuditOptions.Section)
            .Validate(AuditOptions.IsValid,
                "Audit: QueueCapacity 1–1,000,000, MaxBatchSize 1–10,000, FlushInterval above zero and at most 10 s, FullQueueWait 0–10 s.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton<AuditLog>();
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<AuditLog>());
        // Registered as itself too, so FlushAsync can be reached (tests, an admin "write pending reads now").
        services.AddSingleton<AuditReadWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditReadWriter>());
        services.AddTransient<VerifyAuditChain>();

        services.AddOptions<AccessDenialOptions>()
            .BindConfiguration(AccessDenialOptions.Section)
            .Validate(AccessDenialOptions.IsValid, "Audit:Denials: PerCallerPerMinute 1–10,000 and PerMinute at least that, at most 100,000.")
            .ValidateOnStart();
        services.AddSingleton<AccessDenials>();
        services.AddHostedService<AccessDenialSweep>();
        return services;
    }
}
