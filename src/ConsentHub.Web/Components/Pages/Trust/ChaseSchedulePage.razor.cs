using System.Globalization;
using ConsentHub.Access;
using ConsentHub.Chasing;
using ConsentHub.Trust;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;

namespace ConsentHub.Web.Components.Pages.Trust;

/// <summary>The trust's reminder schedule, quiet hours and follow-up delay.</summary>
public sealed partial class ChaseSchedulePage
{
    [Inject] private ReadChaseSettings Read { get; set; } = default!;
    [Inject] private SaveChaseSettings Save { get; set; } = default!;
    [Inject] private CurrentStaff Current { get; set; } = default!;

    private ChaseSettings? _current;
    private string _offsets = "";
    private ChaseAnchor _anchor;
    private TimeOnly _quietFrom;
    private TimeOnly _quietUntil;
    private bool _skipWeekends;
    private int _followUpAfterDays;
    private IReadOnlyList<string>? _errors;
    private string? _saved;

    protected override async Task OnInitializedAsync() => Show(await Read.HandleAsync());

    private void Show(ChaseSettings s)
    {
        _current = s;
        _offsets = string.Join(", ", s.OrderedOffsets());
        (_anchor, _quietFrom, _quietUntil, _skipWeekends, _followUpAfterDays) = (s.Anchor, s.QuietFrom, s.QuietUntil, s.SkipWeekends, s.FollowUpAfterDays);
    }

    private async Task SaveAsync()
    {
        _saved = null;
        var parts = _offsets.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries);
        var days = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var d))
            {
                _errors = [$"'{part}' is not a number of days."];
                return;
            }
            days.Add(d);
        }
        var staff = await Current.GetAsync();
        var scope = staff?.ScopeFor(StaffCapabilities.TrustSetup) ?? AccessScope.Academy(Guid.Empty, staff?.Actor ?? "unknown");
        var settings = new ChaseSettings(_anchor, days, _quietFrom, _quietUntil, _skipWeekends, _followUpAfterDays);
        switch (await Save.HandleAsync(scope, settings))
        {
            case SaveChaseSettings.Result.Saved:
                _errors = null;
                Show(await Read.HandleAsync());
                _saved = "Saved. The next chase run uses the new schedule.";
                break;
            case SaveChaseSettings.Result.Invalid invalid:
                _errors = [.. invalid.Errors.SelectMany(e => e.Value)];
                break;
            default:
                _errors = ["Only trust-wide staff can change the reminder schedule."];
                break;
        }
    }
}
