using System.Security.Claims;
using ConsentHub.Access;
using ConsentHub.Takedowns;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace ConsentHub.Web.Components.Pages.Takedowns;

/// <summary>Open takedowns the signed-in person is responsible for; marking one done records who, when and a note.</summary>
public sealed partial class TakedownTasks
{
    [Inject] private ListTakedownTasks List { get; set; } = default!;
    [Inject] private MarkTakedownDone Done { get; set; } = default!;
    [Inject] private CountTakedownAccounts Accounts { get; set; } = default!;
    [Inject] private CurrentStaff Current { get; set; } = default!;
    [Inject] private IOptions<TakedownOptions> Options { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;

    private StaffContext? _staff;
    private ListTakedownTasks.Caller _caller = new([], null);
    private IReadOnlyList<ListTakedownTasks.Row>? _rows;
    private int? _registered;
    private (Guid, Guid)? _confirm;
    private string? _note;
    private string? _message;
    private bool _messageOk;
    private bool _busy;

    protected override async Task OnInitializedAsync()
    {
        _staff = await Current.GetAsync();
        if (_staff is null) return;
        var email = _staff.User.FindFirst(ClaimTypes.Email)?.Value ?? _staff.User.Identity?.Name;
        _caller = new ListTakedownTasks.Caller(_staff.ScopesFor(StaffCapabilities.TakedownTasks), email);
        _registered = await Accounts.InRegisterAsync();
        await LoadAsync();
    }

    private async Task LoadAsync() => _rows = await List.HandleAsync(_caller, Options.Value.OverdueAfter, Clock.GetUtcNow());

    private void Start((Guid, Guid) key)
    {
        _confirm = key;
        _note = null;
        _message = null;
    }

    private async Task DoneAsync(ListTakedownTasks.Row row)
    {
        if (_staff is null) return;
        _busy = true;
        try
        {
            var name = _staff.User.FindFirst(StaffClaims.DisplayName)?.Value ?? _staff.User.Identity?.Name ?? "";
            var result = await Done.HandleAsync(_caller, _staff.Actor, name, row.AccountId, row.PupilId, _note);
            (_messageOk, _message) = result switch
            {
                MarkTakedownDone.Result.Done => (true, $"Marked done: {row.PupilName} on {row.Account}."),
                MarkTakedownDone.Result.Invalid invalid => (false, invalid.Message),
                _ => (false, "That takedown is no longer open (someone else may have marked it done)."),
            };
            if (_messageOk) _confirm = null;
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }
}
