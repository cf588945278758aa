using System.Security.Claims;
using ConsentHub.Audit;
using ConsentHub.Staff;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;

namespace ConsentHub.Web.Security;

public static class ExternalSignIn
{
    public static AuthenticationBuilder AddConsentHubOpenIdConnect(this AuthenticationBuilder auth, IConfiguration configuration)
    {
        var settings = configuration.GetSection(ExternalSignInOptions.Section).Get<ExternalSignInOptions>() ?? new();
        auth.Services.AddOptions<ExternalSignInOptions>().BindConfiguration(ExternalSignInOptions.Section);
        if (!settings.Enabled) return auth;
        return auth.AddOpenIdConnect(ExternalSignInOptions.Scheme, settings.DisplayName, o =>
        {
            o.SignInScheme = IdentityConstants.ExternalScheme;
            o.Authority = settings.Authority;
            o.ClientId = settings.ClientId;
            o.ClientSecret = settings.ClientSecret;
            o.ResponseType = "code";
            o.UsePkce = true;
            o.MapInboundClaims = false;
            o.SaveTokens = false;
            o.CallbackPath = "/signin-oidc";
            o.Scope.Clear();
            o.Scope.Add("openid");
            o.Scope.Add("profile");
            o.Scope.Add("email");
        });
    }

    /// <summary>Only when OpenID Connect is configured: start (GET /account/external) and come back (/account/external/callback).</summary>
    public static IEndpointRouteBuilder MapConsentHubExternalSignIn(this IEndpointRouteBuilder app, ExternalSignInOptions settings)
    {
        if (!settings.Enabled) return app;

        app.MapGet("/account/external", (string? returnUrl, SignInManager<StaffUser> signIn) =>
        {
            var properties = signIn.ConfigureExternalAuthenticationProperties(ExternalSignInOptions.Scheme,
                "/account/external/callback?returnUrl=" + Uri.EscapeDataString(Components.Pages.Account.SignIn.SafeReturnUrl(returnUrl)));
            return TypedResults.Challenge(properties, [ExternalSignInOptions.Scheme]);
        }).AllowAnonymous();

        app.MapGet("/account/external/callback", async (string? returnUrl, HttpContext http, SignInManager<StaffUser> signIn, UserManager<StaffUser> users, IAuditLog audit) =>
        {
            var info = await signIn.GetExternalLoginInfoAsync();
            if (info is null) return Results.LocalRedirect("/account/sign-in?error=external");
            var target = Components.Pages.Account.SignIn.SafeReturnUrl(returnUrl);

            var result = await signIn.ExternalLoginSignInAsync(info.LoginProvider, info.ProviderKey, isPersistent: false, bypassTwoFactor: false);
            if (!result.Succeeded && !result.RequiresTwoFactor && !result.IsLockedOut && !result.IsNotAllowed)
            {
                // First time with this provider: link to the invited account with the same email, if there is one.
                var email = info.Principal.FindFirstValue("email") ?? info.Principal.FindFirstValue(ClaimTypes.Email);
                var user = email is null ? null : await users.FindByEmailAsync(email);
                if (user is null || user.Disabled)
                {
                    audit.RecordRead(new AuditEvent(null, "anonymous", "staff.sign-in-failed", Data: new Dictionary<string, object?> { ["reason"] = "external-no-account", ["provider"] = info.LoginProvider }));
                    await http.SignOutAsync(IdentityConstants.ExternalScheme);
                    return Results.LocalRedirect("/account/sign-in?error=no-account");
                }
                await users.AddLoginAsync(user, info);
                result = await signIn.ExternalLoginSignInAsync(info.LoginProvider, info.ProviderKey, isPersistent: false, bypassTwoFactor: false);
            }
            await http.SignOutAsync(IdentityConstants.ExternalScheme);
            var account = await users.FindByLoginAsync(info.LoginProvider, info.ProviderKey);
            var actor = account is null ? "anonymous" : $"staff:{account.Id}";
            if (result.Succeeded)
            {
                audit.RecordRead(new AuditEvent(null, actor, "staff.signed-in", "StaffUser", account?.Id.ToString(), Data: new Dictionary<string, object?> { ["reason"] = info.LoginProvider }));
                return Results.LocalRedirect(target);
            }
            if (result.RequiresTwoFactor)
                return Results.LocalRedirect("/account/sign-in/two-factor?returnUrl=" + Uri.EscapeDataString(target));
            audit.RecordRead(new AuditEvent(null, actor, result.IsLockedOut ? "staff.locked-out" : "staff.sign-in-failed", "StaffUser", account?.Id.ToString(),
                Data: new Dictionary<string, object?> { ["reason"] = "external-" + (result.IsLockedOut ? "locked-out" : "not-allowed") }));
            return Results.LocalRedirect("/account/sign-in?error=not-allowed");
        }).AllowAnonymous();
        return app;
    }
}
