using System.Globalization;
using ConsentHub.Access;
using ConsentHub.Consent.Rules;
using ConsentHub.Monitoring;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;

namespace ConsentHub.Web.Components.Pages.Monitoring;

/// <summary>Ask for a board report, watch it build, download it; set the region's board dates.</summary>
public sealed partial class BoardReports : IDisposable
{
    [Inject] private RequestBoardReport Request { get; set; } = default!;
    [Inject] private ListBoardReports Reports { get; set; } = default!;
    [Inject] private LoadMonitoringFigures Figures { get; set; } = default!;
    [Inject] private SaveBoardMeetings Boards { get; set; } = default!;
    [Inject] private CurrentStaff Current { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;

    private sealed class Form
    {
        public string? Region { get; set; }
        public DateOnly From { get; set; }
        public DateOnly To { get; set; }
    }

    private readonly Form _form = new();
    private AccessScope? _scope;
    private IReadOnlyList<(Guid Id, string Name)> _regions = [];
    private IReadOnlyList<ListBoardReports.Row> _reports = [];
    private (Guid Id, string Name)? _boardRegion;
    private string _boardDates = "";
    private string? _message;
    private string? _boardMessage;
    private Timer? _poll;

    protected override async Task OnInitializedAsync()
    {
        var staff = await Current.GetAsync();
        _scope = staff?.ScopeFor(StaffCapabilities.ViewReports) ?? AccessScope.Academy(Guid.Empty, "anonymous");
        if (_scope.Level == ScopeLevel.Academy) return;
        var today = UkCalendar.DateOf(Clock.GetUtcNow());
        _form.From = SchoolTerms.Of(today).Start;
        _form.To = today;
        var academies = await Figures.AcademiesInScopeAsync(_scope);
        _regions = [.. academies.Select(a => (a.RegionId, a.RegionName)).Distinct().OrderBy(r => r.RegionName, StringComparer.Create(MonitoringDashboard.Uk, true))];
        if (_scope.Level == ScopeLevel.Region && _regions.Count > 0)
        {
            _boardRegion = _regions[0];
            _form.Region = _regions[0].Id.ToString();
            await LoadBoardsAsync();
        }
        await RefreshAsync();
    }

    private async Task LoadBoardsAsync()
    {
        if (_boardRegion is not { } r) return;
        var today = UkCalendar.DateOf(Clock.GetUtcNow());
        _boardDates = string.Join('\n', (await Boards.ListAsync(r.Id)).Where(m => m.Date >= today).Select(m => m.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
    }

    private async Task RefreshAsync()
    {
        if (_scope is null) return;
        _reports = await Reports.HandleAsync(_scope);
        var building = _reports.Any(r => r.Status is MonitoringReportStatus.Queued or MonitoringReportStatus.Running);
        if (building && _poll is null)
            _poll = new Timer(_ => InvokeAsync(async () => { await RefreshAsync(); StateHasChanged(); }), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        else if (!building && _poll is not null)
        {
            await _poll.DisposeAsync();
            _poll = null;
        }
    }

    private async Task RequestAsync()
    {
        if (_scope is null) return;
        _message = null;
        Guid? region = Guid.TryParse(_form.Region, CultureInfo.InvariantCulture, out var id) ? id : null;
        if (_scope.Level == ScopeLevel.Region) region = _scope.Id;
        switch (await Request.HandleAsync(_scope, new RequestBoardReport.Request(region, _form.From, _form.To)))
        {
            case RequestBoardReport.Result.Invalid invalid: _message = invalid.Message; break;
            case RequestBoardReport.Result.Denied: _message = "You can ask for your own region's report only."; break;
        }
        await RefreshAsync();
    }

    private async Task SaveBoardsAsync()
    {
        if (_scope is null || _boardRegion is not { } r) return;
        var dates = new List<DateOnly>();
        foreach (var line in _boardDates.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!DateOnly.TryParseExact(line, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                _boardMessage = $"“{line}” is not a date written as year-month-day, e.g. 2027-01-20. Nothing was saved.";
                return;
            }
            dates.Add(d);
        }
        _boardMessage = await Boards.HandleAsync(_scope, r.Id, dates) ?? "Board dates saved.";
        await LoadBoardsAsync();
    }

    public void Dispose() => _poll?.Dispose();
}
