using System.Security.Claims;
using ConsentHub.Access;
using ConsentHub.Pupils;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Handler = ConsentHub.Pupils.ImportPupils;

namespace ConsentHub.Web.Components.Pages.Pupils;

/// <summary>
/// Upload an MIS export: the file is read with a progress bar, checked and dry-run at once (adds, changes,
/// leavers, rejected rows), and written only when the user presses Import.
/// </summary>
public partial class ImportPupils
{
    /// <summary>Rows listed per table; the counts above them are complete.</summary>
    private const int Shown = 200;

    private IReadOnlyList<ListImportAcademies.Item> _academies = [];
    private Guid _academyId;
    // "New and changed pupils only" unless a full import is chosen: a new-starters file imported as full marks everyone else as left.
    private bool _full;
    private string? _confirmLeavers;
    private bool _busy;
    private int? _progress;
    private string _stage = "";
    private string? _problem;
    private string? _fileName;
    private PupilImportData? _data;
    private Handler.Result.Report? _report;
    private AccessScope _scope = AccessScope.Academy(Guid.Empty, "unknown");

    [Inject] private ConsentHub.Rollover.RequestRollover Rollover { get; set; } = default!;
    [Inject] private Handler Import { get; set; } = null!;
    [Inject] private ListImportAcademies Academies { get; set; } = null!;
    [Inject] private TimeProvider Clock { get; set; } = null!;
    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    protected override async Task OnInitializedAsync()
    {
        var user = AuthenticationState is null ? new ClaimsPrincipal() : (await AuthenticationState).User;
        _scope = ScopeOf(user);
        _academies = await Academies.HandleAsync(_scope);
        _academyId = _academies.Count > 0 ? _academies[0].Id : Guid.Empty;
    }

    /// <summary>
    /// The broadest scope in which the user may manage pupils (a trust administrator: every academy; office staff:
    /// their academy). Anyone else sees no academies.
    /// </summary>
    internal static AccessScope ScopeOf(ClaimsPrincipal user) =>
        StaffClaims.ScopesFor(user, StaffCapabilities.ManagePupils) is { Count: > 0 } scopes
            ? scopes[0]
            : AccessScope.Academy(Guid.Empty, StaffClaims.ActorOf(user));

    private async Task AcademyChanged(ChangeEventArgs e)
    {
        if (Guid.TryParse(e.Value?.ToString(), out var id)) _academyId = id;
        await CheckAgainAsync();
    }

    private async Task KindChanged(bool full)
    {
        _full = full;
        await CheckAgainAsync();
    }

    /// <summary>The dry run is for one academy and kind of import; a change of either needs a new one.</summary>
    private async Task CheckAgainAsync()
    {
        if (_data is null || _report is { Committed: true }) return;
        await DryRunAsync();
    }

    private async Task FileChosen(InputFileChangeEventArgs e)
    {
        _problem = null;
        _report = null;
        _data = null;
        _fileName = e.File.Name;
        if (e.File.Size > ReadPupilImportFile.MaxBytes)
        {
            _problem = ReadPupilImportFile.TooLarge;
            return;
        }
        _busy = true;
        try
        {
            var bytes = new byte[e.File.Size];
            _stage = "Reading";
            _progress = 0;
            await using (var stream = e.File.OpenReadStream(ReadPupilImportFile.MaxBytes))
            {
                var read = 0;
                var lastShown = -1;
                int n;
                while (read < bytes.Length && (n = await stream.ReadAsync(bytes.AsMemory(read))) > 0)
                {
                    read += n;
                    var percent = (int)(100L * read / Math.Max(1, bytes.Length));
                    if (percent >= lastShown + 5)
                    {
                        lastShown = percent;
                        _progress = percent;
                        StateHasChanged();
                    }
                }
            }
            _stage = "Checking";
            _progress = 100;
            StateHasChanged();
            var today = DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);
            var name = e.File.Name;
            _data = await Task.Run(async () =>
            {
                await using var memory = new MemoryStream(bytes, writable: false);
                return await ReadPupilImportFile.ReadAsync(memory, name, today);
            });
            if (_data.Problem is not null)
            {
                _problem = _data.Problem;
                _data = null;
                return;
            }
            await DryRunAsync();
        }
        catch (IOException)
        {
            _problem = "The file could not be read from your computer. Try again, or save it again from the MIS.";
        }
        finally
        {
            _busy = false;
            _progress = null;
        }
    }

    private async Task DryRunAsync()
    {
        if (_data is null) return;
        _busy = true;
        try
        {
            _report = null;
            _problem = null;
            _confirmLeavers = null;
            switch (await Import.HandleAsync(_scope, new Handler.Request(_academyId, _data, _full, DryRun: true)))
            {
                case Handler.Result.Report report:
                    _report = report;
                    break;
                case Handler.Result.Invalid invalid:
                    _problem = invalid.Problem;
                    break;
                default:
                    _problem = "Choose an academy you may import into.";
                    break;
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task CommitAsync()
    {
        if (_data is null) return;
        _busy = true;
        try
        {
            var result = await Import.HandleAsync(_scope, new Handler.Request(_academyId, _data, _full, DryRun: false, ConfirmedLeavers: TypedLeavers()));
            Rollover.AfterImport(result, _academyId, _scope.Actor);
            if (result is Handler.Result.Report report) _report = report;
            else _problem = "The import could not be written. Check the file again.";
            _academies = await Academies.HandleAsync(_scope);
        }
        finally
        {
            _busy = false;
        }
    }

    private int? TypedLeavers() =>
        int.TryParse(_confirmLeavers?.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    private bool LeaversConfirmed(Handler.Result.Report r) => !r.LeaversNeedConfirmation || TypedLeavers() == r.Leavers.Count;

    private static string LeaverShare(Handler.Result.Report r) =>
        r.OnRoll == 0 ? "all" : (r.Leavers.Count / (double)r.OnRoll).ToString("0%", System.Globalization.CultureInfo.InvariantCulture);

    private static string Headline(Handler.Result.Report r) => r switch
    {
        { Committed: true } => "Imported",
        { Rejected.Count: > 0 } => "Nothing can be imported until the rejected rows are fixed",
        { LeaversNeedConfirmation: true } => "Check the leavers before importing",
        { NothingToChange: true } => "Nothing to change: ConsentHub already matches this file",
        _ => "Check the changes, then import",
    };
}
