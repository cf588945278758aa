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
    [Inject] private ReadTranslationReviews Reviews { get; set; } = default!;
    [Inject] private SignOffTranslation SignOff { get; set; } = default!;
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

    private IReadOnlyList<ReadTranslationReviews.Review> _reviews = [];
    private bool _canSignOff;
    private bool _confirmingSignOff;
    private Feedback? _signOffFeedback;

    /// <summary>English, the languages with wording, and for a published version every signing-page language (a reviewer signs those off too).</summary>
    private IEnumerable<string> Languages =>
        new[] { PublishFormVersion.RequiredLanguage }.Concat(_extraLanguages)
            .Concat(_selected?.PublishedAt is null ? [] : ConsentHub.Signing.SigningLanguage.Supported)
            .Distinct(StringComparer.Ordinal);

    private static string LanguageName(string code) =>
        ConsentHub.Signing.SigningLanguage.TryNormalise(code) is { } known && known == code && code != ConsentHub.Signing.SigningLanguage.English
            ? $"{ConsentHub.Signing.SigningLanguage.NativeName(code)} ({code})"
            : code;

    private void ChooseLanguage(string? code)
    {
        _language = code ?? PublishFormVersion.RequiredLanguage;
        _confirmingSignOff = false;
        _signOffFeedback = null;
    }

    /// <summary>After confirming: the language's wording and signing pages stop saying "to be reviewed". Audited by the use case.</summary>
    private async Task SignOffAsync()
    {
        if (_selected is null || !_canSignOff) return;
        _confirmingSignOff = false;
        _signOffFeedback = await SignOff.HandleAsync(_selected.Id, _language, await ActorAsync()) switch
        {
            SignOffTranslation.Result.SignedOff s => new Feedback(true, $"Signed off: the {LanguageName(s.Language)} pages no longer say \"to be reviewed\"."),
            SignOffTranslation.Result.AlreadySignedOff a => new Feedback(true, $"Already signed off by {a.ReviewedBy}."),
            SignOffTranslation.Result.Invalid invalid => new Feedback(false, invalid.Message),
            _ => new Feedback(false, "This version no longer exists."),
        };
        _reviews = await Reviews.ForVersionAsync(_selected.Id);
    }

    protected override async Task OnInitializedAsync()
    {
        _canSignOff = AuthenticationState is not null && (await AuthenticationState).User.IsInRole(ConsentHub.Access.StaffRoles.TrustAdmin);
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
        _confirmingSignOff = false;
        _signOffFeedback = null;
        _reviews = await Reviews.ForVersionAsync(versionId);
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
