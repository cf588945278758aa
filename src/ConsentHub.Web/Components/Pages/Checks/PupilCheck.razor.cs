using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Checks;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace ConsentHub.Web.Components.Pages.Checks;

/// <summary>
/// A teacher's check on one pupil. The pupil is read in the scopes where the user may check consent, in SQL:
/// a pupil of another academy is simply not found (404), whatever id is typed.
/// </summary>
public partial class PupilCheck
{
    [Inject] private ConsentStatusReader Reader { get; set; } = null!;
    [Inject] private IAuditLog Audit { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    [Parameter] public Guid PupilId { get; set; }

    private PupilConsent? _consent;

    protected override async Task OnParametersSetAsync()
    {
        var user = (await AuthenticationState).User;
        _consent = null;
        foreach (var scope in StaffClaims.ScopesFor(user, StaffCapabilities.CheckConsent))
        {
            _consent = await Reader.ForPupilAsync(scope, PupilId);
            if (_consent is not null) break;
        }
        if (_consent is null)
        {
            Audit.RecordRead(new AuditEvent(null, StaffClaims.ActorOf(user), "access.not-found", "Pupil", PupilId.ToString()));
            Navigation.NotFound();
            return;
        }
        Audit.RecordRead(new AuditEvent(_consent.AcademyId, StaffClaims.ActorOf(user), "consent.checked", "Pupil", PupilId.ToString(), PupilId,
            new Dictionary<string, object?>
            {
                ["via"] = "page",
                ["answers"] = _consent.Purposes.ToDictionary(d => d.Key, d => (object?)d.Decision.Status.ToString()),
            }));
    }
}
