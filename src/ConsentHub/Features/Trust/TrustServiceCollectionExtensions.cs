using ConsentHub.Trust.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Trust;

public static class TrustServiceCollectionExtensions
{
    /// <summary>
    /// The trust's structure, academies and logos, the "every parent" setting and the register of trust-affiliated
    /// accounts. Expects the data and audit services.
    /// </summary>
    public static IServiceCollection AddConsentHubTrust(this IServiceCollection services)
    {
        services.AddSingleton<ListAcademies>();
        services.AddSingleton<ReadSchoolName>();
        services.AddSingleton<ReadSchoolIdentity>();
        services.AddSingleton<ReadSchoolCrest>();
        services.AddSingleton<SaveAcademy>();
        services.AddSingleton<SaveAcademyLogo>();
        services.AddSingleton<ListTrustStructure>();
        services.AddSingleton<ListAffiliatedAccounts>();
        services.AddSingleton<RegisterAffiliatedAccount>();
        services.AddSingleton<CloseAffiliatedAccount>();
        return services;
    }
}
