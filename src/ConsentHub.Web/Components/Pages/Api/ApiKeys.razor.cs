using System.Globalization;
using ConsentHub.Access;
using ConsentHub.Api;
using ConsentHub.Consent.Rules;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;

namespace ConsentHub.Web.Components.Pages.Api;

/// <summary>
/// API key management: a trust administrator makes, lists and revokes keys for any academy or the trust; a
/// headteacher for their own academy. The secret is on screen once, after making the key; every change is audited.
/// </summary>
public sealed partial class ApiKeys
{
    [Inject] private ListApiKeys List { get; set; } = default!;
    [Inject] private CreateApiKey Create { get; set; } = default!;
    [Inject] private RevokeApiKey Revoke { get; set; } = default!;
    [Inject] private ConsentHub.Trust.ListAcademies Academies { get; set; } = default!;
    [Inject] private CurrentStaff Current { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;

    private sealed class KeyForm
    {
        public string Name { get; set; } = "";
        public string Scope { get; set; } = "";
        public DateOnly? Expires { get; set; }
    }

    private sealed record Created(string Name, string Key);

    private IReadOnlyList<AccessScope> _scopes = [];
    private IReadOnlyList<ListApiKeys.Row>? _keys;
    private IReadOnlyList<ConsentHub.Trust.Academy> _academies = [];
    private bool _mayMakeTrustKeys;
    private KeyForm _form = new();
    private Created? _created;
    private Guid? _confirming;
    private string? _message;
    private IReadOnlyList<string>? _errors;

    protected override async Task OnInitializedAsync()
    {
        _scopes = (await Current.GetAsync())?.ScopesFor(StaffCapabilities.ManageApiKeys) ?? [];
        _mayMakeTrustKeys = ListApiKeys.MayManage(_scopes, null);
        var (academies, _) = await Academies.HandleAsync();
        _academies = [.. academies.Where(a => ListApiKeys.MayManage(_scopes, a.Id)).OrderBy(a => a.Name, StringComparer.CurrentCulture)];
        if (!_mayMakeTrustKeys && _academies.Count > 0) _form.Scope = _academies[0].Id.ToString();
        _keys = await List.HandleAsync(_scopes);
    }

    private async Task CreateAsync()
    {
        _message = null;
        _created = null;
        var errors = new List<string>();
        var name = _form.Name.Trim();
        if (name.Length == 0) errors.Add("Give the key a name that says who uses it.");
        if (name.Length > CreateApiKey.MaxNameLength) errors.Add($"A key's name is at most {CreateApiKey.MaxNameLength} characters.");
        Guid? academyId = Guid.TryParse(_form.Scope, CultureInfo.InvariantCulture, out var id) ? id : null;
        if (!ListApiKeys.MayManage(_scopes, academyId)) errors.Add("Choose an academy you manage.");
        DateTimeOffset? expires = null;
        if (_form.Expires is { } day)
        {
            // The key works to the end of the chosen day, UK time.
            expires = UkCalendar.StartOf(day.AddDays(1));
            if (expires <= Clock.GetUtcNow()) errors.Add("Choose an expiry date after today, or leave it empty.");
        }
        if (errors.Count > 0)
        {
            _errors = errors;
            return;
        }
        var staff = await Current.GetAsync();
        var result = await Create.HandleAsync(new CreateApiKey.Request(name, academyId, staff?.Actor ?? "unknown", expires));
        _errors = null;
        _created = new Created(name, result.PlainTextKey);
        _form = new KeyForm { Scope = _mayMakeTrustKeys || _academies.Count == 0 ? "" : _academies[0].Id.ToString() };
        _keys = await List.HandleAsync(_scopes);
    }

    private async Task RevokeAsync(ListApiKeys.Row key)
    {
        _confirming = null;
        _created = null;
        var result = await Revoke.HandleAsync(_scopes, key.Id);
        _message = result switch
        {
            RevokeApiKey.Result.Revoked => $"{key.Name} is revoked. Calls with it are refused within 30 seconds.",
            RevokeApiKey.Result.AlreadyRevoked => $"{key.Name} was already revoked.",
            _ => "That key no longer exists.",
        };
        _keys = await List.HandleAsync(_scopes);
    }

    private static string Date(DateTimeOffset at) =>
        UkCalendar.ToLocal(at).ToString("d MMM yyyy HH:mm", CultureInfo.GetCultureInfo("en-GB"));

    private string State(ListApiKeys.Row k) =>
        k.RevokedAt is not null ? "Revoked" : k.ExpiresAt is { } e && e <= Clock.GetUtcNow() ? "Expired" : "Active";
}
