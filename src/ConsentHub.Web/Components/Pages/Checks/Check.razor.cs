using ConsentHub.Access;
using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Requests;
using ConsentHub.Web.Components.Pages.Forms;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace ConsentHub.Web.Components.Pages.Checks;

public enum CheckMode
{
    Find = 0,
    Session = 1,
}

/// <summary>
/// The teacher's check on a phone: find a pupil as you type and open their card, or pick a class or year and a
/// purpose for a photo session. Scoped to one academy at a time (the teacher picks one when they have several).
/// The device remembers the last choices and recently checked pupils (ids only, per member of staff). An open card
/// or grid follows consent changes live.
/// </summary>
public sealed partial class Check : IDisposable
{
    [Inject] private ListIssueChoices Choices { get; set; } = null!;
    [Inject] private ConsentReferenceCache Reference { get; set; } = null!;
    [Inject] private CurrentStaff Current { get; set; } = null!;
    [Inject] private SearchCheckablePupils Search { get; set; } = null!;
    [Inject] private CheckPupil CheckPupil { get; set; } = null!;
    [Inject] private CheckSession Session { get; set; } = null!;
    [Inject] private ConsentChangeNotifications Changes { get; set; } = null!;
    [Inject] private CheckMemory Memory { get; set; } = null!;
    [Inject] private TimeProvider Clock { get; set; } = null!;
    [Inject] private IJSRuntime JS { get; set; } = null!;

    private sealed record PurposeChoice(string Key, string Name);

    private StaffContext? _staff;
    private List<ListIssueChoices.AcademyChoice>? _academies;
    private readonly Dictionary<Guid, AccessScope> _scopeOf = [];
    private IReadOnlyList<PurposeChoice> _purposes = [];
    private Guid _academyId;
    private CheckMode _mode;

    private string _query = "";
    private int _searchSequence;
    private int _gridSequence;
    private IReadOnlyList<CheckablePupil> _hits = [];
    private IReadOnlyList<CheckablePupil> _recent = [];
    private PupilCheckCard? _card;

    private ListIssueChoices.Groups? _groups;
    private string _who = "";
    private string _purpose = "";
    private CheckSession.Result? _grid;
    private DateTimeOffset? _gridUpdatedAt;
    private bool _onlyCannot;
    private bool _compact;
    private IReadOnlyList<LiveChange> _liveChanges = [];
    private IDisposable? _gridSubscription;
    private LiveRefresh? _gridRefresh;

    private CheckMemoryState _memory = CheckMemoryState.Empty;
    private bool _memoryRead;

    private AccessScope Scope => _scopeOf[_academyId];

    private string? PdfHref => _who.Length == 0 || _purpose.Length == 0 ? null
        : $"{PrintedLists.DoNotFeaturePath.TrimStart('/')}?academy={_academyId}&{_who}&purpose={Uri.EscapeDataString(_purpose)}";

    protected override async Task OnInitializedAsync()
    {
        _staff = await Current.GetAsync();
        if (_staff is null)
        {
            _academies = [];
            return;
        }
        var academies = new List<ListIssueChoices.AcademyChoice>();
        foreach (var scope in _staff.ScopesFor(StaffCapabilities.CheckConsent))
        {
            foreach (var a in await Choices.AcademiesAsync(scope))
            {
                if (_scopeOf.TryAdd(a.Id, scope)) academies.Add(a);
            }
        }
        _purposes = [.. (await Reference.GetAsync(CancellationToken.None)).Purposes.Select(p => new PurposeChoice(p.Facts.Key, p.Facts.Name))];
        _purpose = _purposes.Count > 0 ? _purposes[0].Key : "";
        var ordered = academies.OrderBy(a => a.Name, StringComparer.CurrentCulture).ToList();
        // The academies are set last: a render in between must not see them without their classes.
        if (ordered.Count > 0) await UseAcademyAsync(ordered[0].Id);
        _academies = ordered;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // Local storage needs the browser: never during prerendering, so only once interactive (after the first
        // render that has the academies: the very first may still be "Loading").
        if (_memoryRead || _staff is null || _academies is not { Count: > 0 } || _groups is null) return;
        _memoryRead = true;
        _memory = await Memory.ReadAsync(_staff.Actor);
        if (_memory.AcademyId is { } academy && academy != _academyId && _scopeOf.ContainsKey(academy)) await UseAcademyAsync(academy);
        if (_memory.PurposeKey is { } key && _purposes.Any(p => p.Key == key)) _purpose = key;
        if (_memory.Who is { } who && WhoOptions().Contains(who)) _who = who;
        _recent = await Search.ByIdsAsync(Scope, _academyId, _memory.RecentPupils);
        StateHasChanged();
    }

    private IEnumerable<string> WhoOptions() =>
        (_groups?.Classes.Select(c => "group=" + Uri.EscapeDataString(c.Name)) ?? [])
        .Concat(_groups?.Years.Select(y => "year=" + y.Value) ?? []);

    private async Task UseAcademyAsync(Guid academyId)
    {
        _academyId = academyId;
        _who = "";
        _grid = null;
        _card = null;
        _hits = [];
        _recent = [];
        _gridSubscription?.Dispose();
        _gridSubscription = null;
        _groups = await Choices.GroupsAsync(Scope, academyId);
    }

    private async Task AcademyChangedAsync(ChangeEventArgs e)
    {
        if (!Guid.TryParse(e.Value?.ToString(), out var id) || !_scopeOf.ContainsKey(id)) return;
        await UseAcademyAsync(id);
        await RememberAsync(_memory with { AcademyId = id, Who = null, RecentPupils = [] });
        if (_query.Length > 0) await SearchAsync();
    }

    private async Task SwitchModeAsync(CheckMode mode)
    {
        _mode = mode;
        if (mode == CheckMode.Session && _grid is null && _who.Length > 0) await LoadGridAsync("grid");
    }

    private async Task SearchAsync()
    {
        // A new query means another pupil is wanted: the open card goes at once, so one child's answer never
        // stays on screen under another child's search results.
        _card = null;
        var sequence = ++_searchSequence;
        var hits = await Search.HandleAsync(Scope, _academyId, _query);
        // Answers can come back out of order while someone types quickly: keep only the latest.
        if (sequence == _searchSequence) _hits = hits;
    }

    private async Task OpenAsync(Guid pupilId)
    {
        _card = await CheckPupil.HandleAsync([Scope], pupilId, "card");
        _query = "";
        _hits = [];
        if (_card is null) return;
        var memory = _memory.WithRecent(pupilId) with { AcademyId = _academyId };
        await RememberAsync(memory);
        _recent = await Search.ByIdsAsync(Scope, _academyId, memory.RecentPupils);
    }

    private async Task SessionChoiceChangedAsync()
    {
        await RememberAsync(_memory with { AcademyId = _academyId, Who = _who.Length == 0 ? null : _who, PurposeKey = _purpose });
        if (_who.Length == 0)
        {
            _gridSequence++;
            _grid = null;
            return;
        }
        await LoadGridAsync("grid");
    }

    private async Task LoadGridAsync(string via)
    {
        var request = RequestFor(_who, _purpose);
        if (request is null) return;
        var sequence = ++_gridSequence;
        var grid = await Session.HandleAsync(Scope, request, via);
        // A choice changed while this read ran (class, then purpose, quickly): only the latest read counts.
        if (sequence != _gridSequence) return;
        var now = Clock.GetUtcNow();
        _liveChanges = via == "live-update" && grid is not null && _grid is { } before && before.PurposeKey == grid.PurposeKey
            ? [.. LiveChange.Between(before, grid, now), .. _liveChanges.Where(c => now - c.At < LiveChange.ShownFor)]
            : [];
        _liveChanges = [.. _liveChanges.DistinctBy(c => c.PupilId).Take(5)];
        _grid = grid;
        _gridUpdatedAt = via == "live-update" ? Clock.GetUtcNow() : null;
        _gridRefresh ??= new LiveRefresh(() => InvokeAsync(async () =>
        {
            await LoadGridAsync("live-update");
            StateHasChanged();
        }));
        _gridSubscription ??= Changes.Subscribe(_academyId, change =>
        {
            if (_grid is { } g && change.Affects(_academyId, g.Pupils.Select(p => p.PupilId).ToList())) _gridRefresh.Request();
        });
    }

    private string RowClass(CheckSession.Row row) =>
        $"check-grid-row check-{CheckCardView.Css(row.Check.Answer)}" + (_liveChanges.Any(c => c.PupilId == row.PupilId) ? " check-just-changed" : "");

    private CheckSession.Request? RequestFor(string who, string purpose)
    {
        if (who.StartsWith("group=", StringComparison.Ordinal))
            return new CheckSession.Request(_academyId, purpose, RegistrationGroup: Uri.UnescapeDataString(who[6..]));
        if (who.StartsWith("year=", StringComparison.Ordinal) && int.TryParse(who[5..], System.Globalization.CultureInfo.InvariantCulture, out var year) && year is >= YearGroup.MinValue and <= YearGroup.MaxValue)
            return new CheckSession.Request(_academyId, purpose, YearGroup: new YearGroup(year));
        return null;
    }

    private async Task RememberAsync(CheckMemoryState memory)
    {
        _memory = memory;
        if (_staff is null || !_memoryRead) return;
        await Memory.SaveAsync(_staff.Actor, memory);
    }

    private async Task PrintAsync() => await JS.InvokeVoidAsync("consentHubChecks.print");

    public void Dispose()
    {
        _gridSubscription?.Dispose();
        _gridRefresh?.Dispose();
    }
}
