using System.ComponentModel.DataAnnotations;
using ConsentHub.Audit;
using ConsentHub.Staff;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;

namespace ConsentHub.Web.Components.Pages.Account;

/// <summary>Static server-rendered sign-in (the cookie is set on the response), with antiforgery. Audits every attempt.</summary>
public partial class SignIn
{
    [Inject] private SignInManager<StaffUser> SignInManager { get; set; } = null!;
    [Inject] private UserManager<StaffUser> Users { get; set; } = null!;
    [Inject] private IAuditLog Audit { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;

    [SupplyParameterFromForm] private InputModel? Input { get; set; }
    [SupplyParameterFromQuery] private string? ReturnUrl { get; set; }
    [SupplyParameterFromQuery] private string? Error { get; set; }
    [Inject] private Microsoft.Extensions.Options.IOptions<Security.ExternalSignInOptions> External { get; set; } = null!;

    private string? _message;

    /// <summary>
    /// The one answer to a failed sign-in, whether the password was wrong, there is no such account, or it is locked
    /// or disabled: a different message would tell a stranger which emails are staff accounts. The audit says which.
    /// </summary>
    internal const string NoMatch = "That email and password did not sign you in. Check them and try again; after several failed tries, " +
        "sign-in pauses for 15 minutes. If it still does not work, ask your administrator.";

    protected override void OnInitialized() => Input ??= new();

    private async Task SignInAsync()
    {
        if (Input is null) return;
        var user = await Users.FindByEmailAsync(Input.Email.Trim());
        if (user is null)
        {
            // Spend the same effort as a real check, so response time does not tell which emails have accounts.
            Users.PasswordHasher.HashPassword(new StaffUser(), Input.Password);
            Record(null, "staff.sign-in-failed", "unknown-account");
            _message = NoMatch;
            return;
        }

        var result = await SignInManager.PasswordSignInAsync(user, Input.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            Record(user, "staff.signed-in", "password");
            Navigation.NavigateTo(SafeReturnUrl(ReturnUrl), forceLoad: true);
            return;
        }
        if (result.RequiresTwoFactor)
        {
            Navigation.NavigateTo($"account/sign-in/two-factor?returnUrl={Uri.EscapeDataString(SafeReturnUrl(ReturnUrl))}", forceLoad: true);
            return;
        }
        if (result.IsLockedOut)
        {
            Record(user, "staff.locked-out", "too-many-failures");
            _message = NoMatch;
            return;
        }
        Record(user, "staff.sign-in-failed", result.IsNotAllowed ? "not-allowed" : "wrong-password");
        _message = NoMatch;
    }

    private void Record(StaffUser? user, string action, string reason) =>
        Audit.RecordRead(new AuditEvent(null, user is null ? "anonymous" : $"staff:{user.Id}", action, "StaffUser", user?.Id.ToString(),
            Data: new Dictionary<string, object?> { ["reason"] = reason }));

    /// <summary>Why a sign-in through the organisation's provider came back refused (the callback says which).</summary>
    private string ErrorMessage(string error) => error switch
    {
        "no-account" => "There is no ConsentHub account for that sign-in. Ask your administrator for an invitation.",
        "unverified-email" => $"{External.Value.DisplayName} did not confirm your email address, so it cannot be matched to a ConsentHub account. Ask your administrator.",
        "linked-elsewhere" => $"This ConsentHub account is already linked to a different {External.Value.DisplayName} sign-in. Ask your administrator.",
        "not-allowed" => "This account cannot sign in. Ask your administrator.",
        "locked-out" => "This account is locked after too many failed attempts. Try again in 15 minutes or ask your administrator.",
        _ => "That sign-in did not work. Try again.",
    };

    /// <summary>Only a path on this site: never an absolute or protocol-relative URL (open redirect).</summary>
    internal static string SafeReturnUrl(string? url) =>
        string.IsNullOrEmpty(url) || !url.StartsWith('/') || url.StartsWith("//", StringComparison.Ordinal) || url.StartsWith("/\\", StringComparison.Ordinal)
            ? "/"
            : url;

    internal sealed class InputModel
    {
        [Required(ErrorMessage = "Enter your email address.")]
        [EmailAddress(ErrorMessage = "Enter an email address.")]
        [StringLength(256)]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "Enter your password.")]
        [StringLength(256)]
        public string Password { get; set; } = "";
    }
}
