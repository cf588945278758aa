using System.Security.Claims;
using ConsentHub.Audit;
using ConsentHub.Data;
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
        auth.Services.AddOptions<ExternalSignInOptions>()
            .BindConfiguration(ExternalSignInOptions.Section)
            .Validate(o => string.IsNullOrWhiteSpace(o.Authority) == string.IsNullOrWhiteSpace(o.ClientId),
                "StaffSignIn:OpenIdConnect needs both Authority and ClientId, or neither.")
            .Validate<IHostEnvironment>((o, env) => !o.Enabled || o.AuthorityIsAcceptable(env.IsDevelopment()),
                "StaffSignIn:OpenIdConnect:Authority must be an absolute https:// address (http only on this machine or in Development).")
            .ValidateOnStart();
        if (!settings.Enabled) return auth;

        auth.Services.AddOptions<OpenIdConnectOptions>(ExternalSignInOptions.Scheme)
            .Configure<IHostEnvironment>((o, env) => o.RequireHttpsMetadata = !settings.MayUseHttpMetadata(env.IsDevelopment()));
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
            // A refused or forged answer (bad signature, audience, issuer, nonce, an error from the provider) would
            // otherwise surface as an unhandled exception: audit it and send the person back to sign in.
            o.Events.OnRemoteFailure = ctx =>
            {
                ctx.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ExternalSignIn))
                    .LogWarning("OpenID Connect sign-in refused: {Failure}: {Message}", ctx.Failure?.GetType().Name, ctx.Failure?.Message);
                Record(ctx.HttpContext.RequestServices.GetRequiredService<IAuditLog>(), null, "staff.sign-in-failed", "external-rejected", ExternalSignInOptions.Scheme);
                ctx.Response.Redirect("/account/sign-in?error=external");
                ctx.HandleResponse();
                return Task.CompletedTask;
            };
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

        app.MapGet("/account/external/callback", CallbackAsync).AllowAnonymous();
        return app;
    }

    private static async Task<IResult> CallbackAsync(string? returnUrl, HttpContext http, SignInManager<StaffUser> signIn, UserManager<StaffUser> users,
        ConsentHubDbContext db, IAuditLog audit)
    {
        var info = await signIn.GetExternalLoginInfoAsync();
        // The provider's identity is only needed for this request; never leave it in a cookie.
        await http.SignOutAsync(IdentityConstants.ExternalScheme);
        if (info is null)
        {
            Record(audit, null, "staff.sign-in-failed", "external-no-identity", ExternalSignInOptions.Scheme);
            return Refused("external");
        }
        var target = Components.Pages.Account.SignIn.SafeReturnUrl(returnUrl);

        var account = await users.FindByLoginAsync(info.LoginProvider, info.ProviderKey);
        if (account is null)
        {
            // First time with this provider: link to the invited account with the same, provider-verified, email.
            var email = info.Principal.FindFirstValue("email") ?? info.Principal.FindFirstValue(ClaimTypes.Email);
            if (string.IsNullOrWhiteSpace(email) || !EmailIsVerified(info.Principal))
            {
                Record(audit, null, "staff.sign-in-failed", email is null ? "external-no-email" : "external-email-not-verified", info.LoginProvider);
                return Refused("unverified-email");
            }
            account = await users.FindByEmailAsync(email.Trim());
            if (account is null)
            {
                Record(audit, null, "staff.sign-in-failed", "external-no-account", info.LoginProvider);
                return Refused("no-account");
            }
            if (!await signIn.CanSignInAsync(account))
            {
                Record(audit, account, "staff.sign-in-failed", "external-not-allowed", info.LoginProvider);
                return Refused("not-allowed");
            }
            // An account follows one subject at a provider. Another subject arriving with the same email (an address
            // reassigned at the provider, say) must not take the account over.
            if ((await users.GetLoginsAsync(account)).Any(l => l.LoginProvider == info.LoginProvider))
            {
                Record(audit, account, "staff.sign-in-failed", "external-subject-mismatch", info.LoginProvider);
                return Refused("linked-elsewhere");
            }
            // The link and its audit entry commit together (the Identity stores use this request's context).
            await using (var tx = await db.Database.BeginTransactionAsync(http.RequestAborted))
            {
                var linked = await users.AddLoginAsync(account, new UserLoginInfo(info.LoginProvider, info.ProviderKey, info.ProviderDisplayName));
                if (!linked.Succeeded)
                {
                    await tx.RollbackAsync(http.RequestAborted);
                    Record(audit, account, "staff.sign-in-failed", "external-link-failed", info.LoginProvider);
                    return Refused("external");
                }
                await audit.AppendAsync(db, new AuditEvent(null, $"staff:{account.Id}", "staff.external-login-linked", "StaffUser", account.Id.ToString(),
                    Data: new Dictionary<string, object?> { ["provider"] = info.LoginProvider }), http.RequestAborted);
                await tx.CommitAsync(http.RequestAborted);
            }
        }

        var result = await signIn.ExternalLoginSignInAsync(info.LoginProvider, info.ProviderKey, isPersistent: false, bypassTwoFactor: false);
        if (result.Succeeded)
        {
            Record(audit, account, "staff.signed-in", info.LoginProvider, info.LoginProvider);
            return Results.LocalRedirect(target);
        }
        // The second step audits the sign-in itself once the code is right.
        if (result.RequiresTwoFactor)
            return Results.LocalRedirect("/account/sign-in/two-factor?returnUrl=" + Uri.EscapeDataString(target));
        if (result.IsLockedOut)
        {
            Record(audit, account, "staff.locked-out", "external-locked-out", info.LoginProvider);
            return Refused("locked-out");
        }
        Record(audit, account, "staff.sign-in-failed", "external-not-allowed", info.LoginProvider);
        return Refused("not-allowed");
    }

    /// <summary>
    /// The standard <c>email_verified</c> claim, or Microsoft Entra's <c>xms_edov</c> (the email domain's owner is
    /// verified; an optional claim to add to the app registration), since Entra does not send email_verified.
    /// </summary>
    private static bool EmailIsVerified(ClaimsPrincipal principal) =>
        (bool.TryParse(principal.FindFirstValue("email_verified"), out var verified) && verified)
        || (bool.TryParse(principal.FindFirstValue("xms_edov"), out var domainVerified) && domainVerified);

    private static IResult Refused(string error) => Results.LocalRedirect("/account/sign-in?error=" + error);

    private static void Record(IAuditLog audit, StaffUser? user, string action, string reason, string provider) =>
        audit.RecordRead(new AuditEvent(null, user is null ? "anonymous" : $"staff:{user.Id}", action, "StaffUser", user?.Id.ToString(),
            Data: new Dictionary<string, object?> { ["reason"] = reason, ["provider"] = provider }));
}
