using ConsentHub.Consent.FormVersions;
using ConsentHub.Consent.Purposes;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Consent;

public static class ConsentServiceCollectionExtensions
{
    /// <summary>Recording an answer, the purposes and the form versions. Expects the data and audit services.</summary>
    public static IServiceCollection AddConsentHubConsent(this IServiceCollection services)
    {
        services.AddSingleton<SavePurpose>();
        services.AddSingleton<ListPurposes>();
        services.AddSingleton<ListFormVersions>();
        services.AddSingleton<StartFormVersion>();
        services.AddSingleton<SaveFormWording>();
        services.AddSingleton<PublishFormVersion>();
        services.AddSingleton<SignOffTranslation>();
        services.AddSingleton<ReadTranslationReviews>();
        return services;
    }
}
