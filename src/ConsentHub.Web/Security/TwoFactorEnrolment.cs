using ConsentHub.Access;

namespace ConsentHub.Web.Security;

/// <summary>
/// Trust- and region-wide staff without an authenticator are sent to enrol one before anything else: every page
/// redirects to the enrolment page, other requests are refused. Static files, sign-out and the API (its own keys)
/// are left alone.
/// </summary>
public static class TwoFactorEnrolment
{
    public const string EnrolPath = "/account/two-factor";

    public static IApplicationBuilder UseTwoFactorEnrolment(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (!StaffClaims.MustEnrolTwoFactor(context.User) || IsExempt(context.Request.Path)) return next(context);
            if (HttpMethods.IsGet(context.Request.Method))
                context.Response.Redirect(EnrolPath);
            else
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        });

    private static bool IsExempt(PathString path) =>
        path.StartsWithSegments(EnrolPath)
        || path.StartsWithSegments("/account/sign-out")
        || path.StartsWithSegments("/api")
        || path.StartsWithSegments("/health")
        || path.StartsWithSegments("/_framework")
        || path.StartsWithSegments("/_blazor")
        || path.StartsWithSegments("/not-found")
        || Path.HasExtension(path.Value);
}
