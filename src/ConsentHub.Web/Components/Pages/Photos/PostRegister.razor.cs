using ConsentHub.Access;
using ConsentHub.Photos;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;

namespace ConsentHub.Web.Components.Pages.Photos;

/// <summary>The post register report, scoped to the academies the member of staff checks consent for.</summary>
public sealed partial class PostRegister
{
    [Inject] private CurrentStaff Current { get; set; } = null!;
    [Inject] private ListPostRegister List { get; set; } = null!;

    private IReadOnlyList<ListPostRegister.Row>? _rows;

    protected override async Task OnInitializedAsync()
    {
        var staff = await Current.GetAsync();
        _rows = staff is null ? [] : await List.HandleAsync(staff.ScopesFor(StaffCapabilities.CheckConsent));
    }
}
