using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using ConsentHub.Access;
using ConsentHub.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace ConsentHub.Web.Tests.Infrastructure;

/// <summary>Staff accounts for HTTP tests, and signing in through the real sign-in form over HTTPS.</summary>
public static partial class StaffAccounts
{
    public const string Password = "a long test passphrase 42";

    private static readonly ConcurrentDictionary<Guid, string> AuthenticatorKeys = new();

    /// <summary>The current code from the user's "authenticator app".</summary>
    public static string CurrentCode(string authenticatorKey) => new Totp(Base32Encoding.ToBytes(authenticatorKey)).ComputeTotp();

    public static string CurrentCode(StaffUser user) => CurrentCode(AuthenticatorKeys[user.Id]);

    /// <summary>
    /// Creates an account holding <paramref name="role"/> over the given academy or region (ignored for trust roles).
    /// Trust- and region-wide roles get an enrolled authenticator unless <paramref name="enrolTwoFactor"/> says otherwise.
    /// </summary>
    public static async Task<StaffUser> CreateAsync(IServiceProvider services, string role, Guid? academyId = null, Guid? regionId = null, string? email = null, bool? enrolTwoFactor = null)
    {
        var assignment = StaffRoles.LevelOf(role) switch
        {
            ScopeLevel.Trust => StaffRoleAssignment.ForTrust(role),
            ScopeLevel.Region => StaffRoleAssignment.ForRegion(role, regionId ?? throw new ArgumentNullException(nameof(regionId))),
            _ => StaffRoleAssignment.ForAcademy(role, academyId ?? throw new ArgumentNullException(nameof(academyId))),
        };
        email ??= $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@trust.example.org";
        var user = new StaffUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = $"Test {role}", Assignments = [assignment] };
        await using var scope = services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().CreateAsync(user, Password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        if (enrolTwoFactor ?? StaffRoles.LevelOf(role) != ScopeLevel.Academy)
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            await users.ResetAuthenticatorKeyAsync(user);
            AuthenticatorKeys[user.Id] = (await users.GetAuthenticatorKeyAsync(user))!;
            await users.SetTwoFactorEnabledAsync(user, true);
        }
        return user;
    }

    /// <summary>An HTTPS client that keeps cookies and does not follow redirects, so a test sees them.</summary>
    public static HttpClient Client(ConsentHubWebFactory factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Fills in and posts the sign-in form (with its antiforgery token), as a browser would.</summary>
    public static async Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string email, string password, string? returnUrl = null)
    {
        var url = "/account/sign-in" + (returnUrl is null ? "" : "?returnUrl=" + Uri.EscapeDataString(returnUrl));
        var form = await FormFieldsAsync(client, url);
        form["Input.Email"] = email;
        form["Input.Password"] = password;
        return await client.PostAsync(url, new FormUrlEncodedContent(form));
    }

    public static async Task<HttpClient> SignedInClientAsync(ConsentHubWebFactory factory, StaffUser user)
    {
        var client = Client(factory);
        var response = await PostSignInAsync(client, user.Email!, Password);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Sign-in answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        if (response.Headers.Location?.AbsolutePath == "/account/sign-in/two-factor")
        {
            response.Dispose();
            response = await PostTwoFactorCodeAsync(client, CurrentCode(user));
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"The second step answered {(int)response.StatusCode}");
        }
        response.Dispose();
        return client;
    }

    public static async Task<HttpResponseMessage> PostTwoFactorCodeAsync(HttpClient client, string code)
    {
        var form = await FormFieldsAsync(client, "/account/sign-in/two-factor");
        form["Input.Code"] = code;
        return await client.PostAsync("/account/sign-in/two-factor", new FormUrlEncodedContent(form));
    }

    /// <summary>The hidden fields of the page's form: the antiforgery token and the form's handler name.</summary>
    public static async Task<Dictionary<string, string>> FormFieldsAsync(HttpClient client, string url)
    {
        var html = await client.GetStringAsync(url);
        var fields = new Dictionary<string, string>();
        foreach (Match m in HiddenInput().Matches(html))
            fields[WebUtility.HtmlDecode(m.Groups["name"].Value)] = WebUtility.HtmlDecode(m.Groups["value"].Value);
        Assert.True(fields.ContainsKey("__RequestVerificationToken"), "The form has no antiforgery token.");
        return fields;
    }

    [GeneratedRegex("""<input[^>]*type="hidden"[^>]*name="(?<name>[^"]+)"[^>]*value="(?<value>[^"]*)"[^>]*>""")]
    private static partial Regex HiddenInput();
}
