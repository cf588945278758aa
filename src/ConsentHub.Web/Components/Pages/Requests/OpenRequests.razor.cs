using ConsentHub.Access;
using ConsentHub.Chasing;
using ConsentHub.Consent.Rules;
using ConsentHub.Email;
using ConsentHub.Requests;
using ConsentHub.Signing;
using ConsentHub.Text;
using ConsentHub.Trust;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace ConsentHub.Web.Components.Pages.Requests;

/// <summary>
/// The open requests at an academy: filtered by class, status and how they were sent, searched by pupil or code,
/// sorted; a new link for someone who lost the email (the old link stops working); the forms of a selection printed
/// at once; reminders sent now after a confirmation. The home page's figures link here with their filter in the query.
/// </summary>
public sealed partial class OpenRequests
{
    /// <summary>The most forms one selection prints here (a link carries their ids); a class pack has no limit.</summary>
    private const int MaxPrint = 100;

    [Inject] private ListIssueChoices Choices { get; set; } = default!;
    [Inject] private ListOpenRequests List { get; set; } = default!;
    [Inject] private SendNewSigningLink NewLink { get; set; } = default!;
    [Inject] private CurrentStaff Current { get; set; } = default!;
    [Inject] private IServiceProvider Services { get; set; } = default!;
    [Inject] private ChaseAcademyNow ChaseNow { get; set; } = default!;
    [Inject] private ReadChaseSettings ChaseSettings { get; set; } = default!;
    [Inject] private ReissueExpiredRequests Reissue { get; set; } = default!;
    [Inject] private IOptions<SigningOptions> Signing { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "academy")] private string? AcademyQuery { get; set; }
    [SupplyParameterFromQuery(Name = "status")] private string? StatusQuery { get; set; }
    [SupplyParameterFromQuery(Name = "delivery")] private string? DeliveryQuery { get; set; }
    [SupplyParameterFromQuery(Name = "class")] private string? ClassQuery { get; set; }
    [SupplyParameterFromQuery(Name = "q")] private string? SearchQuery { get; set; }

    private string _schedule = "";

    private AccessScope _scope = AccessScope.Academy(Guid.Empty, "unknown");
    private IReadOnlyList<ListIssueChoices.AcademyChoice>? _academies;
    private ListIssueChoices.Groups? _groups;
    private Guid _academyId;
    private string _group = "";
    private ListOpenRequests.StatusFilter _status;
    private OpenRequestDelivery? _delivery;
    private string _search = "";
    private ListOpenRequests.SortOrder _sort;
    private readonly HashSet<Guid> _selected = [];
    private ListOpenRequests.Page? _page;
    private string? _message;
    private bool _messageOk;
    private bool _busy;
    private bool _confirmChase;
    private bool _confirmReissue;

    protected override async Task OnInitializedAsync()
    {
        var staff = await Current.GetAsync();
        _scope = staff?.ScopeFor(StaffCapabilities.ManagePupils) ?? AccessScope.Academy(Guid.Empty, staff?.Actor ?? "unknown");
        _academies = await Choices.AcademiesAsync(_scope);
        _schedule = (await ChaseSettings.HandleAsync()).Describe();
        // The query (from the home page's figures) chooses the first view; anything unknown in it is ignored.
        _status = StatusQuery?.ToLowerInvariant() switch
        {
            "waiting" => ListOpenRequests.StatusFilter.Waiting,
            "expired" => ListOpenRequests.StatusFilter.Expired,
            _ => ListOpenRequests.StatusFilter.All,
        };
        _delivery = DeliveryQuery?.ToLowerInvariant() switch
        {
            "email" => OpenRequestDelivery.Email,
            "paper" => OpenRequestDelivery.Paper,
            "failing" => OpenRequestDelivery.EmailFailing,
            _ => null,
        };
        _group = ClassQuery?.Trim() ?? "";
        _search = SearchQuery?.Trim() ?? "";
        if (_academies.Count > 0)
        {
            _academyId = Guid.TryParse(AcademyQuery, out var asked) && _academies.Any(a => a.Id == asked) ? asked : _academies[0].Id;
            await LoadAsync();
        }
    }

    private async Task AcademyChangedAsync(ChangeEventArgs e)
    {
        if (!Guid.TryParse(e.Value?.ToString(), out var id)) return;
        _academyId = id;
        _group = "";
        _message = null;
        await LoadAsync();
    }

    private async Task FilterAsync(Action change)
    {
        change();
        await LoadAsync();
    }

    private int _loads;

    /// <summary>
    /// Reads the list for the filters as they are now. Filters changed quickly start loads that overlap: only the
    /// latest one's answer is shown, so a slower earlier load can never put back rows the newer filter excludes.
    /// </summary>
    private async Task LoadAsync()
    {
        var load = ++_loads;
        var academyId = _academyId;
        var filter = new ListOpenRequests.Filter(_group, _status, _delivery, _search, _sort);
        var groups = await Choices.GroupsAsync(_scope, academyId);
        var page = await List.HandleAsync(_scope, academyId, filter);
        if (load != _loads) return;
        (_groups, _page) = (groups, page);
        _selected.IntersectWith(page.Rows.Select(r => r.RequestId));
    }

    /// <summary>The classes by year group, youngest first; a class whose pupils span years sits under its first.</summary>
    private IEnumerable<IGrouping<string, string>> ClassesByYear() =>
        (_groups?.Classes ?? []).GroupBy(c => c.YearName, c => c.Name);

    private void Select(Guid id, ChangeEventArgs e)
    {
        if (e.Value is true) _selected.Add(id);
        else _selected.Remove(id);
    }

    private void SelectAll(ChangeEventArgs e)
    {
        _selected.Clear();
        if (e.Value is true && _page is { } list) _selected.UnionWith(list.Rows.Select(r => r.RequestId));
    }

    private List<Guid> PrintableSelection => _page is { } list ? [.. list.Rows.Where(r => !r.Expired && _selected.Contains(r.RequestId)).Select(r => r.RequestId)] : [];

    /// <summary>Selected expired requests whose party has a working email: what "Send a new link" renews.</summary>
    private List<Guid> ExpiredSelection => _page is { } list ? [.. list.Rows.Where(r => r.Expired && r.CanEmail && _selected.Contains(r.RequestId)).Select(r => r.RequestId)] : [];

    private int ExpiredWithoutEmail => _page is { } list ? list.Rows.Count(r => r.Expired && !r.CanEmail && _selected.Contains(r.RequestId)) : 0;

    private int ReissueDays => Signing.Value.ReissueDeadlineDays;

    private string PrintLink => "forms/requests.pdf?ids=" + string.Join(',', PrintableSelection);

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
            _confirmChase = false;
        }
    }

    private async Task ReissueAsync()
    {
        if (_busy) return;
        _busy = true;
        try
        {
            var chosen = ExpiredSelection;
            (_message, _messageOk) = await Reissue.HandleAsync(_scope, chosen) switch
            {
                ReissueExpiredRequests.Result.Done { Summary: var s } => (Describe(s), s.Sent > 0),
                ReissueExpiredRequests.Result.Invalid bad => (bad.Problem, false),
                _ => ("Nothing was sent.", false),
            };
            if (_messageOk) Services.GetRequiredService<RequestOutboxDrain>().Now();
            _selected.ExceptWith(chosen);
            await LoadAsync();
        }
        finally
        {
            _busy = false;
            _confirmReissue = false;
        }
    }

    /// <summary>What a renewal did, in words: how many were sent and with what deadline, and why any were not.</summary>
    internal static string Describe(ReissueExpiredRequests.Summary s)
    {
        var parts = new List<string>();
        if (s.Sent > 0)
        {
            parts.Add($"{Plural.Of(s.Sent, "new link was", "new links were")} emailed; {(s.Sent == 1 ? "its" : "their")} deadline is {UkCalendar.Format(s.Deadline)} and the old {Plural.Word(s.Sent, "link stays", "links stay")} closed.");
        }
        else
        {
            parts.Add("No new links were sent.");
        }
        if (s.NotExpired > 0) parts.Add($"{Plural.Of(s.NotExpired, "request was", "requests were")} no longer expired (already renewed or answered) and {Plural.Word(s.NotExpired, "was", "were")} left alone.");
        if (s.NoEmail > 0) parts.Add($"{Plural.Of(s.NoEmail, "request has", "requests have")} no working email address: update it or issue a paper form.");
        if (s.NotFound > 0) parts.Add($"{Plural.Of(s.NotFound, "request was", "requests were")} not found.");
        return string.Join(" ", parts);
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
