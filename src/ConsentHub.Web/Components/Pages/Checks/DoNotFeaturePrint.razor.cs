using ConsentHub.Access;
using ConsentHub.Checks;
using ConsentHub.Requests;
using ConsentHub.Web.Components.Pages.Forms;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;

namespace ConsentHub.Web.Components.Pages.Checks;

/// <summary>Picks an academy, a class or year and a purpose, and links to the printable list; the endpoint does the rest.</summary>
public sealed partial class DoNotFeaturePrint
{
    [Inject] private ListIssueChoices Choices { get; set; } = default!;
    [Inject] private ConsentReferenceCache Reference { get; set; } = default!;
    [Inject] private CurrentStaff Current { get; set; } = default!;

    private sealed record PurposeChoice(string Key, string Name);

    private AccessScope? _scope;
    private IReadOnlyList<ListIssueChoices.AcademyChoice>? _academies;
    private ListIssueChoices.Groups? _groups;
    private IReadOnlyList<PurposeChoice> _purposes = [];
    private Guid _academyId;
    private string _who = "";
    private string _purpose = "";

    private string? Href => _who.Length == 0 || _purpose.Length == 0 ? null
        : $"{PrintedLists.DoNotFeaturePath.TrimStart('/')}?academy={_academyId}&{_who}&purpose={Uri.EscapeDataString(_purpose)}";

    protected override async Task OnInitializedAsync()
    {
        _scope = (await Current.GetAsync())?.ScopeFor(StaffCapabilities.CheckConsent);
        if (_scope is null)
        {
            _academies = [];
            return;
        }
        _purposes = [.. (await Reference.GetAsync(CancellationToken.None)).Purposes.Select(p => new PurposeChoice(p.Facts.Key, p.Facts.Name))];
        _purpose = _purposes.Count > 0 ? _purposes[0].Key : "";
        _academies = await Choices.AcademiesAsync(_scope);
        if (_academies.Count > 0) await LoadGroupsAsync(_academies[0].Id);
    }

    private async Task AcademyChangedAsync(ChangeEventArgs e)
    {
        if (Guid.TryParse(e.Value?.ToString(), out var id)) await LoadGroupsAsync(id);
    }

    private async Task LoadGroupsAsync(Guid academyId)
    {
        _academyId = academyId;
        _who = "";
        _groups = await Choices.GroupsAsync(_scope!, academyId);
    }
}
