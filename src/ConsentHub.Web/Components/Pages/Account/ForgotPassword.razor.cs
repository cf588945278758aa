using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;

namespace ConsentHub.Web.Components.Pages.Account;

/// <summary>
/// Static server-rendered, with antiforgery, rate limited per address like sign-in. The same answer whether or not
/// the address has an account, at the same speed (the lookup happens after the answer, in
/// <see cref="PasswordResetAsks"/>), so the page never tells a stranger who works here.
/// </summary>
public partial class ForgotPassword
{
    [Inject] private PasswordResetAsks Resets { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;

    [SupplyParameterFromForm] private EmailModel? Input { get; set; }

    internal const string Sent = "If that address belongs to a ConsentHub account, we have emailed it a link to choose a new password. " +
        "The link works once. If nothing arrives within a few minutes, check your junk folder or ask your administrator.";

    private bool _sent;

    protected override void OnInitialized() => Input ??= new();

    private void Send()
    {
        Resets.Enqueue(Input?.Email, Navigation.BaseUri);
        _sent = true;
    }

    internal sealed class EmailModel
    {
        public string? Email { get; set; }
    }
}
