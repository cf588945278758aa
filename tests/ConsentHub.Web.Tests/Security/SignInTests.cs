using System.Net;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Staff;
using ConsentHub.Testing.Builders;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Tests.Security;

/// <summary>Signing in over HTTPS on the real host: cookies, lockout, password rules, antiforgery, audit.</summary>
public sealed class SignInTests(WebTestFixture fixture) : IClassFixture<WebTestFixture>, IAsyncLifetime
{
    private TestTrust _trust = null!;

    public async Task InitializeAsync()
    {
        _ = fixture.Factory.Services;
        await using var db = fixture.Database.CreateDbContext();
        _trust = await TestTrust.CreateAsync(db);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static readonly string NoMatch = System.Net.WebUtility.HtmlEncode(ConsentHub.Web.Components.Pages.Account.SignIn.NoMatch);

    /// <summary>The part of the page that answers the attempt.</summary>
    private static async Task<string> AlertAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        var match = System.Text.RegularExpressions.Regex.Match(html, "<p class=\"alert alert-danger\" role=\"alert\">(?<text>[^<]*)</p>");
        Assert.True(match.Success, "The page shows no message.");
        return match.Groups["text"].Value;
    }

    [Fact]
    public async Task WrongPassword_NoSuchAccount_LockedAndDisabled_AllGetTheSameMessage()
    {
        var wrong = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.Teacher, _trust.NorthAcademyId);
        var locked = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.Teacher, _trust.NorthAcademyId);
        var disabled = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.Teacher, _trust.NorthAcademyId);
        await using (var scope = fixture.Factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var l = (await users.FindByIdAsync(locked.Id.ToString()))!;
            await users.SetLockoutEndDateAsync(l, DateTimeOffset.UtcNow.AddMinutes(15));
            var d = (await users.FindByIdAsync(disabled.Id.ToString()))!;
            d.Disabled = true;
            await users.UpdateAsync(d);
        }
        using var client = StaffAccounts.Client(fixture.Factory);

        using var wrongPassword = await StaffAccounts.PostSignInAsync(client, wrong.Email!, "not the password at all");
        using var noAccount = await StaffAccounts.PostSignInAsync(client, $"nobody-{Guid.NewGuid():N}@trust.example.org", StaffAccounts.Password);
        using var lockedOut = await StaffAccounts.PostSignInAsync(client, locked.Email!, StaffAccounts.Password);
        using var disabledAccount = await StaffAccounts.PostSignInAsync(client, disabled.Email!, StaffAccounts.Password);

        var expected = await AlertAsync(wrongPassword);
        Assert.Equal(NoMatch, expected);
        Assert.Equal(expected, await AlertAsync(noAccount));
        Assert.Equal(expected, await AlertAsync(lockedOut));
        Assert.Equal(expected, await AlertAsync(disabledAccount));
    }

    private async Task<List<AuditEntry>> AuditAsync(string action)
    {
        await fixture.Factory.Services.GetRequiredService<AuditReadWriter>().FlushAsync();
        await using var db = fixture.Database.CreateDbContext();
        return await db.AuditEntries.Where(e => e.Action == action).ToListAsync();
    }

    [Fact]
    public async Task RightPassword_SetsAHostOnlySecureCookie_AndOpensTheAccountPage()
    {
        var user = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.OfficeStaff, _trust.NorthAcademyId);
        using var client = StaffAccounts.Client(fixture.Factory);

        using var response = await StaffAccounts.PostSignInAsync(client, user.Email!, StaffAccounts.Password, returnUrl: "/account");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account", response.Headers.Location?.PathAndQuery);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__Host-ConsentHub=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", cookie, StringComparison.OrdinalIgnoreCase);
        var page = await client.GetStringAsync("/account");
        Assert.Contains("Test OfficeStaff", page, StringComparison.Ordinal);
        Assert.Contains(await AuditAsync("staff.signed-in"), e => e.Actor == $"staff:{user.Id}");
    }

    [Fact]
    public async Task AnOffSiteReturnUrl_IsIgnored()
    {
        var user = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.Teacher, _trust.NorthAcademyId);
        using var client = StaffAccounts.Client(fixture.Factory);

        using var response = await StaffAccounts.PostSignInAsync(client, user.Email!, StaffAccounts.Password, returnUrl: "//evil.example/phish");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.PathAndQuery);
        Assert.Equal("localhost", response.Headers.Location?.Host);
    }

    [Fact]
    public async Task WrongPassword_SaysSo_SetsNoCookie_AndIsAudited()
    {
        var user = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.Teacher, _trust.NorthAcademyId);
        using var client = StaffAccounts.Client(fixture.Factory);

        using var response = await StaffAccounts.PostSignInAsync(client, user.Email!, "not the password at all");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(NoMatch, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var c) ? c : [], v => v.StartsWith("__Host-ConsentHub=", StringComparison.Ordinal));
        using var account = await client.GetAsync("/account");
        Assert.Equal(HttpStatusCode.Redirect, account.StatusCode);
        Assert.Contains(await AuditAsync("staff.sign-in-failed"), e => e.Actor == $"staff:{user.Id}");
    }

    [Fact]
    public async Task FiveWrongPasswords_LockTheAccount_SoEvenTheRightOneFails()
    {
        var user = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.Headteacher, _trust.NorthAcademyId);
        using var client = StaffAccounts.Client(fixture.Factory);

        for (var i = 0; i < 4; i++)
        {
            using var wrong = await StaffAccounts.PostSignInAsync(client, user.Email!, $"wrong password number {i}");
            Assert.Contains(NoMatch, await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using var fifth = await StaffAccounts.PostSignInAsync(client, user.Email!, "wrong password number 5");
        using var right = await StaffAccounts.PostSignInAsync(client, user.Email!, StaffAccounts.Password);

        // The page says no more than for a wrong password (which emails are accounts stays unknown); the audit says locked.
        Assert.Contains(NoMatch, await fifth.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains(NoMatch, await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("locked", await right.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(await AuditAsync("staff.locked-out"), e => e.Actor == $"staff:{user.Id}");
    }

    [Fact]
    public async Task ADisabledAccount_CannotSignIn()
    {
        var user = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.Teacher, _trust.NorthAcademyId);
        await using (var db = fixture.Database.CreateDbContext())
            await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.Disabled, true));
        using var client = StaffAccounts.Client(fixture.Factory);

        using var response = await StaffAccounts.PostSignInAsync(client, user.Email!, StaffAccounts.Password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The same words as a wrong password: the page does not confirm that the account exists.
        Assert.Contains(NoMatch, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var c) ? c : [], v => v.StartsWith("__Host-ConsentHub=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASignedInSessionOfAnAccountDisabledLater_IsSentBackToSignIn()
    {
        var user = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.Teacher, _trust.NorthAcademyId);
        using var client = await StaffAccounts.SignedInClientAsync(fixture.Factory, user);
        await using (var scope = fixture.Factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var stored = (await users.FindByIdAsync(user.Id.ToString()))!;
            stored.Disabled = true;
            await users.UpdateAsync(stored);
            await users.UpdateSecurityStampAsync(stored);
        }
        await using (var scope = fixture.Factory.Services.CreateAsyncScope())
        {
            // What an open circuit checks every few minutes.
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<StaffUser>>();
            var principal = await signIn.CreateUserPrincipalAsync((await users.FindByIdAsync(user.Id.ToString()))!);
            Assert.False(await ConsentHub.Web.Security.StaffRevalidatingAuthenticationStateProvider.IsStillValidAsync(users, principal,
                scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdentityOptions>>().Value));
        }
    }

    [Fact]
    public async Task SignInWithoutTheAntiforgeryToken_IsRefused()
    {
        var user = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.Teacher, _trust.NorthAcademyId);
        using var client = StaffAccounts.Client(fixture.Factory);
        var form = await StaffAccounts.FormFieldsAsync(client, "/account/sign-in");
        form.Remove("__RequestVerificationToken");
        form["Input.Email"] = user.Email!;
        form["Input.Password"] = StaffAccounts.Password;

        using var response = await client.PostAsync("/account/sign-in", new FormUrlEncodedContent(form));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("__Host-ConsentHub=", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("short-pass1", false)]
    [InlineData("password1234", false)]
    [InlineData("Qwertyuiop123", false)]
    [InlineData("111111111111", false)]
    // From the breach-corpus part of the list, and the same with spaces and capitals.
    [InlineData("1qaz2wsx3edc", false)]
    [InlineData("Leave Me Alone", false)]
    [InlineData("heron kettle autumn lantern", true)]
    public async Task Passwords_AreAtLeast12Characters_AndNotCommon(string password, bool accepted)
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var email = $"pw-{Guid.NewGuid():N}@trust.example.org";

        var result = await users.CreateAsync(new StaffUser { UserName = email, Email = email, DisplayName = "Password test" }, password);

        Assert.Equal(accepted, result.Succeeded);
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        var user = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.Teacher, _trust.NorthAcademyId);
        using var client = await StaffAccounts.SignedInClientAsync(fixture.Factory, user);
        var form = await StaffAccounts.FormFieldsAsync(client, "/account");

        using var signOut = await client.PostAsync("/account/sign-out", new FormUrlEncodedContent(form));
        using var after = await client.GetAsync("/account");

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("https://localhost/account/sign-in", after.Headers.Location?.ToString(), StringComparison.Ordinal);
    }
}
