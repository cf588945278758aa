using ConsentHub.Access;
using ConsentHub.Forms;
using ConsentHub.Requests;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;

namespace ConsentHub.Web.Components.Pages.Forms;

/// <summary>Office staff ask for a pack of paper forms, watch it being made, and download it.</summary>
public sealed partial class FormPacks
{
    [Inject] private ListIssueChoices Choices { get; set; } = default!;
    [Inject] private RequestFormPack Request { get; set; } = default!;
    [Inject] private GetFormPack Packs { get; set; } = default!;
    [Inject] private CurrentStaff Current { get; set; } = default!;

    private AccessScope _scope = AccessScope.Academy(Guid.Empty, "unknown");
    private IReadOnlyList<ListIssueChoices.AcademyChoice>? _academies;
    private ListIssueChoices.Groups? _groups;
    private Guid _academyId;
    private string _audience = "";
    private bool _onlyWithoutEmail = true;
    private IReadOnlyList<GetFormPack.Status> _packs = [];
    private string? _message;
    private bool _busy;
    private PeriodicTimer? _timer;
    private CancellationTokenSource? _polling;

    protected override async Task OnInitializedAsync()
    {
        var staff = await Current.GetAsync();
        _scope = staff?.ScopeFor(StaffCapabilities.ManagePupils) ?? AccessScope.Academy(Guid.Empty, staff?.Actor ?? "unknown");
        _academies = await Choices.AcademiesAsync(_scope);
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
        _audience = "";
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _groups = await Choices.GroupsAsync(_scope, _academyId);
        await RefreshAsync();
    }

    private async Task RefreshAsync()
    {
        _packs = await Packs.RecentAsync(_scope, _academyId);
        if (_packs.Any(p => p.State is FormPackStatus.Queued or FormPackStatus.Running)) StartPolling();
    }

    private async Task MakeAsync()
    {
        _busy = true;
        _message = null;
        try
        {
            int? year = _audience.StartsWith("year:", StringComparison.Ordinal) && int.TryParse(_audience[5..], out var y) ? y : null;
            var group = _audience.StartsWith("class:", StringComparison.Ordinal) ? _audience[6..] : null;
            switch (await Request.HandleAsync(_scope, new RequestFormPack.Request(_academyId, year, group, _onlyWithoutEmail)))
            {
                case RequestFormPack.Result.Invalid invalid: _message = invalid.Message; break;
                default: await RefreshAsync(); break;
            }
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>While a pack is being made, the list refreshes every second; it stops when none is left.</summary>
    private void StartPolling()
    {
        if (_timer is not null) return;
        _timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        _polling = new CancellationTokenSource();
        _ = PollAsync(_timer, _polling.Token);
    }

    private async Task PollAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var packs = await Packs.RecentAsync(_scope, _academyId, ct);
                await InvokeAsync(() =>
                {
                    _packs = packs;
                    StateHasChanged();
                });
                if (!packs.Any(p => p.State is FormPackStatus.Queued or FormPackStatus.Running)) break;
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            timer.Dispose();
            if (ReferenceEquals(_timer, timer)) _timer = null;
        }
    }

    public void Dispose()
    {
        _polling?.Cancel();
        _polling?.Dispose();
    }
}
