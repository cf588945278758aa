using ConsentHub.Access;
using ConsentHub.Chasing;
using ConsentHub.Email;
using ConsentHub.Requests;
using ConsentHub.Trust;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;

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

    private async Task LoadAsync()
    {
        _groups = await Choices.GroupsAsync(_scope, _academyId);
        _page = await List.HandleAsync(_scope, _academyId, new ListOpenRequests.Filter(_group, _status, _delivery, _search, _sort));
        _selected.IntersectWith(_page.Rows.Select(r => r.RequestId));
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
