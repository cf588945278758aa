using System.Threading.RateLimiting;
using ConsentHub.Requests;
using ConsentHub.Signing;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ConsentHub.Web.Components.Pages.Signing;

/// <summary>
/// Rate limits on the signing pages (/s/…, /sign…): per client IP address and, on pages with a token in the path,
/// per token, so neither a guessing run from one address nor a hammered link gets far. A burst gets 429 with a
/// friendly page. Staff sign-in attempts (POSTs to the password and code steps) are limited per IP address too
/// (<see cref="Security.StaffSignInOptions.SignInAttemptsPerIpPerMinute"/>), with the same kind of page in English.
/// Other pages are not limited here. Behind a proxy, configure forwarded headers so the address is
/// the client's.
/// </summary>
public static class SigningRateLimits
{
    public static IServiceCollection AddSigningRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<SigningOptions>, IOptions<Security.StaffSignInOptions>>((o, signing, staff) =>
        {
            var perIp = signing.Value.RequestsPerIpPerMinute;
            var perToken = signing.Value.RequestsPerTokenPerMinute;
            var signInsPerIp = staff.Value.SignInAttemptsPerIpPerMinute;
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => IsSigningPath(http.Request.Path)
                    ? RateLimitPartition.GetFixedWindowLimiter("ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"), _ => Window(perIp))
                    : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(http => TokenOf(http.Request.Path) is { } token
                    ? RateLimitPartition.GetFixedWindowLimiter("token:" + token, _ => Window(perToken))
                    : RateLimitPartition.GetNoLimiter("")),
                // Staff sign-in attempts (password and code steps) per address: nobody can lock out staff accounts
                // or try passwords in bulk from one address. Page views are not counted.
                PartitionedRateLimiter.Create<HttpContext, string>(http => IsStaffSignInAttempt(http.Request)
                    ? RateLimitPartition.GetFixedWindowLimiter("staff-sign-in:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"), _ => Window(signInsPerIp))
                    : RateLimitPartition.GetNoLimiter("")));
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                http.Response.Headers.RetryAfter = "60";
                var text = SigningEndpoints.Text(http, null);
                if (IsStaffSignInAttempt(http.Request))
                {
                    await SigningEndpoints.Message(http, SigningText.English, "Too many sign-in attempts",
                        ["There have been too many sign-in attempts from your network in the last minute. Wait a minute, then try again."],
                        [("/account/sign-in", "Back to sign in")], StatusCodes.Status429TooManyRequests).ExecuteAsync(http);
                    return;
                }
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

    public static bool IsStaffSignInAttempt(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && (request.Path.Equals("/account/sign-in", StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals("/account/sign-in/two-factor", StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals("/account/forgot-password", StringComparison.OrdinalIgnoreCase));

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
