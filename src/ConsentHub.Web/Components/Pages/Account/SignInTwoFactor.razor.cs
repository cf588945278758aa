using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using ConsentHub.Audit;
using ConsentHub.Staff;
using Microsoft.AspNetCore.Authentication;
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
    [CascadingParameter] private HttpContext HttpContext { get; set; } = null!;

    private StaffUser? _user;
    private string _firstFactor = "password";
    private string? _message;

    protected override async Task OnInitializedAsync()
    {
        Input ??= new();
        _user = await SignInManager.GetTwoFactorAuthenticationUserAsync();
        if (_user is null) Navigation.NavigateTo("account/sign-in", forceLoad: true);
        // Identity notes the external provider (if that was the first step) in the second-step cookie.
        var firstStep = await HttpContext.AuthenticateAsync(IdentityConstants.TwoFactorUserIdScheme);
        _firstFactor = firstStep.Principal?.FindFirstValue(ClaimTypes.AuthenticationMethod) ?? "password";
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
                Data: new Dictionary<string, object?> { ["reason"] = _firstFactor + (isAuthenticatorCode ? "+authenticator" : "+recovery-code") }));
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
