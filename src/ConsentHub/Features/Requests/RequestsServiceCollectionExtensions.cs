using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Requests;

public static class RequestsServiceCollectionExtensions
{
    /// <summary>
    /// Issuing forms: preview, issue, a new link for one request or for expired ones, the page's choices and the open-requests list.
    /// Expects the data, audit, email (outbox, templates) and signing services.
    /// </summary>
    public static IServiceCollection AddConsentHubRequests(this IServiceCollection services)
    {
        services.AddSingleton<RequestEmails>();
        services.AddSingleton<PreviewConsentRequests>();
        services.AddSingleton<IssueConsentRequests>();
        services.AddSingleton<SendNewSigningLink>();
        services.AddSingleton<ReissueExpiredRequests>();
        services.AddSingleton<ListIssueChoices>();
        services.AddSingleton<ListOpenRequests>();
        return services;
    }
}
