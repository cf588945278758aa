using ConsentHub.Access;
using ConsentHub.Audit;
using Microsoft.AspNetCore.Diagnostics;

namespace ConsentHub.Web.Security;

/// <summary>
/// Audits every denied request from the status it ends with, through <see cref="AccessDenials"/> (one mechanism,
/// rate-limited per caller): 403 (<c>access.denied</c>), 401 (<c>access.unauthenticated</c>: no or a bad API key,
/// by address) and 404 from a route that exists (<c>access.not-found</c>: a pupil, academy or key id outside the
/// caller's scope, on a page or in the API; a mistyped address matches no route and is not a denial). A use case
/// that already recorded the denial for this request (a check of an out-of-scope pupil) is not recorded twice.
/// Anonymous visitors sent to sign in are not denials. Runs after authentication, so the caller is known.
/// </summary>
public static class DenialAuditing
{
    public static IApplicationBuilder UseDenialAuditing(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            // The not-found page re-executed for a 404 is part of the same denial.
            if (context.Features.Get<IStatusCodeReExecuteFeature>() is not null)
            {
                await next(context);
                return;
            }
            var request = new AccessDenials.RequestDenials();
            AccessDenials.CurrentRequest.Value = request;
            var endpoint = context.GetEndpoint();
            try
            {
                await next(context);
            }
            finally
            {
                AccessDenials.CurrentRequest.Value = null;
            }
            var status = context.Response.StatusCode;
            if (request.Recorded || status is not (StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden or StatusCodes.Status404NotFound)) return;
            if (status == StatusCodes.Status404NotFound && endpoint is null) return;
            Record(context, status);
        });

    private static void Record(HttpContext context, int status)
    {
        var user = context.User;
        var signedIn = user.Identity?.IsAuthenticated == true;
        var actor = !signedIn ? "anonymous"
            : user.Identity!.AuthenticationType == Api.ApiKeyAuthenticationHandler.SchemeName ? user.Identity.Name ?? "api-key"
            : StaffClaims.ActorOf(user);
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var path = context.Request.Path.Value ?? "";
        var data = new Dictionary<string, object?>
        {
            ["method"] = context.Request.Method,
            ["path"] = Truncate(path, 400),
            ["status"] = status,
        };
        if (!signedIn) data["address"] = address;
        if (status == StatusCodes.Status401Unauthorized && Api.ApiKeyAuthenticationHandler.PresentedPrefix(context.Request) is { } prefix)
            data["keyPrefix"] = prefix;
        var action = status switch
        {
            StatusCodes.Status401Unauthorized => AccessDenials.Unauthenticated,
            StatusCodes.Status403Forbidden => AccessDenials.Denied,
            _ => AccessDenials.NotFound,
        };
        context.RequestServices.GetRequiredService<AccessDenials>().Record(
            new AuditEvent(null, actor, action, "Endpoint", Truncate(path, AuditChain.MaxEntityIdLength), Data: data),
            signedIn ? actor : "ip:" + address);
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}
