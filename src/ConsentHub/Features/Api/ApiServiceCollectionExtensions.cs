using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Api;

public static class ApiServiceCollectionExtensions
{
    /// <summary>API key management: create (secret shown once), list, revoke.</summary>
    public static IServiceCollection AddConsentHubApiKeys(this IServiceCollection services)
    {
        services.AddSingleton<CreateApiKey>();
        services.AddSingleton<ListApiKeys>();
        services.AddSingleton<RevokeApiKey>();
        services.AddSingleton<ApiKeyRevocations>();
        return services;
    }
}
