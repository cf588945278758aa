using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ConsentHub.Email;

public static class EmailServiceCollectionExtensions
{
    /// <summary>
    /// Options from "Email" (checked on start), the sender chosen by them (SMTP when Email:Smtp:Host is set, the
    /// mail drop otherwise), the outbox writer, the drain job and the mail drop reader. Expects an
    /// <see cref="Npgsql.NpgsqlDataSource"/> (AddConsentHubData) and, for <see cref="RequestOutboxDrain"/>, Hangfire. A host that runs jobs adds
    /// <see cref="OutboxDrainWorker"/> so that a requested drain runs in process (see there).
    /// </summary>
    public static IServiceCollection AddConsentHubEmail(this IServiceCollection services)
    {
        services.AddOptions<EmailOptions>()
            .BindConfiguration(EmailOptions.Section)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton<MailKitEmailSender>();
        services.AddSingleton<MailDropEmailSender>();
        services.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<IOptions<EmailOptions>>().Value.UsesMailDrop
            ? sp.GetRequiredService<MailDropEmailSender>()
            : sp.GetRequiredService<MailKitEmailSender>());

        services.AddOptions<TemplateOptions>()
            .BindConfiguration(TemplateOptions.Section)
            .Validate(o => Directory.Exists(Path.Combine(o.ResolvePath(), "email")),
                "Templates:Path must name a folder that holds the email/ templates (empty: the templates folder beside the app).")
            .ValidateOnStart();
        services.TryAddSingleton<EmailTemplates>();

        // The host decides where the key ring lives (the database, so every instance can unseal what another sealed).
        services.AddDataProtection();
        services.TryAddSingleton<OutboxSecrets>();
        services.AddSingleton<OutboxWriter>();
        services.AddTransient<DrainOutbox>();
        services.AddSingleton<OutboxDrainSignal>();
        services.AddTransient<RequestOutboxDrain>();
        services.AddSingleton<ReadMailDrop>();
        return services;
    }
}
