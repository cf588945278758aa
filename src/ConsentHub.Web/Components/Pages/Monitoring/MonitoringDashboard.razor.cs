using System.Globalization;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Monitoring;
using ConsentHub.Takedowns;
using ConsentHub.Trust;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace ConsentHub.Web.Components.Pages.Monitoring;

/// <summary>
/// The dashboard headteachers, regional directors and the trust open before a board: each sees their own scope
/// (academy, region, trust), narrowed by the filter in the URL. Viewing is audited with the filter, never names.
/// </summary>
public sealed partial class MonitoringDashboard
{
    [Inject] private LoadMonitoringFigures Figures { get; set; } = default!;
    [Inject] private CurrentStaff Current { get; set; } = default!;
    [Inject] private IAuditLog Audit { get; set; } = default!;
    [Inject] private IOptions<TakedownOptions> Takedowns { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "from")] public string? From { get; set; }
    [SupplyParameterFromQuery(Name = "to")] public string? To { get; set; }
    [SupplyParameterFromQuery(Name = "region")] public string? Region { get; set; }
    [SupplyParameterFromQuery(Name = "academy")] public string? Academy { get; set; }
    [SupplyParameterFromQuery(Name = "phase")] public string? Phase { get; set; }

    internal static readonly CultureInfo Uk = CultureInfo.GetCultureInfo("en-GB");
    private static readonly ConsentStatus[] Statuses = [ConsentStatus.Allowed, ConsentStatus.NotAllowed, ConsentStatus.Pending, ConsentStatus.NotRequested];

    private MonitoringFilter Filter { get; set; } = new(DateOnly.MinValue, DateOnly.MinValue);
    private MonitoringFigures? _figures;
    private MonitoringFigures? _previous;
    private IReadOnlyList<ScopedAcademy> _academies = [];
    private string? _problem;
    private bool _noScope;
    private AccessScope? _scope;
    private StaffContext? _staff;

    private IReadOnlyList<(Guid Id, string Name)> Regions => [.. _academies.Select(a => (a.RegionId, a.RegionName)).Distinct().OrderBy(r => r.RegionName, StringComparer.Create(Uk, true))];

    private string ScopeName => _scope?.Level switch
    {
        ScopeLevel.Trust => "The trust",
        ScopeLevel.Region => _academies.Count > 0 ? _academies[0].RegionName : "Your region",
        _ => _academies.Count > 0 ? _academies[0].Name : "Your academy",
    };

    private bool CanRequestReport => _staff?.ScopeFor(StaffCapabilities.ViewReports) is { Level: not ScopeLevel.Academy };

    protected override async Task OnParametersSetAsync()
    {
        _staff = await Current.GetAsync();
        _scope = _staff?.ScopeFor(StaffCapabilities.ViewReports);
        if (_scope is null)
        {
            _noScope = true;
            return;
        }
        (Filter, _problem) = MonitoringLinks.Parse(From, To, Region, Academy, Phase, UkCalendar.DateOf(Clock.GetUtcNow()));
        _academies = await Figures.AcademiesInScopeAsync(_scope);
        _figures = await Figures.HandleAsync(_scope, Filter, Takedowns.Value.OverdueAfter);
        _previous = await Figures.HandleAsync(_scope, Filter.Previous(), Takedowns.Value.OverdueAfter);
        Audit.RecordRead(new AuditEvent(_scope.Level == ScopeLevel.Academy ? _scope.Id : null, _scope.Actor, "monitoring.viewed",
            Data: new Dictionary<string, object?>
            {
                ["from"] = Filter.From.ToString("O", CultureInfo.InvariantCulture),
                ["to"] = Filter.To.ToString("O", CultureInfo.InvariantCulture),
                ["region"] = Filter.RegionId?.ToString(),
                ["academy"] = Filter.AcademyId?.ToString(),
                ["phase"] = Filter.Phase?.ToString(),
                ["academies"] = _figures.Academies.Count,
            }));
    }

    private static int Count(CoverageCounts p, ConsentStatus s) => s switch
    {
        ConsentStatus.Allowed => p.Allowed,
        ConsentStatus.NotAllowed => p.NotAllowed,
        ConsentStatus.Pending => p.Pending,
        _ => p.NotRequested,
    };

    internal static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    internal static string Hours(double? hours) => hours switch
    {
        null => "–",
        < 48 => hours.Value.ToString("0.#", CultureInfo.InvariantCulture) + " h",
        _ => (hours.Value / 24).ToString("0.#", CultureInfo.InvariantCulture) + " days",
    };

    internal static string Days(double? days) => days is null ? "–" : days.Value.ToString("0.#", CultureInfo.InvariantCulture) + " days";

    private string Change(CoverageCounts p)
    {
        var before = _previous?.Coverage.Latest?.Purposes.FirstOrDefault(x => x.PurposeId == p.PurposeId);
        if (before is null) return "–";
        var points = (p.AllowedShare - before.AllowedShare) * 100;
        return (points >= 0 ? "+" : "−") + Math.Abs(points).ToString("0.#", CultureInfo.InvariantCulture) + " pts allowed";
    }

    private static string Delta(int now, int? before) => before is null ? "" : now == before ? "(no change)" : $"({(now > before ? "+" : "−")}{Math.Abs(now - before.Value)} on the previous period)";

    internal static string PhaseName(AcademyPhase phase) => phase switch
    {
        AcademyPhase.AllThrough => "All-through",
        AcademyPhase.AlternativeProvision => "Alternative provision",
        _ => phase.ToString(),
    };
}
