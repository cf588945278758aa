using ConsentHub.Checks;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;

namespace ConsentHub.Web.Components.Pages.Checks;

/// <summary>
/// A card that stays current: while it is open, a withdrawal, a flag or a pause for this pupil (made on any app
/// instance) re-reads it within a moment. Each re-read is a check, audited as a live update.
/// </summary>
public sealed partial class LivePupilCard : IDisposable
{
    [Inject] private CheckPupil Check { get; set; } = null!;
    [Inject] private ConsentChangeNotifications Changes { get; set; } = null!;
    [Inject] private CurrentStaff Current { get; set; } = null!;
    [Inject] private CheckMemory Memory { get; set; } = null!;
    [Inject] private TimeProvider Clock { get; set; } = null!;

    /// <summary>The card as first read (and audited) by the page.</summary>
    [Parameter, EditorRequired] public PupilCheckCard Card { get; set; } = null!;

    /// <summary>Adds the pupil to the teacher's recently checked pupils on this device.</summary>
    [Parameter] public bool Remember { get; set; }

    private PupilCheckCard? _card;
    private DateTimeOffset? _updatedAt;
    private Guid _subscribedFor;
    private IDisposable? _subscription;
    private LiveRefresh? _refresh;

    protected override void OnParametersSet()
    {
        if (_card?.PupilId != Card.PupilId) _updatedAt = null;
        _card = Card;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_card is null || _subscribedFor == _card.PupilId) return;
        // Subscribed only once interactive: a prerender has no circuit to push to.
        _subscription?.Dispose();
        _refresh ??= new LiveRefresh(() => InvokeAsync(ReloadAsync));
        var pupilId = _card.PupilId;
        _subscribedFor = pupilId;
        _subscription = Changes.Subscribe(_card.AcademyId, change =>
        {
            if (change.Affects(_card?.AcademyId ?? Guid.Empty, [pupilId])) _refresh.Request();
        });
        if (Remember && await Current.GetAsync() is { } staff)
        {
            var memory = await Memory.ReadAsync(staff.Actor);
            await Memory.SaveAsync(staff.Actor, memory.WithRecent(pupilId) with { AcademyId = _card.AcademyId });
        }
    }

    private async Task ReloadAsync()
    {
        if (_card is null || await Current.GetAsync() is not { } staff) return;
        var fresh = await Check.HandleAsync(staff.ScopesFor(ConsentHub.Access.StaffCapabilities.CheckConsent), _card.PupilId, "live-update");
        _card = fresh;
        _updatedAt = Clock.GetUtcNow();
        StateHasChanged();
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _refresh?.Dispose();
    }
}
