using ConsentHub.Access;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Pupils;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;

namespace ConsentHub.Web.Components.Pages.Pupils;

public sealed partial class PupilPage
{
    [Parameter] public Guid PupilId { get; set; }
    [Inject] private GetPupilRecord Records { get; set; } = default!;
    [Inject] private SetAlsoAskParent AskParent { get; set; } = default!;
    [Inject] private SetSafeguardingFlag Safeguarding { get; set; } = default!;
    [Inject] private CurrentStaff Current { get; set; } = default!;

    private StaffContext? _staff;
    private GetPupilRecord.Record? _record;
    private bool _loaded;
    private string? _askParentReason;
    private string? _askParentMessage;
    private string? _safeguardingReason;
    private string? _safeguardingMessage;

    protected override async Task OnParametersSetAsync()
    {
        _staff = await Current.GetAsync();
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _record = _staff is null ? null : await Records.HandleAsync(new GetPupilRecord.Viewer(_staff.Scope,
            _staff.ScopesFor(StaffCapabilities.ViewContactDetails), _staff.ScopesFor(StaffCapabilities.Safeguarding)), PupilId);
        _askParentReason ??= _record?.AlsoAskParentReason;
        _safeguardingReason ??= _record?.SafeguardingReason;
        _loaded = true;
    }

    private async Task SetAskParentAsync(bool ask)
    {
        if (_staff?.ScopeFor(StaffCapabilities.ManagePupils) is not { } scope) return;
        var result = await AskParent.HandleAsync(scope, PupilId, ask, _askParentReason);
        _askParentMessage = result is SetAlsoAskParent.Result.Invalid invalid ? invalid.Message : null;
        await LoadAsync();
    }

    private async Task SetSafeguardingAsync(bool flagged)
    {
        if (_staff?.ScopeFor(StaffCapabilities.Safeguarding) is not { } scope) return;
        var result = await Safeguarding.HandleAsync(scope, PupilId, flagged, _safeguardingReason);
        _safeguardingMessage = result is SetSafeguardingFlag.Result.Invalid invalid ? invalid.Message : null;
        if (!flagged) _safeguardingReason = null;
        await LoadAsync();
    }

    private static string Label(ConsentStatus status) => status switch
    {
        ConsentStatus.Allowed => "Yes",
        ConsentStatus.NotAllowed => "No",
        ConsentStatus.Pending => "Not yet",
        _ => "Not asked",
    };

    private static string Badge(ConsentStatus status) => status switch
    {
        ConsentStatus.Allowed => "text-bg-success",
        ConsentStatus.NotAllowed => "text-bg-danger",
        ConsentStatus.Pending => "text-bg-warning",
        _ => "text-bg-secondary",
    };

    private static string How(GetPupilRecord.AnswerRow a) => a.Method switch
    {
        AnswerMethod.Online => a.SignatureName is null ? "online" : $"online, signed “{a.SignatureName}”",
        AnswerMethod.Paper => $"paper form, recorded by {a.RecordedBy}" + (a.ScanReference is null ? "" : $" (scan {a.ScanReference})"),
        _ => $"told to {a.RecordedBy}",
    };
}
