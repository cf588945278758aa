using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;

namespace ConsentHub.Web.Components.Pages.Overview;

public sealed partial class Overview
{
    [Inject] private CountConsentByAcademy Counts { get; set; } = default!;
    [Inject] private ListPupilsNeedingFollowUp FollowUps { get; set; } = default!;
    [Inject] private CurrentStaff Current { get; set; } = default!;
    [Inject] private IAuditLog Audit { get; set; } = default!;

    private static readonly ConsentStatus[] Statuses = [ConsentStatus.Allowed, ConsentStatus.NotAllowed, ConsentStatus.Pending, ConsentStatus.NotRequested];

    private sealed record PurposeTotal(string Name, Dictionary<ConsentStatus, int> Counts);

    private IReadOnlyList<CountConsentByAcademy.AcademyCounts>? _academies;
    private ListPupilsNeedingFollowUp.Result? _followUp;

    private IEnumerable<PurposeTotal> Totals => (_academies ?? [])
        .SelectMany(a => a.Purposes)
        .GroupBy(p => (p.PurposeKey, p.PurposeName))
        .Select(g => new PurposeTotal(g.Key.PurposeName, Statuses.ToDictionary(s => s, s => g.Sum(p => p.Counts.GetValueOrDefault(s)))));

    protected override async Task OnInitializedAsync()
    {
        var staff = await Current.GetAsync();
        if (staff?.ScopeFor(StaffCapabilities.ViewReports) is not { } scope)
        {
            _academies = [];
            return;
        }
        _academies = await Counts.HandleAsync(scope);
        if (scope.Level == ScopeLevel.Academy && _academies.Count == 1)
            _followUp = await FollowUps.HandleAsync(scope, _academies[0].AcademyId);
        Audit.RecordRead(new AuditEvent(scope.Level == ScopeLevel.Academy ? scope.Id : null, staff.Actor, "overview.viewed",
            Data: new Dictionary<string, object?> { ["academies"] = _academies.Count }));
    }

    internal static string Label(ConsentStatus status) => status switch
    {
        ConsentStatus.Allowed => "Allowed",
        ConsentStatus.NotAllowed => "Not allowed",
        ConsentStatus.Pending => "Waiting",
        _ => "Not asked",
    };

    private static string Colour(ConsentStatus status) => status switch
    {
        ConsentStatus.Allowed => "bg-success",
        ConsentStatus.NotAllowed => "bg-danger",
        ConsentStatus.Pending => "bg-warning",
        _ => "bg-secondary",
    };
}
