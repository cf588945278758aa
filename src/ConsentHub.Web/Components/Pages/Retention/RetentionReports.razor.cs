using ConsentHub.Access;
using ConsentHub.Retention;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace ConsentHub.Web.Components.Pages.Retention;

/// <summary>Retention runs as counts per academy in the viewer's scope; trust admins can run the dry run.</summary>
public sealed partial class RetentionReports
{
    [Inject] private ListRetentionRuns Runs { get; set; } = default!;
    [Inject] private PurgeLeavers Purge { get; set; } = default!;
    [Inject] private CurrentStaff Current { get; set; } = default!;
    [Inject] private IOptions<RetentionOptions> Options { get; set; } = default!;

    private StaffContext? _staff;
    private AccessScope? _scope;
    private IReadOnlyList<ListRetentionRuns.Row>? _rows;
    private bool _canRun;
    private bool _busy;
    private string? _message;
    private int _years;

    protected override async Task OnInitializedAsync()
    {
        _years = Options.Value.YearsAfterLeaving;
        _staff = await Current.GetAsync();
        _scope = _staff?.ScopeFor(StaffCapabilities.Retention);
        // The dry run reads every academy: trust admins only (a DSL sees their academy's figures).
        _canRun = _staff?.Roles.Contains(StaffRoles.TrustAdmin) == true && _scope?.Level == ScopeLevel.Trust;
        await LoadAsync();
    }

    private async Task LoadAsync() => _rows = _scope is null ? [] : await Runs.HandleAsync(_scope);

    private async Task DryRunAsync()
    {
        if (!_canRun || _staff is null) return;
        _busy = true;
        try
        {
            var run = await Purge.HandleAsync(dryRun: true, _staff.Actor);
            _message = run is null ? "A retention run is already in progress; try again in a minute." : $"Dry run done: {run.Pupils} leavers' records would be removed.";
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }
}
