using ConsentHub.Access;
using ConsentHub.Chasing;
using ConsentHub.Email;
using ConsentHub.Requests;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;

namespace ConsentHub.Web.Components.Pages.Requests;

/// <summary>The open requests at an academy, with a new link for someone who lost the email (the old link stops working).</summary>
public sealed partial class OpenRequests
{
    [Inject] private ListIssueChoices Choices { get; set; } = default!;
    [Inject] private ListOpenRequests List { get; set; } = default!;
    [Inject] private SendNewSigningLink NewLink { get; set; } = default!;
    [Inject] private CurrentStaff Current { get; set; } = default!;
    [Inject] private IServiceProvider Services { get; set; } = default!;
    [Inject] private ChaseAcademyNow ChaseNow { get; set; } = default!;
    [Inject] private ReadChaseSettings ChaseSettings { get; set; } = default!;

    private string _schedule = "";

    private AccessScope _scope = AccessScope.Academy(Guid.Empty, "unknown");
    private IReadOnlyList<ListIssueChoices.AcademyChoice>? _academies;
    private Guid _academyId;
    private ListOpenRequests.Page? _page;
    private string? _message;
    private bool _messageOk;
    private bool _busy;

    protected override async Task OnInitializedAsync()
    {
        var staff = await Current.GetAsync();
        _scope = staff?.ScopeFor(StaffCapabilities.ManagePupils) ?? AccessScope.Academy(Guid.Empty, staff?.Actor ?? "unknown");
        _academies = await Choices.AcademiesAsync(_scope);
        _schedule = (await ChaseSettings.HandleAsync()).Describe();
        if (_academies.Count > 0)
        {
            _academyId = _academies[0].Id;
            await LoadAsync();
        }
    }

    private async Task AcademyChangedAsync(ChangeEventArgs e)
    {
        if (!Guid.TryParse(e.Value?.ToString(), out var id)) return;
        _academyId = id;
        _message = null;
        await LoadAsync();
    }

    private async Task LoadAsync() => _page = await List.HandleAsync(_scope, _academyId);

    private async Task ChaseNowAsync()
    {
        _busy = true;
        try
        {
            (_message, _messageOk) = await ChaseNow.HandleAsync(_scope, _academyId) switch
            {
                ChaseAcademyNow.Result.Queued => ("Reminders that are due are being written now; they go out within a few minutes (in the morning if it is quiet hours). Parties with no working email go on the follow-up list.", true),
                _ => ("That academy was not found.", false),
            };
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task SendNewLinkAsync(ListOpenRequests.Row row)
    {
        _busy = true;
        try
        {
            (_message, _messageOk) = await NewLink.HandleAsync(_scope, row.RequestId) switch
            {
                SendNewSigningLink.Result.Sent sent => ($"A new link was emailed to {sent.Recipient} for {row.PupilName}. The old link no longer works.", true),
                SendNewSigningLink.Result.NoEmail none => (none.Problem, false),
                SendNewSigningLink.Result.NotOpen closed => (closed.Problem, false),
                _ => ("That request was not found.", false),
            };
            if (_messageOk) Services.GetRequiredService<RequestOutboxDrain>().Now();
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }
}
