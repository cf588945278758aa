using ConsentHub.Access;
using Hangfire;
using Hangfire.Dashboard;

namespace ConsentHub.Web.Security;

/// <summary>
/// The Hangfire dashboard at /hangfire: trust administrators only, in every environment. Every recurring job's
/// schedule is evaluated in UK time (Europe/London, RecurringJobs), and the dashboard's title says so on every page.
/// </summary>
public static class JobsDashboard
{
    /// <summary>The dashboard's title, in its navigation bar and the browser tab: it names the zone the schedules run in.</summary>
    public const string Title = "ConsentHub background jobs · schedules in UK time (Europe/London)";

    public static IEndpointRouteBuilder MapConsentHubJobsDashboard(this IEndpointRouteBuilder app)
    {
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new TrustAdminOnly()],
            DisplayStorageConnectionString = false,
            DashboardTitle = Title,
        })
            .RequireAuthorization(StaffCapabilities.ManageStaff);
        // The dashboard's figures are fetched by POST; Hangfire reads a form body without checking the method, so a
        // GET would throw (500). Its other commands check the method themselves and answer 405.
        app.MapMethods("/hangfire/stats", [HttpMethods.Get, HttpMethods.Head, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Patch], (HttpContext http) =>
            {
                http.Response.Headers.Allow = HttpMethods.Post;
                return TypedResults.Text("The jobs dashboard's figures are fetched with POST.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status405MethodNotAllowed);
            })
            .RequireAuthorization(StaffCapabilities.ManageStaff)
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>The endpoint policy already checks; this keeps the dashboard closed should it ever be mapped without it.</summary>
    private sealed class TrustAdminOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(StaffRoles.TrustAdmin);
    }
}
