using ConsentHub.Access;
using ConsentHub.Chasing;
using ConsentHub.Requests;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;

namespace ConsentHub.Web.Components.Pages.Requests;

/// <summary>The office follow-up list at an academy, with "paper form sent", "phoned" and "resolved" recorded by name.</summary>
public sealed partial class FollowUps
{
    private static readonly FollowUpActionKind[] Kinds = [FollowUpActionKind.Phoned, FollowUpActionKind.PaperFormSent, FollowUpActionKind.Resolved];

    [Inject] private ListIssueChoices Choices { get; set; } = default!;
    [Inject] private ListFollowUps List { get; set; } = default!;
    [Inject] private RecordFollowUpAction Record { get; set; } = default!;
    [Inject] private CurrentStaff Current { get; set; } = default!;

    private readonly Dictionary<Guid, string?> _notes = [];
    private AccessScope _scope = AccessScope.Academy(Guid.Empty, "unknown");
    private IReadOnlyList<ListIssueChoices.AcademyChoice>? _academies;
    private Guid _academyId;
    private ListFollowUps.Page? _page;
    private string? _message;
    private bool _messageOk;
    private bool _busy;

    protected override async Task OnInitializedAsync()
    {
        var staff = await Current.GetAsync();
        _scope = staff?.ScopeFor(StaffCapabilities.ManagePupils) ?? AccessScope.Academy(Guid.Empty, staff?.Actor ?? "unknown");
        _academies = await Choices.AcademiesAsync(_scope);
        if (_academies.Count > 0)
        {
            // The home page links here with its academy; an academy outside the scope is ignored.
            _academyId = Guid.TryParse(AcademyQuery, out var asked) && _academies.Any(a => a.Id == asked) ? asked : _academies[0].Id;
            await LoadAsync();
        }
    }

    private string? NoteFor(Guid id) => _notes.GetValueOrDefault(id);

    private async Task AcademyChangedAsync(ChangeEventArgs e)
    {
        if (!Guid.TryParse(e.Value?.ToString(), out var id)) return;
        _academyId = id;
        _message = null;
        await LoadAsync();
    }

    [Inject] private TimeProvider Clock { get; set; } = default!;

    private DateTimeOffset _readAt;

    [SupplyParameterFromQuery(Name = "academy")] private string? AcademyQuery { get; set; }

    private async Task LoadAsync()
    {
        _page = await List.HandleAsync(_scope, _academyId);
        _readAt = Clock.GetUtcNow();
    }

    private async Task RecordAsync(ListFollowUps.Row row, FollowUpActionKind kind)
    {
        _busy = true;
        try
        {
            (_message, _messageOk) = await Record.HandleAsync(_scope, new RecordFollowUpAction.Request(row.FollowUpId, kind, NoteFor(row.FollowUpId))) switch
            {
                RecordFollowUpAction.Result.Recorded => ($"Recorded for {row.Party} ({row.PupilName}): {ListFollowUps.Describe(kind)}.", true),
                RecordFollowUpAction.Result.Invalid invalid => (invalid.Problem, false),
                _ => ("That follow-up was not found.", false),
            };
            if (_messageOk) _notes.Remove(row.FollowUpId);
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }
}
