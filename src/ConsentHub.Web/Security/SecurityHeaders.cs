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
    public static string ContentSecurityPolicy(HttpRequest request) =>
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
                return Task.CompletedTask;
            });
            return next(context);
        });
}
