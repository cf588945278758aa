using ConsentHub.Access;
using ConsentHub.Consent.Rules;
using ConsentHub.Pauses;
using ConsentHub.Trust;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace ConsentHub.Web.Components.Pages.Pauses;

/// <summary>Start, lift and look back over posting pauses, within the academies, region or trust the signed-in person looks after.</summary>
public sealed partial class PostingPauses
{
    [Inject] private ListPostingPauses List { get; set; } = default!;
    [Inject] private StartPostingPause Start { get; set; } = default!;
    [Inject] private LiftPostingPause Lift { get; set; } = default!;
    [Inject] private ListTrustStructure Structure { get; set; } = default!;
    [Inject] private CurrentStaff Current { get; set; } = default!;

    private PauseAuthority _caller = new([]);
    private PauseForm _form = new();
    private EditContext _editContext = default!;
    private ValidationMessageStore _messages = default!;
    private IReadOnlyList<ListPostingPauses.Row>? _rows;
    private IReadOnlyList<ListTrustStructure.Item> _academies = [];
    private IReadOnlyList<ListTrustStructure.Item> _regions = [];
    private bool _mayPauseTrust;
    private bool _mayPauseRegion;
    private Guid? _confirmLift;
    private string? _message;
    private bool _messageOk;
    private bool _busy;

    /// <summary>The form's fields, as typed (UK wall-clock times); the use case validates them.</summary>
    public sealed class PauseForm
    {
        public PauseScope Scope { get; set; } = PauseScope.Academy;
        public Guid? ScopeId { get; set; }
        public DateTime? From { get; set; }
        public DateTime? Until { get; set; }
        public string? Reason { get; set; }
    }

    protected override async Task OnInitializedAsync()
    {
        Use(new PauseForm());
        var staff = await Current.GetAsync();
        if (staff is null) return;
        _caller = new PauseAuthority(staff.ScopesFor(StaffCapabilities.PostingPauses));
        _mayPauseTrust = _caller.IsTrustWide;
        _mayPauseRegion = _caller.IsTrustWide || _caller.Scopes.Any(s => s.Level == ScopeLevel.Region);
        var structure = await Structure.HandleAsync();
        var regionIds = _caller.Scopes.Where(s => s.Level == ScopeLevel.Region).Select(s => s.Id).ToHashSet();
        var academyIds = _caller.Scopes.Where(s => s.Level == ScopeLevel.Academy).Select(s => s.Id).ToHashSet();
        _regions = _caller.IsTrustWide ? structure.Regions : [.. structure.Regions.Where(r => regionIds.Contains(r.Id))];
        _academies = _caller.IsTrustWide ? structure.Academies
            : [.. structure.Academies.Where(a => academyIds.Contains(a.Id) || (structure.RegionOf.TryGetValue(a.Id, out var r) && regionIds.Contains(r)))];
        if (_academies.Count == 1) _form.ScopeId = _academies[0].Id;
        await LoadAsync();
    }

    private async Task LoadAsync() => _rows = await List.HandleAsync(_caller);

    private void Use(PauseForm form)
    {
        _form = form;
        _editContext = new EditContext(_form);
        _messages = new ValidationMessageStore(_editContext);
        _editContext.OnFieldChanged += (_, e) => _messages.Clear(e.FieldIdentifier);
    }

    private async Task StartAsync()
    {
        _busy = true;
        _message = null;
        _messages.Clear();
        try
        {
            var f = _form;
            var result = await Start.HandleAsync(_caller, new StartPostingPause.Request(f.Scope, f.Scope == PauseScope.Trust ? null : f.ScopeId,
                f.From is { } from ? UkCalendar.FromLocal(from) : null, f.Until is { } until ? UkCalendar.FromLocal(until) : null, f.Reason ?? ""));
            switch (result)
            {
                case StartPostingPause.Result.Started:
                    (_messageOk, _message) = (true, "Posting is paused. The administrative contacts of the accounts concerned are being emailed.");
                    var keep = _academies.Count == 1 ? _form.ScopeId : null;
                    Use(new PauseForm { ScopeId = keep });
                    await LoadAsync();
                    break;
                case StartPostingPause.Result.Forbidden:
                    (_messageOk, _message) = (false, "You may not pause posting there: choose an academy or region you look after.");
                    break;
                case StartPostingPause.Result.Invalid invalid:
                    foreach (var (field, errors) in invalid.Errors)
                        _messages.Add(_editContext.Field(field.Length == 0 ? field : char.ToUpperInvariant(field[0]) + field[1..]), errors);
                    break;
            }
            _editContext.NotifyValidationStateChanged();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task LiftAsync(Guid id)
    {
        _busy = true;
        try
        {
            var result = await Lift.HandleAsync(_caller, id);
            (_messageOk, _message) = result switch
            {
                LiftPostingPause.Result.Lifted => (true, "The pause is lifted: posting may resume, and the administrative contacts are being told."),
                LiftPostingPause.Result.Forbidden => (false, "Only someone who looks after everything this pause covers may lift it."),
                _ => (false, "That pause has already ended."),
            };
            _confirmLift = null;
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }
}
