using ConsentHub.Trust;
using ConsentHub.Trust.Accounts;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;

namespace ConsentHub.Web.Components.Pages.Trust;

public sealed partial class Accounts
{
    [Inject] private ListAffiliatedAccounts List { get; set; } = default!;
    [Inject] private RegisterAffiliatedAccount Register { get; set; } = default!;
    [Inject] private CloseAffiliatedAccount Close { get; set; } = default!;
    [Inject] private ListTrustStructure Structure { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    private AccountForm _form = new();
    private EditContext _editContext = default!;
    private ValidationMessageStore _messages = default!;
    private IReadOnlyList<ListAffiliatedAccounts.Row>? _rows;
    private IReadOnlyList<ListTrustStructure.Item> _academies = [];
    private IReadOnlyList<ListTrustStructure.Item> _regions = [];
    private Guid? _confirmClose;
    private string? _saved;
    private bool _busy;

    /// <summary>The form's fields; the use case validates them and names the field at fault.</summary>
    public sealed class AccountForm
    {
        public Guid? Id { get; set; }
        public SocialPlatform Platform { get; set; } = SocialPlatform.Instagram;
        public string? Handle { get; set; }
        public string? Url { get; set; }
        public PauseScope Scope { get; set; } = PauseScope.Academy;
        public Guid? ScopeId { get; set; }
        public string? FirstAdminName { get; set; }
        public string? FirstAdminEmail { get; set; }
        public string? SecondAdminName { get; set; }
        public string? SecondAdminEmail { get; set; }
    }

    protected override async Task OnInitializedAsync()
    {
        StartNew();
        var structure = await Structure.HandleAsync();
        (_academies, _regions) = (structure.Academies, structure.Regions);
        _rows = await List.HandleAsync();
    }

    private void StartNew() => Use(new AccountForm());

    private void Use(AccountForm form)
    {
        _form = form;
        _editContext = new EditContext(_form);
        _messages = new ValidationMessageStore(_editContext);
        _editContext.OnFieldChanged += (_, e) => _messages.Clear(e.FieldIdentifier);
    }

    private void Edit(ListAffiliatedAccounts.Row row)
    {
        var a = row.Account;
        _saved = null;
        Use(new AccountForm
        {
            Id = a.Id,
            Platform = a.Platform,
            Handle = a.Handle,
            Url = a.Url,
            Scope = a.Scope,
            ScopeId = a.ScopeId,
            FirstAdminName = a.FirstAdminName,
            FirstAdminEmail = a.FirstAdminEmail,
            SecondAdminName = a.SecondAdminName,
            SecondAdminEmail = a.SecondAdminEmail,
        });
    }

    private async Task<string> ActorAsync() =>
        AuthenticationState is null ? "unknown" : (await AuthenticationState).User.Identity?.Name ?? "unknown";

    private async Task SaveAsync()
    {
        _busy = true;
        _saved = null;
        _messages.Clear();
        try
        {
            var f = _form;
            var result = await Register.HandleAsync(new RegisterAffiliatedAccount.Request(f.Id, f.Platform, f.Handle ?? "", f.Url,
                f.Scope, f.Scope == PauseScope.Trust ? null : f.ScopeId, f.FirstAdminName ?? "", f.FirstAdminEmail ?? "",
                f.SecondAdminName ?? "", f.SecondAdminEmail ?? ""), await ActorAsync());
            switch (result)
            {
                case RegisterAffiliatedAccount.Result.Saved:
                    _saved = f.Id is null ? $"{f.Handle} is in the register." : $"{f.Handle} is changed.";
                    StartNew();
                    _rows = await List.HandleAsync();
                    break;
                case RegisterAffiliatedAccount.Result.NotFound:
                    _messages.Add(_editContext.Field(nameof(AccountForm.Handle)), "This account has been taken off the register meanwhile.");
                    break;
                case RegisterAffiliatedAccount.Result.Invalid invalid:
                    foreach (var (field, errors) in invalid.Errors)
                        _messages.Add(_editContext.Field(FieldFor(field)), errors);
                    break;
            }
            _editContext.NotifyValidationStateChanged();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task CloseAsync(Guid id)
    {
        _confirmClose = null;
        await Close.HandleAsync(id, await ActorAsync());
        _rows = await List.HandleAsync();
    }

    /// <summary>The use case names fields in camelCase, as the API does; the form's properties are PascalCase.</summary>
    private static string FieldFor(string field) => field.Length == 0 ? field : char.ToUpperInvariant(field[0]) + field[1..];
}
