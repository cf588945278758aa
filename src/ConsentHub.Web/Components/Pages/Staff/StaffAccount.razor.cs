using System.Security.Claims;
using ConsentHub.Access;
using ConsentHub.Staff;
using ConsentHub.Trust;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;

namespace ConsentHub.Web.Components.Pages.Staff;

public sealed partial class StaffAccount
{
    [Parameter] public Guid UserId { get; set; }

    [Inject] private GetStaffAccount Get { get; set; } = default!;
    [Inject] private SetStaffAccountDisabled SetDisabled { get; set; } = default!;
    [Inject] private GrantStaffRole Grant { get; set; } = default!;
    [Inject] private RevokeStaffRole Revoke { get; set; } = default!;
    [Inject] private SignOutStaffEverywhere SignOutEverywhere { get; set; } = default!;
    [Inject] private ListAcademies Academies { get; set; } = default!;
    [Inject] private CurrentStaff Current { get; set; } = default!;

    private sealed record ScopeOption(Guid Id, string Label);

    private GetStaffAccount.Account? _account;
    private bool _loaded;
    private IReadOnlyList<ScopeOption> _scopes = [];
    private string _grantRole = "";
    private string _grantScope = "";
    private string? _message;
    private IReadOnlyList<string>? _errors;

    protected override async Task OnParametersSetAsync()
    {
        var (academies, regions) = await Academies.HandleAsync();
        _scopes = [.. regions.OrderBy(r => r.Name).Select(r => new ScopeOption(r.Id, "Region: " + r.Name)),
                   .. academies.OrderBy(a => a.Name).Select(a => new ScopeOption(a.Id, "Academy: " + a.Name))];
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _account = await Get.HandleAsync(UserId);
        _loaded = true;
    }

    private async Task<(AccessScope Scope, Guid UserId)> ByAsync()
    {
        var staff = await Current.GetAsync() ?? throw new InvalidOperationException("Not signed in.");
        var scope = staff.ScopeFor(StaffCapabilities.ManageStaff) ?? throw new InvalidOperationException("Not a staff administrator.");
        return (scope, Guid.Parse(staff.User.FindFirstValue(ClaimTypes.NameIdentifier)!));
    }

    private void Done(string? message, IReadOnlyList<string>? errors)
    {
        _message = message;
        _errors = errors;
    }

    private async Task SetDisabledAsync(bool disabled)
    {
        var (scope, me) = await ByAsync();
        switch (await SetDisabled.HandleAsync(scope, me, new SetStaffAccountDisabled.Request(UserId, disabled)))
        {
            case SetStaffAccountDisabled.Result.Changed c:
                Done(c.Disabled ? $"{_account!.DisplayName}'s account is disabled; their open sessions end within minutes." : $"{_account!.DisplayName}'s account is enabled.", null);
                break;
            case SetStaffAccountDisabled.Result.Refused r: Done(null, [r.Message]); break;
            default: Done(null, ["There is no such staff account."]); break;
        }
        await LoadAsync();
    }

    private async Task SignOutEverywhereAsync()
    {
        var (scope, _) = await ByAsync();
        Done(await SignOutEverywhere.HandleAsync(scope, UserId) ? $"{_account!.DisplayName} is signed out everywhere." : null,
            null);
        await LoadAsync();
    }

    private async Task GrantAsync()
    {
        var (scope, _) = await ByAsync();
        Guid? scopeId = Guid.TryParse(_grantScope, out var id) ? id : null;
        switch (await Grant.HandleAsync(scope, new GrantStaffRole.Request(UserId, _grantRole, scopeId)))
        {
            case GrantStaffRole.Result.Granted:
                Done($"{_account!.DisplayName} now holds {_grantRole}.", null);
                _grantRole = "";
                _grantScope = "";
                break;
            case GrantStaffRole.Result.Invalid invalid: Done(null, [.. invalid.Errors.SelectMany(e => e.Value)]); break;
            default: Done(null, ["There is no such staff account."]); break;
        }
        await LoadAsync();
    }

    private async Task RevokeAsync(GetStaffAccount.Role role)
    {
        var (scope, _) = await ByAsync();
        switch (await Revoke.HandleAsync(scope, new RevokeStaffRole.Request(UserId, role.AssignmentId)))
        {
            case RevokeStaffRole.Result.Revoked: Done($"{role.Name} ({role.ScopeName}) is removed.", null); break;
            case RevokeStaffRole.Result.Refused r: Done(null, [r.Message]); break;
            default: Done(null, ["That role is no longer held."]); break;
        }
        await LoadAsync();
    }
}
