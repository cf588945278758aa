using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Staff;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using QRCoder;

namespace ConsentHub.Web.Components.Pages.Account;

/// <summary>Authenticator (TOTP) enrolment: key and QR code, a first code to prove it works, then recovery codes once.</summary>
public partial class TwoFactor
{
    [Inject] private UserManager<StaffUser> Users { get; set; } = null!;
    [Inject] private SignInManager<StaffUser> SignInManager { get; set; } = null!;
    [Inject] private IAuditLog Audit { get; set; } = null!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    [SupplyParameterFromForm] private CodeModel? Input { get; set; }

    private StaffUser _user = null!;
    private bool _enabled;
    private bool _required;
    private string? _key;
    private string? _qrDataUri;
    private string? _message;
    private IReadOnlyList<string>? _recoveryCodes;

    protected override async Task OnInitializedAsync()
    {
        Input ??= new();
        var principal = (await AuthenticationState).User;
        _user = await Users.GetUserAsync(principal) ?? throw new InvalidOperationException("Signed in without an account.");
        _enabled = await Users.GetTwoFactorEnabledAsync(_user);
        _required = StaffClaims.MustEnrolTwoFactor(principal);
        if (_enabled) return;

        var key = await Users.GetAuthenticatorKeyAsync(_user);
        if (string.IsNullOrEmpty(key))
        {
            await Users.ResetAuthenticatorKeyAsync(_user);
            key = await Users.GetAuthenticatorKeyAsync(_user);
        }
        _key = FormatKey(key!);
        var uri = $"otpauth://totp/{Uri.EscapeDataString("ConsentHub")}:{Uri.EscapeDataString(_user.Email ?? _user.UserName ?? "")}?secret={key}&issuer=ConsentHub&digits=6";
        using var data = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.Q);
        _qrDataUri = "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5));
    }

    private async Task EnableAsync()
    {
        var code = (Input?.Code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (!await Users.VerifyTwoFactorTokenAsync(_user, Users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            _message = "That code is not right. Check the time on your phone and try the newest code.";
            return;
        }
        await Users.SetTwoFactorEnabledAsync(_user, true);
        _recoveryCodes = [.. (await Users.GenerateNewTwoFactorRecoveryCodesAsync(_user, 10))!];
        _enabled = true;
        // New cookie: it now says two-factor is enrolled, so the enrolment redirect stops.
        await SignInManager.RefreshSignInAsync(_user);
        Audit.RecordRead(new AuditEvent(null, $"staff:{_user.Id}", "staff.two-factor-enabled", "StaffUser", _user.Id.ToString()));
    }

    private static string FormatKey(string key)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
            sb.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        return sb.ToString().TrimEnd().ToLower(CultureInfo.InvariantCulture);
    }

    internal sealed class CodeModel
    {
        [Required(ErrorMessage = "Enter the code from your app.")]
        [StringLength(12)]
        public string Code { get; set; } = "";
    }
}
