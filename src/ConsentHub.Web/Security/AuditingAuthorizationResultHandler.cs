using ConsentHub.Access;
using ConsentHub.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace ConsentHub.Web.Security;

/// <summary>Every refused request from a signed-in user or API key goes to the trust's audit chain, then is answered as usual.</summary>
public sealed class AuditingAuthorizationResultHandler(IAuditLog audit) : IAuthorizationMiddlewareResultHandler
{
    public const string Action = "access.denied";
    private readonly AuthorizationMiddlewareResultHandler _inner = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden || (authorizeResult.Challenged && context.User.Identity?.IsAuthenticated == true))
        {
            var path = context.Request.Path.Value ?? "";
            audit.RecordRead(new AuditEvent(null, StaffClaims.ActorOf(context.User), Action, "Endpoint", Truncate(path, AuditChain.MaxEntityIdLength),
                Data: new Dictionary<string, object?>
                {
                    ["method"] = context.Request.Method,
                    ["path"] = Truncate(path, 400),
                    ["outcome"] = authorizeResult.Forbidden ? "forbidden" : "challenged",
                }));
        }
        return _inner.HandleAsync(next, context, policy, authorizeResult);
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}
