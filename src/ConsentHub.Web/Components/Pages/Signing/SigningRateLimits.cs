using System.Threading.RateLimiting;
using ConsentHub.Signing;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ConsentHub.Web.Components.Pages.Signing;

/// <summary>
/// Rate limits on the signing pages (/s/…, /sign…): per client IP address and, on pages with a token in the path,
/// per token, so neither a guessing run from one address nor a hammered link gets far. A burst gets 429 with a
/// friendly page. Other pages are not limited here. Behind a proxy, configure forwarded headers so the address is
/// the client's.
/// </summary>
public static class SigningRateLimits
{
    public static IServiceCollection AddSigningRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<SigningOptions>>((o, signing) =>
        {
            var perIp = signing.Value.RequestsPerIpPerMinute;
            var perToken = signing.Value.RequestsPerTokenPerMinute;
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => IsSigningPath(http.Request.Path)
                    ? RateLimitPartition.GetFixedWindowLimiter("ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"), _ => Window(perIp))
                    : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(http => TokenOf(http.Request.Path) is { } token
                    ? RateLimitPartition.GetFixedWindowLimiter("token:" + token, _ => Window(perToken))
                    : RateLimitPartition.GetNoLimiter("")));
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                http.Response.Headers.RetryAfter = "60";
                var text = SigningEndpoints.Text(http, null);
                await SigningEndpoints.Message(http, text, text.TooManyTitle, [text.TooManyBody], [], StatusCodes.Status429TooManyRequests).ExecuteAsync(http);
            };
        });
        return services;
    }

    private static FixedWindowRateLimiterOptions Window(int permits) => new()
    {
        PermitLimit = permits,
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    public static bool IsSigningPath(PathString path) =>
        path.StartsWithSegments("/s") || path.StartsWithSegments("/sign");

    /// <summary>The token in /s/{token}… or /sign/change/{token}…, if any.</summary>
    public static string? TokenOf(PathString path)
    {
        var value = path.Value;
        if (value is null) return null;
        var parts = value.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length >= 2 && parts[0] == "s") return parts[1];
        if (parts.Length >= 3 && parts[0] == "sign" && parts[1] == "change") return parts[2];
        return null;
    }
}
