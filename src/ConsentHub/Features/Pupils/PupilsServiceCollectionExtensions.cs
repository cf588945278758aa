using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Pupils;

public static class PupilsServiceCollectionExtensions
{
    /// <summary>
    /// The MIS import and its academy list, search, the pupil page, contact details, the sixth-form and safeguarding
    /// flags. Expects the data and audit services.
    /// </summary>
    public static IServiceCollection AddConsentHubPupils(this IServiceCollection services)
    {
        services.AddSingleton<ImportPupils>();
        services.AddSingleton<ListImportAcademies>();
        services.AddSingleton<SearchPupils>();
        services.AddSingleton<SetAlsoAskParent>();
        services.AddSingleton<UpdatePupilContact>();
        return services;
    }
}
