using System.Globalization;
using ConsentHub.Access;
using ConsentHub.Data;
using ConsentHub.Staff;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ConsentHub.Web.Security;

/// <summary>
/// Staff sign-in: Identity with EF stores, the sign-in cookie (the default scheme for pages), a policy per
/// capability, circuit revalidation and the Data Protection key ring in PostgreSQL.
/// </summary>
public static class StaffSignInSetup
{
    public const string ApplicationName = "ConsentHub";
    private const string SignedInAtKey = "consenthub.signed_in_at";

    public static IServiceCollection AddConsentHubStaffSignIn(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StaffSignInOptions>()
            .BindConfiguration(StaffSignInOptions.Section)
            .Validate(o => o.RevalidationInterval > TimeSpan.Zero && o.RevalidationInterval <= TimeSpan.FromMinutes(5), "StaffSignIn:RevalidationInterval must be above zero and at most 5 minutes.")
            .Validate(o => o.IdleTimeout > TimeSpan.Zero && o.IdleTimeout <= o.AbsoluteLifetime, "StaffSignIn:IdleTimeout must be above zero and no longer than AbsoluteLifetime.")
            .Validate(o => o.AbsoluteLifetime <= TimeSpan.FromHours(24), "StaffSignIn:AbsoluteLifetime is at most 24 hours.")
            .Validate(o => o.SignInAttemptsPerIpPerMinute is >= 1 and <= 100_000, "StaffSignIn:SignInAttemptsPerIpPerMinute must be 1–100,000.")
            .ValidateOnStart();

        // Identity's EF stores and the Data Protection key store resolve the context from a scope.
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<ConsentHubDbContext>>().CreateDbContext());

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.AddAuthentication().AddConsentHubOpenIdConnect(configuration);

        services.AddIdentityCore<StaffUser>(o =>
            {
                // Length and a list of common passwords, not composition rules (NCSC / NIST guidance).
                o.Password.RequiredLength = 12;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 4;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<ConsentHubDbContext>()
            .AddSignInManager<StaffSignInManager>()
            .AddClaimsPrincipalFactory<StaffClaimsPrincipalFactory>()
            .AddPasswordValidator<CommonPasswordValidator>()
            .AddDefaultTokenProviders();

        // Invitation links are password-reset tokens; they also die when the password is set (security stamp).
        services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = InviteStaff.LinkLifetime);
        services.AddOptions<SecurityStampValidatorOptions>()
            .Configure<IOptions<StaffSignInOptions>>((o, staff) =>
            {
                o.ValidationInterval = staff.Value.RevalidationInterval;
                // The stamp check rebuilds the principal from the account; the session it belongs to stays the same.
                o.OnRefreshingPrincipal = ctx =>
                {
                    if (ctx.CurrentPrincipal?.FindFirst(StaffSessions.SessionClaim) is { } session && ctx.NewPrincipal?.Identity is System.Security.Claims.ClaimsIdentity identity)
                        identity.AddClaim(new System.Security.Claims.Claim(StaffSessions.SessionClaim, session.Value));
                    return Task.CompletedTask;
                };
            });
        services.AddSingleton<StaffSessions>();
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<StaffSignInOptions>>((o, staff) => ConfigureCookie(o, staff.Value));
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme)
            .Configure<IOptions<StaffSignInOptions>>((o, staff) => Secure(o.Cookie, staff.Value, staff.Value.CookieName + ".2fa"));
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.TwoFactorRememberMeScheme)
            .Configure<IOptions<StaffSignInOptions>>((o, staff) => Secure(o.Cookie, staff.Value, staff.Value.CookieName + ".2fa-remember"));
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ExternalScheme)
            .Configure<IOptions<StaffSignInOptions>>((o, staff) => Secure(o.Cookie, staff.Value, staff.Value.CookieName + ".external"));
        services.AddAntiforgery();
        services.AddOptions<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>()
            .Configure<IOptions<StaffSignInOptions>>((o, staff) => Secure(o.Cookie, staff.Value, staff.Value.AntiforgeryCookieName));

        // One key ring in the database under one application name: every instance reads each other's cookies,
        // antiforgery tokens and protected storage, and they survive restarts.
        services.AddDataProtection()
            .PersistKeysToDbContext<ConsentHubDbContext>()
            .SetApplicationName(ApplicationName);

        var authorization = services.AddAuthorizationBuilder();
        foreach (var capability in StaffCapabilities.All)
        {
            authorization.AddPolicy(capability, p => p
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser()
                .RequireRole(StaffCapabilities.RolesFor(capability)));
        }
        services.AddSingleton<IAuthorizationPolicyProvider, TwoFactorEnforcingPolicyProvider>();
        services.AddSingleton<IAuthorizationHandler>(TwoFactorEnrolledRequirement.Instance);
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuditingAuthorizationResultHandler>();

        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, StaffRevalidatingAuthenticationStateProvider>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, SignedOutCircuitHandler>();
        return services;
    }

    private static void Secure(CookieBuilder cookie, StaffSignInOptions staff, string name)
    {
        cookie.Name = name;
        cookie.Path = "/";
        cookie.HttpOnly = true;
        cookie.SecurePolicy = staff.SecureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
    }

    private static void ConfigureCookie(CookieAuthenticationOptions o, StaffSignInOptions staff)
    {
        Secure(o.Cookie, staff, staff.CookieName);
        // Lax, not Strict: a link from an email (an invitation, a reminder) should open the app signed in.
        o.Cookie.SameSite = SameSiteMode.Lax;
        o.LoginPath = "/account/sign-in";
        o.LogoutPath = "/account/sign-out";
        o.ExpireTimeSpan = staff.IdleTimeout;
        o.SlidingExpiration = true;

        var validateStamp = o.Events.OnValidatePrincipal;
        o.Events.OnSigningIn = async ctx =>
        {
            ctx.Properties.Items[SignedInAtKey] = ctx.Options.TimeProvider!.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
            var sessions = ctx.HttpContext.RequestServices.GetRequiredService<StaffSessions>();
            // Signing in again over a session (a refreshed sign-in after enrolling two-factor) replaces it.
            await sessions.EndAsync(ctx.HttpContext.User, ctx.HttpContext.RequestAborted);
            await sessions.StartAsync(ctx.Principal!, ctx.HttpContext.RequestAborted);
        };
        o.Events.OnSigningOut = ctx =>
            ctx.HttpContext.RequestServices.GetRequiredService<StaffSessions>().EndAsync(ctx.HttpContext.User, ctx.HttpContext.RequestAborted);
        o.Events.OnValidatePrincipal = async ctx =>
        {
            // The absolute limit: sliding renewal re-issues the cookie but keeps the time of signing in.
            var now = ctx.Options.TimeProvider!.GetUtcNow();
            if (!ctx.Properties.Items.TryGetValue(SignedInAtKey, out var at)
                || !DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var signedInAt)
                || now - signedInAt > staff.AbsoluteLifetime)
            {
                ctx.RejectPrincipal();
                await ctx.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                return;
            }
            // The server-side session, on every request: signed out, signed out everywhere, disabled or a role
            // changed, and this cookie (or any copy of it) is refused now, not at the next stamp check.
            if (!await ctx.HttpContext.RequestServices.GetRequiredService<StaffSessions>().IsActiveAsync(ctx.Principal!, ctx.HttpContext.RequestAborted))
            {
                ctx.RejectPrincipal();
                await ctx.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                return;
            }
            await validateStamp(ctx);
        };
        // A signed-in user without the right role gets a 403 (audited), not a redirect: on a page, the "no access"
        // page inside the layout (re-executed by the status-code pages, which keep the 403); elsewhere a plain text.
        o.Events.OnRedirectToAccessDenied = async ctx =>
        {
            ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
            if (!ctx.Request.Path.StartsWithSegments("/api") && HttpMethods.IsGet(ctx.Request.Method)) return;
            if (ctx.HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
            ctx.Response.ContentType = "text/plain; charset=utf-8";
            await ctx.Response.WriteAsync("You do not have access to this page. Ask your administrator if you need it.");
        };
    }
}
