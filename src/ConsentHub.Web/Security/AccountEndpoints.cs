using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace ConsentHub.Web.Security;

public static class AccountEndpoints
{
    /// <summary>Sign-out is a POST from a form with an antiforgery token, so another site cannot sign staff out.</summary>
    public static IEndpointRouteBuilder MapConsentHubAccount(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/sign-out", async (HttpContext http, [FromForm] string? returnUrl, SignInManager<StaffUser> signIn, IAuditLog audit) =>
        {
            if (http.User.Identity?.IsAuthenticated == true)
                audit.RecordRead(new AuditEvent(null, StaffClaims.ActorOf(http.User), "staff.signed-out"));
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect(string.IsNullOrEmpty(returnUrl) || !returnUrl.StartsWith('/') || returnUrl.StartsWith("//", StringComparison.Ordinal) ? "/" : returnUrl);
        }).AllowAnonymous();
        return app;
    }
}
