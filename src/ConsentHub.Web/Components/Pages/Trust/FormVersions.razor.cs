using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Consent.FormVersions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace ConsentHub.Web.Components.Pages.Trust;

public sealed partial class FormVersions
{
    [Inject] private ListFormVersions List { get; set; } = default!;
    [Inject] private StartFormVersion Start { get; set; } = default!;
    [Inject] private SaveFormWording Save { get; set; } = default!;
    [Inject] private PublishFormVersion Publish { get; set; } = default!;
    [Inject] private ConsentReferenceCache Reference { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    private sealed record PurposeItem(Guid Id, string Key, string Name);

    private sealed record Feedback(bool Ok, string Message);

    private IReadOnlyList<ListFormVersions.Row>? _versions;
    private ListFormVersions.Row? _selected;
    private IReadOnlyList<PurposeItem> _purposes = [];
    private readonly Dictionary<string, string> _texts = [];
    private readonly Dictionary<string, Feedback> _feedback = [];
    private readonly SortedSet<string> _extraLanguages = new(StringComparer.Ordinal);
    private string _language = PublishFormVersion.RequiredLanguage;
    private string? _newLanguage;
    private IReadOnlyList<string>? _missing;
    private string? _published;

    private IEnumerable<string> Languages =>
        new[] { PublishFormVersion.RequiredLanguage }.Concat(_extraLanguages).Distinct(StringComparer.Ordinal);

    protected override async Task OnInitializedAsync()
    {
        var reference = await Reference.GetAsync(CancellationToken.None);
        _purposes = [.. reference.Purposes.Select(p => new PurposeItem(p.Id, p.Facts.Key, p.Facts.Name))];
        _versions = await List.HandleAsync();
        if (_versions.FirstOrDefault(v => v.PublishedAt is null) is { } draft) await OpenAsync(draft.Id);
    }

    private static string Key(Guid purposeId, Audience audience, string language) => $"{purposeId:N}|{audience}|{language}";

    private async Task<string> ActorAsync() =>
        AuthenticationState is null ? "unknown" : (await AuthenticationState).User.Identity?.Name ?? "unknown";

    private async Task OpenAsync(Guid versionId)
    {
        _selected = _versions?.FirstOrDefault(v => v.Id == versionId);
        _texts.Clear();
        _feedback.Clear();
        _extraLanguages.Clear();
        _missing = null;
        foreach (var w in await List.WordingsAsync(versionId))
        {
            _texts[Key(w.PurposeId, w.Audience, w.Language)] = w.Text;
            _extraLanguages.Add(w.Language);
        }
    }

    private async Task StartAsync()
    {
        var result = await Start.HandleAsync(await ActorAsync());
        _published = null;
        _versions = await List.HandleAsync();
        await OpenAsync(result.Id);
    }

    private void AddLanguage()
    {
        var code = _newLanguage?.Trim();
        if (string.IsNullOrEmpty(code)) return;
        _extraLanguages.Add(code);
        _language = code;
        _newLanguage = null;
    }

    private async Task SaveAsync(Guid purposeId, Audience audience)
    {
        if (_selected is null) return;
        var key = Key(purposeId, audience, _language);
        var result = await Save.HandleAsync(new SaveFormWording.Request(_selected.Id, purposeId, audience, _language, _texts.GetValueOrDefault(key)), await ActorAsync());
        _feedback[key] = result switch
        {
            SaveFormWording.Result.Saved => new Feedback(true, string.IsNullOrWhiteSpace(_texts.GetValueOrDefault(key)) ? "Removed." : "Saved."),
            SaveFormWording.Result.Invalid invalid => new Feedback(false, string.Join(" ", invalid.Errors.Values.SelectMany(e => e))),
            _ => new Feedback(false, "This version no longer exists."),
        };
        _missing = null;
    }

    private async Task PublishAsync()
    {
        if (_selected is null) return;
        switch (await Publish.HandleAsync(_selected.Id, await ActorAsync()))
        {
            case PublishFormVersion.Result.Published published:
                _published = $"Version {published.Label} is published. New consent requests use it from now on.";
                _versions = await List.HandleAsync();
                await OpenAsync(_selected.Id);
                break;
            case PublishFormVersion.Result.Incomplete incomplete:
                _missing = incomplete.Missing;
                break;
            case PublishFormVersion.Result.AlreadyPublished already:
                _published = $"Version {already.Label} was already published.";
                break;
        }
    }
}
