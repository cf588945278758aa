namespace ConsentHub.Web.Security;

/// <summary>
/// Security headers on every response: pages, static files, the API, errors and status-code pages alike (set as
/// the response starts, so whatever writes it later in the pipeline still gets them).
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Blazor Server needs no inline script or eval: its script is a file, and the circuit is a WebSocket to this
    /// host (ws:/wss: named explicitly, as 'self' does not cover them in every browser). Inline styles are allowed
    /// because Blazor and Bootstrap set style attributes.
    /// </summary>
    public static string ContentSecurityPolicy(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The policy differs only by the Host header, which is the same on nearly every request to an instance:
        // the last one built is kept (one immutable pair, swapped whole) rather than concatenated per response.
        var host = request.Host.Value;
        var last = _lastPolicy;
        if (last is not null && string.Equals(last.Host, host, StringComparison.Ordinal)) return last.Policy;
        var policy = BuildContentSecurityPolicy(request);
        _lastPolicy = new HostPolicy(host, policy);
        return policy;
    }

    private sealed record HostPolicy(string? Host, string Policy);

    private static volatile HostPolicy? _lastPolicy;

    private static string BuildContentSecurityPolicy(HttpRequest request) =>
        "default-src 'self'; " +
        "script-src 'self'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; " +
        "font-src 'self'; " +
        $"connect-src 'self' ws://{request.Host} wss://{request.Host}; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'none'";

    public static IApplicationBuilder UseConsentHubSecurityHeaders(this IApplicationBuilder app, bool isDevelopment) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var h = context.Response.Headers;
                h.ContentSecurityPolicy = ContentSecurityPolicy(context.Request);
                h.XContentTypeOptions = "nosniff";
                h.XFrameOptions = "DENY";
                // Signing links carry a token in the URL: never send it on to another site.
                h["Referrer-Policy"] = "no-referrer";
                h["Cross-Origin-Opener-Policy"] = "same-origin";
                h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
                // Outside Development only, and only over HTTPS (browsers ignore it on http). Not UseHsts(), which
                // leaves out localhost and so cannot be seen by a test.
                if (!isDevelopment && context.Request.IsHttps)
                    h.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
                if (HoldsPersonalData(context))
                    h.CacheControl = MergeNoStore(h.CacheControl.ToString());
                return Task.CompletedTask;
            });
            return next(context);
        });

    /// <summary>
    /// Every API answer (the JSON, problems and errors alike) and every download (CSV, PDF, ZIP) is about pupils: no
    /// browser, proxy or shared cache may keep a copy. Decided here, as the response starts, for every endpoint at
    /// once, so a new download cannot forget it.
    /// </summary>
    public static bool HoldsPersonalData(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/api")) return true;
        var type = context.Response.ContentType;
        if (string.IsNullOrEmpty(type)) return false;
        var media = type.Split(';', 2)[0].Trim();
        return media.Equals("text/csv", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/pdf", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/zip", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/problem+json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Adds no-store to what the endpoint said (the signing pages' "no-cache, no-store" stays as it is).</summary>
    internal static string MergeNoStore(string current) =>
        string.IsNullOrWhiteSpace(current) ? "no-store"
        : current.Contains("no-store", StringComparison.OrdinalIgnoreCase) ? current
        : "no-store";
}
