using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.PaperReturns;

public static class PaperReturnsServiceCollectionExtensions
{
    /// <summary>Finding a returned paper form and recording its answers; listing and opening the scans kept of them. Expects the data, audit and forms services.</summary>
    public static IServiceCollection AddConsentHubPaperReturns(this IServiceCollection services)
    {
        services.AddSingleton<FindPaperReturn>();
        services.AddSingleton<RecordPaperReturn>();
        services.AddSingleton<RecordConsentAnswer>();
        services.AddSingleton<ListPaperScans>();
        services.AddSingleton<OpenPaperScan>();
        return services;
    }
}
