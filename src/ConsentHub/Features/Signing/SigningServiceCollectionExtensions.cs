using ConsentHub.Hosting;
using ConsentHub.Requests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ConsentHub.Signing;

public static class SigningServiceCollectionExtensions
{
    /// <summary>Options from "Signing" (checked on start) and the signing use cases.</summary>
    public static IServiceCollection AddConsentHubSigning(this IServiceCollection services)
    {
        services.AddOptions<SigningOptions>()
            .BindConfiguration(SigningOptions.Section)
            .Validate(o => o.PublicBaseUrl is { IsAbsoluteUri: true } u && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp),
                "Signing:PublicBaseUrl must be an absolute http(s) address, e.g. https://consent.example.org.uk.")
            .Validate(o => o.GracePeriod >= TimeSpan.Zero && o.GracePeriod <= TimeSpan.FromDays(90), "Signing:GracePeriod is between 0 and 90 days.")
            .Validate(o => o.ReissueDeadlineDays is >= 1 and <= 90, "Signing:ReissueDeadlineDays is between 1 and 90 days.")
            .Validate(o => o.DefaultLifetime > TimeSpan.Zero && o.DefaultLifetime <= TimeSpan.FromDays(400), "Signing:DefaultLifetime is between 1 second and 400 days.")
            .Validate(o => o.ChangeLinkLifetime >= TimeSpan.FromDays(1) && o.ChangeLinkLifetime <= TimeSpan.FromDays(800), "Signing:ChangeLinkLifetime is between 1 and 800 days.")
            .Validate(o => o.RequestsPerIpPerMinute is >= 1 and <= 100_000 && o.RequestsPerTokenPerMinute is >= 1 and <= 10_000,
                "Signing:RequestsPerIpPerMinute (1–100,000) and Signing:RequestsPerTokenPerMinute (1–10,000) must be positive.")
            .ValidateOnStart();
        services.AddSingleton(sp => new PublicAddress(sp.GetRequiredService<IOptions<SigningOptions>>().Value.PublicBaseUrl));
        services.AddSingleton<SigningTargets>();
        services.AddSingleton<ConfirmDateOfBirth>();
        services.AddSingleton<LoadSigningForm>();
        services.AddSingleton<OnlineAnswerWriter>();
        services.AddSingleton<SubmitConsentForm>();
        services.AddSingleton<ChangeOrWithdraw>();
        services.AddSingleton<RequestChangeLinks>();
        services.AddSingleton<RevokeChangeLinks>();
        services.AddSingleton<GetSigningReceipt>();
        // The receipt PDF is made when its email is sent, by the outbox drain.
        services.AddSingleton<ConsentHub.Email.IOutboxAttachmentMaker, ReceiptAttachment>();
        return services;
    }
}
