using ConsentHub.Access;
using ConsentHub.Checks;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace ConsentHub.Web.Components.Pages.Checks;

/// <summary>
/// One pupil's card on a page of its own (a link, a bookmark, the recent list). The pupil is read in the scopes
/// where the user may check consent, in SQL: a pupil of another academy is simply not found (404), whatever id
/// is typed. Read and audited once, here; the interactive card then keeps itself current.
/// </summary>
public partial class PupilCheck
{
    [Inject] private CheckPupil Check { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    [Parameter] public Guid PupilId { get; set; }

    private PupilCheckCard? _card;

    protected override async Task OnParametersSetAsync()
    {
        var user = (await AuthenticationState).User;
        _card = await Check.HandleAsync(StaffClaims.ScopesFor(user, StaffCapabilities.CheckConsent), PupilId, "page");
        if (_card is null) Navigation.NotFound();
    }
}
