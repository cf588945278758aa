using ConsentHub.Staff;
using Microsoft.AspNetCore.Components;

namespace ConsentHub.Web.Components.Pages.Staff;

public partial class StaffList
{
    [Inject] private ListStaffAccounts List { get; set; } = null!;

    private IReadOnlyList<ListStaffAccounts.Row> _staff = [];

    protected override async Task OnInitializedAsync() => _staff = await List.HandleAsync();
}
