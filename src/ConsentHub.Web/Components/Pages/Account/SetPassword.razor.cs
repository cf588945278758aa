using ConsentHub.Audit;
using ConsentHub.Staff;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;

namespace ConsentHub.Web.Components.Pages.Account;

/// <summary>From an invitation (or reset) email: the token is a one-use password-reset token.</summary>
public partial class SetPassword
{
    [Inject] private UserManager<StaffUser> Users { get; set; } = null!;
    [Inject] private IAuditLog Audit { get; set; } = null!;

    [SupplyParameterFromQuery] private string? User { get; set; }
    [SupplyParameterFromQuery] private string? Token { get; set; }
    [SupplyParameterFromForm] private PasswordModel? Input { get; set; }

    private IReadOnlyList<string> _errors = [];
    private bool _done;

    protected override void OnInitialized() => Input ??= new();

    private async Task SetAsync()
    {
        const string badLink = "This link has expired or has already been used. Ask for a new one with \"Forgot your password?\" on the sign-in page, or ask your administrator.";
        var user = Guid.TryParse(Input!.User, out var id) ? await Users.FindByIdAsync(id.ToString()) : null;
        if (user is null || user.Disabled || string.IsNullOrEmpty(Input.Token))
        {
            _errors = [badLink];
            return;
        }
        var result = await Users.ResetPasswordAsync(user, Input.Token, Input.Password ?? "");
        if (!result.Succeeded)
        {
            _errors = [.. result.Errors.Select(e => e.Code == "InvalidToken" ? badLink : e.Description)];
            return;
        }
        if (!user.EmailConfirmed)
        {
            user.EmailConfirmed = true;
            await Users.UpdateAsync(user);
        }
        Audit.RecordRead(new AuditEvent(null, $"staff:{user.Id}", "staff.password-set", "StaffUser", user.Id.ToString()));
        _done = true;
    }

    internal sealed class PasswordModel
    {
        public string? User { get; set; }
        public string? Token { get; set; }
        public string? Password { get; set; }
    }
}
