using ConsentHub.Access;
using Hangfire;
using Hangfire.Dashboard;

namespace ConsentHub.Web.Security;

/// <summary>The Hangfire dashboard at /hangfire: trust administrators only, in every environment.</summary>
public static class JobsDashboard
{
    public static IEndpointRouteBuilder MapConsentHubJobsDashboard(this IEndpointRouteBuilder app)
    {
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new TrustAdminOnly()],
            DisplayStorageConnectionString = false,
        })
            .RequireAuthorization(StaffCapabilities.ManageStaff);
        return app;
    }

    /// <summary>The endpoint policy already checks; this keeps the dashboard closed should it ever be mapped without it.</summary>
    private sealed class TrustAdminOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(StaffRoles.TrustAdmin);
    }
}
