using ConsentHub.Access;
using ConsentHub.Consent.Rules;
using ConsentHub.Email;
using ConsentHub.Pupils;
using ConsentHub.Requests;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;

namespace ConsentHub.Web.Components.Pages.Requests;

/// <summary>
/// Office staff choose a form version, an audience, a deadline and delivery; Preview shows the counts and the pupils
/// nobody can be asked for; Issue writes the requests and queues the emails, then the outbox is drained at once.
/// Any change to the choices needs a new preview before issuing.
/// </summary>
public sealed partial class IssueRequests
{
    private static readonly (AudienceKind Kind, string Label)[] Kinds =
    [
        (AudienceKind.WholeAcademy, "The whole academy"),
        (AudienceKind.YearGroups, "Year groups"),
        (AudienceKind.RegistrationGroups, "Classes (registration groups)"),
        (AudienceKind.ChosenPupils, "Chosen pupils"),
        (AudienceKind.NewStarters, "New starters since a date"),
    ];

    [Inject] private ListIssueChoices Choices { get; set; } = default!;
    [Inject] private PreviewConsentRequests Preview { get; set; } = default!;
    [Inject] private IssueConsentRequests Issue { get; set; } = default!;
    [Inject] private SearchPupils Search { get; set; } = default!;
    [Inject] private CurrentStaff Current { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    // Resolved only after an issue has written mail, not for every visit.
    [Inject] private IServiceProvider Services { get; set; } = default!;

    private AccessScope _scope = AccessScope.Academy(Guid.Empty, "unknown");
    private IReadOnlyList<ListIssueChoices.AcademyChoice>? _academies;
    private IReadOnlyList<ListIssueChoices.FormChoice> _forms = [];
    private ListIssueChoices.Groups _groups = new([], []);
    private Guid _academyId;
    private Guid _formId;
    private AudienceKind _kind = AudienceKind.WholeAcademy;
    private readonly HashSet<int> _years = [];
    private readonly HashSet<string> _classes = new(StringComparer.Ordinal);
    private readonly List<SearchPupils.Hit> _chosen = [];
    private IReadOnlyList<SearchPupils.Hit> _hits = [];
    private string _search = "";
    private DateOnly? _since;
    private DateOnly? _deadline;
    private IssueDelivery _delivery = IssueDelivery.EmailWherePossible;
    private IssuePreview? _preview;
    private IssueConsentRequests.Summary? _summary;
    private IReadOnlyDictionary<string, string[]> _errors = new Dictionary<string, string[]>();
    private bool _busy;

    protected override async Task OnInitializedAsync()
    {
        var staff = await Current.GetAsync();
        _scope = staff?.ScopeFor(StaffCapabilities.ManagePupils) ?? AccessScope.Academy(Guid.Empty, staff?.Actor ?? "unknown");
        _deadline = UkCalendar.DateOf(Clock.GetUtcNow()).AddDays(14);
        _forms = await Choices.FormVersionsAsync();
        _formId = _forms.Count > 0 ? _forms[0].Id : Guid.Empty;
        _academies = await Choices.AcademiesAsync(_scope);
        if (_academies.Count > 0) await SelectAcademyAsync(_academies[0].Id);
    }

    private async Task SelectAcademyAsync(Guid id)
    {
        _academyId = id;
        _years.Clear();
        _classes.Clear();
        _chosen.Clear();
        _hits = [];
        _groups = await Choices.GroupsAsync(_scope, id);
        Changed();
    }

    private async Task AcademyChangedAsync(ChangeEventArgs e)
    {
        if (Guid.TryParse(e.Value?.ToString(), out var id)) await SelectAcademyAsync(id);
    }

    private void FormChanged(ChangeEventArgs e)
    {
        if (Guid.TryParse(e.Value?.ToString(), out var id)) _formId = id;
        Changed();
    }

    private void KindChanged(AudienceKind kind)
    {
        _kind = kind;
        Changed();
    }

    private void Toggle<T>(HashSet<T> set, T value, ChangeEventArgs e)
    {
        if (e.Value is true) set.Add(value);
        else set.Remove(value);
        Changed();
    }

    private void SinceChanged(ChangeEventArgs e)
    {
        _since = DateOnly.TryParse(e.Value?.ToString(), System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : null;
        Changed();
    }

    private void DeadlineChanged(ChangeEventArgs e)
    {
        _deadline = DateOnly.TryParse(e.Value?.ToString(), System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : null;
        Changed();
    }

    private void DeliveryChanged(IssueDelivery delivery)
    {
        _delivery = delivery;
        Changed();
    }

    private async Task SearchAsync(ChangeEventArgs e)
    {
        _search = e.Value?.ToString() ?? "";
        var hits = await Search.HandleAsync(_scope, _search);
        _hits = [.. hits.Where(h => h.AcademyId == _academyId && _chosen.All(c => c.PupilId != h.PupilId))];
    }

    private void Choose(SearchPupils.Hit hit)
    {
        if (_chosen.All(c => c.PupilId != hit.PupilId)) _chosen.Add(hit);
        _hits = [.. _hits.Where(h => h.PupilId != hit.PupilId)];
        Changed();
    }

    private void Unchoose(Guid pupilId)
    {
        _chosen.RemoveAll(c => c.PupilId == pupilId);
        Changed();
    }

    /// <summary>A preview is for exactly the choices it was made with.</summary>
    private void Changed()
    {
        _preview = null;
        _errors = new Dictionary<string, string[]>();
    }

    private IssueConsentRequests.Request? BuildRequest()
    {
        if (_deadline is null)
        {
            _errors = new Dictionary<string, string[]> { ["deadline"] = ["Enter the date by which to answer."] };
            return null;
        }
        var audience = _kind switch
        {
            AudienceKind.YearGroups => IssueAudience.Years([.. _years.Order()]),
            AudienceKind.RegistrationGroups => IssueAudience.Classes([.. _classes.Order(StringComparer.Ordinal)]),
            AudienceKind.ChosenPupils => IssueAudience.Chosen([.. _chosen.Select(c => c.PupilId)]),
            AudienceKind.NewStarters => new IssueAudience(AudienceKind.NewStarters, StartedSince: _since),
            _ => IssueAudience.WholeAcademy,
        };
        return new IssueConsentRequests.Request(_academyId, _formId, audience, _deadline.Value, _delivery);
    }

    private async Task PreviewAsync()
    {
        if (BuildRequest() is not { } request) return;
        _busy = true;
        try
        {
            switch (await Preview.HandleAsync(_scope, request))
            {
                case PreviewConsentRequests.Result.Previewed previewed:
                    _preview = previewed.Preview;
                    _errors = new Dictionary<string, string[]>();
                    break;
                case PreviewConsentRequests.Result.Invalid invalid:
                    _preview = null;
                    _errors = invalid.Errors;
                    break;
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task IssueAsync()
    {
        if (_preview is null || BuildRequest() is not { } request) return;
        _busy = true;
        try
        {
            switch (await Issue.HandleAsync(_scope, request))
            {
                case IssueConsentRequests.Result.Issued issued:
                    _summary = issued.Summary;
                    if (issued.Summary.EmailsQueued > 0) Services.GetRequiredService<RequestOutboxDrain>().Now();
                    break;
                case IssueConsentRequests.Result.Invalid invalid:
                    _errors = invalid.Errors;
                    _preview = null;
                    break;
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private void StartAgain()
    {
        _summary = null;
        _chosen.Clear();
        Changed();
    }
}
