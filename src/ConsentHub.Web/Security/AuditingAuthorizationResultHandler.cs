using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace ConsentHub.Web.Security;

/// <summary>
/// Answers refused requests as usual, except a signed-in user who must enrol in two-factor sign-in first: a GET is
/// sent to the enrolment page (pages, downloads, the dashboard alike), anything else gets 403. The refusals
/// themselves are audited by <see cref="DenialAuditing"/> from the response status, like every other denial.
/// </summary>
public sealed class AuditingAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _inner = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (authorizeResult.Forbidden && TwoFactorEnrolment.IsUnmet(authorizeResult))
        {
            if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
                context.Response.Redirect(TwoFactorEnrolment.EnrolPath);
            else
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        }
        return _inner.HandleAsync(next, context, policy, authorizeResult);
    }
}
