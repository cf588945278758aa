using ConsentHub.Access;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Monitoring;
using ConsentHub.Takedowns;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace ConsentHub.Web.Components.Pages.Monitoring;

/// <summary>The list behind a dashboard figure, in the caller's scope; the use case audits each view.</summary>
public sealed partial class MonitoringDetailPage
{
    [Inject] private ListMonitoringDetail Details { get; set; } = default!;
    [Inject] private CurrentStaff Current { get; set; } = default!;
    [Inject] private IOptions<TakedownOptions> Takedowns { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "from")] public string? From { get; set; }
    [SupplyParameterFromQuery(Name = "to")] public string? To { get; set; }
    [SupplyParameterFromQuery(Name = "region")] public string? Region { get; set; }
    [SupplyParameterFromQuery(Name = "academy")] public string? Academy { get; set; }
    [SupplyParameterFromQuery(Name = "phase")] public string? Phase { get; set; }
    [SupplyParameterFromQuery(Name = "kind")] public string? Kind { get; set; }
    [SupplyParameterFromQuery(Name = "purpose")] public string? Purpose { get; set; }
    [SupplyParameterFromQuery(Name = "status")] public string? Status { get; set; }

    private MonitoringFilter _filter = new(DateOnly.MinValue, DateOnly.MinValue);
    private ListMonitoringDetail.Result? _result;
    private string? _problem;
    private bool _noScope;

    protected override async Task OnParametersSetAsync()
    {
        var staff = await Current.GetAsync();
        if (staff?.ScopeFor(StaffCapabilities.ViewReports) is not { } scope)
        {
            _noScope = true;
            return;
        }
        (_filter, _problem) = MonitoringLinks.Parse(From, To, Region, Academy, Phase, UkCalendar.DateOf(Clock.GetUtcNow()));
        if (_problem is not null) return;
        if (!Enum.TryParse<MonitoringDetail>(Kind, ignoreCase: false, out var detail) || !Enum.IsDefined(detail))
        {
            _problem = "There is no such list. Go back to the dashboard and choose a figure.";
            return;
        }
        ConsentStatus? status = null;
        if (detail == MonitoringDetail.Coverage)
        {
            if (string.IsNullOrWhiteSpace(Purpose) || !Enum.TryParse<ConsentStatus>(Status, ignoreCase: false, out var s) || !Enum.IsDefined(s))
            {
                _problem = "Choose a purpose and a status from the coverage table.";
                return;
            }
            status = s;
        }
        _result = await Details.HandleAsync(scope, _filter, detail, Purpose, status, Takedowns.Value.OverdueAfter);
    }
}
