using System.ComponentModel.DataAnnotations;
using ConsentHub.Audit;
using ConsentHub.Staff;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;

namespace ConsentHub.Web.Components.Pages.Account;

/// <summary>The second step of signing in: an authenticator code or a recovery code. Failures count towards lockout.</summary>
public partial class SignInTwoFactor
{
    [Inject] private SignInManager<StaffUser> SignInManager { get; set; } = null!;
    [Inject] private IAuditLog Audit { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;

    [SupplyParameterFromForm] private CodeModel? Input { get; set; }
    [SupplyParameterFromQuery] private string? ReturnUrl { get; set; }

    private StaffUser? _user;
    private string? _message;

    protected override async Task OnInitializedAsync()
    {
        Input ??= new();
        _user = await SignInManager.GetTwoFactorAuthenticationUserAsync();
        if (_user is null) Navigation.NavigateTo("account/sign-in", forceLoad: true);
    }

    private async Task VerifyAsync()
    {
        if (_user is null || Input is null) return;
        var code = Input.Code.Replace(" ", "", StringComparison.Ordinal);
        var isAuthenticatorCode = code.Length == 6 && code.All(char.IsAsciiDigit);
        var result = isAuthenticatorCode
            ? await SignInManager.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false)
            : await SignInManager.TwoFactorRecoveryCodeSignInAsync(code);
        var actor = $"staff:{_user.Id}";
        if (result.Succeeded)
        {
            Audit.RecordRead(new AuditEvent(null, actor, "staff.signed-in", "StaffUser", _user.Id.ToString(),
                Data: new Dictionary<string, object?> { ["reason"] = isAuthenticatorCode ? "password+authenticator" : "password+recovery-code" }));
            Navigation.NavigateTo(SignIn.SafeReturnUrl(ReturnUrl), forceLoad: true);
            return;
        }
        Audit.RecordRead(new AuditEvent(null, actor, result.IsLockedOut ? "staff.locked-out" : "staff.sign-in-failed", "StaffUser", _user.Id.ToString(),
            Data: new Dictionary<string, object?> { ["reason"] = "wrong-second-factor" }));
        _message = result.IsLockedOut
            ? "This account is locked after too many failed attempts. Try again in 15 minutes or ask your administrator."
            : "That code is not right. Try the newest code from your app.";
    }

    internal sealed class CodeModel
    {
        [Required(ErrorMessage = "Enter the code from your app.")]
        [StringLength(20)]
        public string Code { get; set; } = "";
    }
}
