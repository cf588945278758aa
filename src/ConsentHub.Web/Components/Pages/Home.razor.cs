using ConsentHub.Access;
using ConsentHub.Dashboards;
using ConsentHub.Web.Hosting;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;

namespace ConsentHub.Web.Components.Pages;

/// <summary>
/// The home page: a short introduction for visitors; for staff, the figures of their role, each linking to its list
/// (office: requests and returns; DSL: flags and withdrawals; trust admin: jobs, register gaps, pauses). A teacher,
/// who has nothing else to do here, goes straight to Check consent.
/// </summary>
public sealed partial class Home
{
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IServiceProvider Services { get; set; } = default!;

    private StaffContext? _staff;
    private IReadOnlyList<ReadOfficeHome.AcademyFigures>? _office;
    private ReadSafeguardingHome.Figures? _safeguarding;
    private ReadAdminHome.Figures? _admin;
    private JobFigures.Figures? _jobs;

    protected override async Task OnInitializedAsync()
    {
        // Resolved softly: the visitors' introduction needs nothing from the database.
        _staff = Services.GetService<CurrentStaff>() is { } current ? await current.GetAsync() : null;
        if (_staff is null) return;
        if (StaffClaims.MustEnrolTwoFactor(_staff.User))
        {
            Navigation.NavigateTo("account/two-factor", replace: true);
            return;
        }
        if (_staff.Roles.All(r => r == StaffRoles.Teacher))
        {
            Navigation.NavigateTo("checks", replace: true);
            return;
        }
        if (_staff.Roles.Contains(StaffRoles.OfficeStaff) && _staff.ScopeFor(StaffCapabilities.ManagePupils) is { } office)
            _office = await Services.GetRequiredService<ReadOfficeHome>().HandleAsync(office);
        if (_staff.ScopeFor(StaffCapabilities.Safeguarding) is { } dsl)
            _safeguarding = await Services.GetRequiredService<ReadSafeguardingHome>().HandleAsync(dsl);
        if (_staff.Roles.Contains(StaffRoles.TrustAdmin) && _staff.ScopeFor(StaffCapabilities.ManageStaff) is { } admin)
        {
            _admin = await Services.GetRequiredService<ReadAdminHome>().HandleAsync(admin);
            _jobs = Services.GetService<JobFigures>()?.Read();
        }
    }

    private static string OpenRequestsLink(Guid academyId, string status, string? delivery) =>
        $"requests?academy={academyId}&status={status}" + (delivery is null ? "" : $"&delivery={delivery}");
}
