using ConsentHub.Access;
using ConsentHub.Checks;
using ConsentHub.Trust;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;

namespace ConsentHub.Web.Components.Pages.Trust;

/// <summary>Rule 1's trust setting, with a count of the pupils whose decisions would change shown before saving.</summary>
public sealed partial class ConsentRulesPage
{
    [Inject] private PreviewEveryParentSetting Preview { get; set; } = default!;
    [Inject] private SaveEveryParentSetting Save { get; set; } = default!;
    [Inject] private CurrentStaff Current { get; set; } = default!;

    private AccessScope _scope = AccessScope.Academy(Guid.Empty, "unknown");
    private bool? _current;
    private bool _proposed;
    private PreviewEveryParentSetting.Preview? _preview;
    private string? _message;
    private bool _messageOk;
    private bool _busy;

    protected override async Task OnInitializedAsync()
    {
        var staff = await Current.GetAsync();
        _scope = staff?.ScopeFor(StaffCapabilities.TrustSetup) ?? _scope;
        await LoadAsync(null);
    }

    private async Task LoadAsync(bool? proposed)
    {
        var preview = await Preview.HandleAsync(_scope, proposed);
        _current = preview.Current;
        _proposed = preview.Proposed;
        _preview = preview;
    }

    private async Task ChooseAsync(bool proposed)
    {
        _busy = true;
        _message = null;
        try
        {
            await LoadAsync(proposed);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task SaveAsync()
    {
        if (_preview is not { } preview) return;
        _busy = true;
        try
        {
            var result = await Save.HandleAsync(_scope, preview.Proposed, preview.Impact.PupilsChanged);
            (_messageOk, _message) = result switch
            {
                SaveEveryParentSetting.Result.Saved => (true, $"Saved. {preview.Impact.PupilsChanged} pupils' decisions changed; every open check shows the new rule."),
                SaveEveryParentSetting.Result.Unchanged => (true, "That was already the setting."),
                _ => (false, "Only trust-wide roles may change the trust's consent rules."),
            };
            await LoadAsync(null);
        }
        finally
        {
            _busy = false;
        }
    }
}
