using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Forms;

public static class FormsServiceCollectionExtensions
{
    /// <summary>Printed forms and packs. Expects the data, audit, email (templates), signing and Hangfire client services.</summary>
    public static IServiceCollection AddConsentHubForms(this IServiceCollection services)
    {
        services.AddSingleton<FormTemplates>();
        services.AddSingleton<LoadConsentForms>();
        services.AddSingleton<RenderConsentForms>();
        services.AddSingleton<LoadDoNotFeatureList>();
        services.AddSingleton<LoadAcademySummary>();
        services.AddSingleton<RequestFormPack>();
        services.AddSingleton<GetFormPack>();
        services.AddTransient<BuildFormPack>();
        return services;
    }
}
