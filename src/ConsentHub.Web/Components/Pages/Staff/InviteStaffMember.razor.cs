using ConsentHub.Access;
using ConsentHub.Data;
using ConsentHub.Email;
using ConsentHub.Staff;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Web.Components.Pages.Staff;

public partial class InviteStaffMember
{
    [Inject] private InviteStaff Invite { get; set; } = null!;
    [Inject] private IDbContextFactory<ConsentHubDbContext> Factory { get; set; } = null!;
    // Resolved only after an invitation is written, not for every visit to the form.
    [Inject] private IServiceProvider Services { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    [SupplyParameterFromForm] private InviteModel? Input { get; set; }

    private sealed record ScopeOption(Guid Id, string Label);

    private IReadOnlyList<ScopeOption> _scopes = [];
    private IReadOnlyDictionary<string, string[]> _errors = new Dictionary<string, string[]>();
    private bool _invited;

    protected override async Task OnInitializedAsync()
    {
        Input ??= new();
        await using var db = await Factory.CreateDbContextAsync();
        var regions = await db.Regions.AsNoTracking().OrderBy(r => r.Name).Select(r => new ScopeOption(r.Id, "Region: " + r.Name)).ToListAsync();
        var academies = await db.Academies.AsNoTracking().OrderBy(a => a.Name).Select(a => new ScopeOption(a.Id, "Academy: " + a.Name)).ToListAsync();
        _scopes = [.. regions, .. academies];
    }

    private async Task InviteAsync()
    {
        var user = (await AuthenticationState).User;
        var scopes = StaffClaims.ScopesFor(user, StaffCapabilities.ManageStaff);
        var scope = scopes.Count > 0 ? scopes[0] : throw new InvalidOperationException("Not a staff administrator.");
        var result = await Invite.HandleAsync(scope, new InviteStaff.Request(Input!.Email, Input.DisplayName, Input.Role, Input.ScopeId),
            (id, token) => Navigation.ToAbsoluteUri($"account/set-password?user={id}&token={Uri.EscapeDataString(token)}").ToString());
        switch (result)
        {
            case InviteStaff.Result.Invited:
                _invited = true;
                Services.GetRequiredService<RequestOutboxDrain>().Now();
                break;
            case InviteStaff.Result.Invalid invalid:
                _errors = invalid.Errors;
                break;
        }
    }

    internal sealed class InviteModel
    {
        public string Email { get; set; } = "";
        public string DisplayName { get; set; } = "";
        public string Role { get; set; } = "";
        public Guid? ScopeId { get; set; }
    }
}
