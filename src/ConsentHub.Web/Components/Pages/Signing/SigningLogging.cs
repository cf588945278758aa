namespace ConsentHub.Web.Components.Pages.Signing;

/// <summary>
/// Signing links carry a secret in the path. These framework categories write request paths (hosting's "Request
/// starting …" at Information, route matching and static files at Debug), so they are capped at Warning whatever
/// the configuration says for their parents; the host's own logs never name a path.
/// </summary>
public static class SigningLogging
{
    public static readonly string[] PathWritingCategories =
    [
        "Microsoft.AspNetCore.Hosting.Diagnostics",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.StaticAssets",
        "Microsoft.AspNetCore.StaticFiles",
        "Microsoft.AspNetCore.HttpLogging",
        "Microsoft.AspNetCore.Rewrite",
        "Microsoft.AspNetCore.Http.Result",
        "Microsoft.AspNetCore.Http.RequestDelegateFactory",
    ];

    public static ILoggingBuilder KeepTokensOutOfLogs(this ILoggingBuilder logging)
    {
        foreach (var category in PathWritingCategories)
            logging.AddFilter(category, LogLevel.Warning);
        return logging;
    }
}
