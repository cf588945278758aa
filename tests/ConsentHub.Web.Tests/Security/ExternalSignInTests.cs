using System.Net;
using System.Text.RegularExpressions;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Staff;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Ordering;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Tests.Security;

/// <summary>
/// OpenID Connect staff sign-in, end to end against a real provider on a loopback port (<see cref="TestOpenIdProvider"/>):
/// switched on by settings alone; links an invited account by verified email the first time and by subject after;
/// refuses unknown, unverified, disabled and forged sign-ins, audited; our two-factor still applies.
/// </summary>
[LongRunning(18)]
public sealed partial class ExternalSignInTests(ExternalSignInTests.Hosts hosts) : IClassFixture<ExternalSignInTests.Hosts>, IAsyncLifetime
{
    private const string ProviderName = "the Trust's account";

    private readonly DatabaseFixture _database = hosts.Database;
    private readonly TestOpenIdProvider _provider = hosts.Provider;
    private readonly ConsentHubWebFactory _withOidc = hosts.WithOidc;
    private readonly ConsentHubWebFactory _without = hosts.Without;
    private TestTrust _trust = null!;
    private Guid _northPupilId;
    private Guid _southPupilId;

    /// <summary>
    /// One database, provider and pair of hosts (with and without the provider's settings) for the class: every
    /// test invites its own accounts under fresh emails and subjects and starts from a provider with nothing signed in.
    /// </summary>
    public sealed class Hosts : IAsyncLifetime
    {
        public DatabaseFixture Database { get; } = new();
        public TestOpenIdProvider Provider { get; } = new();
        public ConsentHubWebFactory WithOidc { get; private set; } = null!;
        public ConsentHubWebFactory Without { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await Database.InitializeAsync();
            await Provider.StartAsync();
            WithOidc = new ConsentHubWebFactory(Database);
            WithOidc.Settings["StaffSignIn:OpenIdConnect:Authority"] = Provider.Authority.ToString();
            WithOidc.Settings["StaffSignIn:OpenIdConnect:ClientId"] = TestOpenIdProvider.ClientId;
            WithOidc.Settings["StaffSignIn:OpenIdConnect:ClientSecret"] = Provider.ClientSecret;
            WithOidc.Settings["StaffSignIn:OpenIdConnect:DisplayName"] = ProviderName;
            Without = new ConsentHubWebFactory(Database);
            _ = WithOidc.Services;
        }

        public async Task DisposeAsync()
        {
            await WithOidc.DisposeAsync();
            await Without.DisposeAsync();
            await Provider.DisposeAsync();
            await Database.DisposeAsync();
        }
    }

    public async Task InitializeAsync()
    {
        _provider.Reset();
        await using var db = _database.CreateDbContext();
        _trust = await TestTrust.CreateAsync(db);
        _northPupilId = (await TestTrust.AddPupilAsync(db, _trust.NorthAcademyId, 4, "4N", "Nora", "Northcott")).Pupil.Id;
        _southPupilId = (await TestTrust.AddPupilAsync(db, _trust.SouthAcademyId, 4, "4S", "Sid", "Southwell")).Pupil.Id;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task WithAuthorityAndClientId_TheSignInPageOffersIt()
    {
        using var client = StaffAccounts.Client(_withOidc);

        var page = await client.GetStringAsync("/account/sign-in");

        Assert.Contains("Sign in with the Trust&#x27;s account", page, StringComparison.Ordinal);
        Assert.NotNull(await _withOidc.Services.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync("oidc"));
    }

    [Fact]
    public async Task WithoutSettings_ThereIsNoExternalSignIn()
    {
        using var client = StaffAccounts.Client(_without);

        var page = await client.GetStringAsync("/account/sign-in");
        using var start = await client.GetAsync("/account/external");

        Assert.DoesNotContain("Sign in with", page, StringComparison.Ordinal);
        Assert.Null(await _without.Services.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync("oidc"));
        Assert.Equal(HttpStatusCode.NotFound, start.StatusCode);
    }

    [Theory]
    [InlineData("http://login.example.test/tenant/v2.0")]
    [InlineData("login.example.test")]
    public void AnAuthorityOverPlainHttpOnTheNetwork_OrNotAnAddress_StopsTheAppFromStarting(string authority)
    {
        using var factory = new ConsentHubWebFactory(_database);
        factory.Settings["StaffSignIn:OpenIdConnect:Authority"] = authority;
        factory.Settings["StaffSignIn:OpenIdConnect:ClientId"] = TestOpenIdProvider.ClientId;

        var e = Assert.ThrowsAny<Exception>(() => factory.Services);

        Assert.Contains("StaffSignIn:OpenIdConnect:Authority must be an absolute https:// address", Flatten(e), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvitedOfficeStaff_FirstSignIn_IsLinkedByEmail_AndWorksInTheirOwnAcademyOnly()
    {
        var (userId, email) = await InviteAsync(StaffRoles.OfficeStaff, _trust.NorthAcademyId);
        _provider.Identity = new TestIdentity(NewSubject(), email, Name: "Olive Office");
        using var browser = new RedirectingBrowser(_withOidc);

        var signInPage = await browser.GoAsync($"/account/sign-in?returnUrl=%2Fpupils%2F{_northPupilId}");
        var page = await browser.GoAsync(ProviderButton(signInPage));

        Assert.Contains(browser.History, u => u.Authority == _provider.Authority.Authority && u.AbsolutePath == "/authorize");
        Assert.Equal($"/pupils/{_northPupilId}", page.Address.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Northcott", page.Html, StringComparison.Ordinal);
        var asked = _provider.AuthorizeRequests.Last();
        Assert.Equal("S256", asked["code_challenge_method"]);
        Assert.False(string.IsNullOrEmpty(asked["nonce"]));
        Assert.Empty(_provider.TokenErrors);

        using var own = await browser.Http.GetAsync($"/checks/pupils/{_northPupilId}");
        using var other = await browser.Http.GetAsync($"/checks/pupils/{_southPupilId}");
        using var otherRecord = await browser.Http.GetAsync($"/pupils/{_southPupilId}");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.DoesNotContain("Southwell", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("Southwell", await otherRecord.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal([_provider.Identity.Subject], await LinkedSubjectsAsync(userId));
        Assert.Contains(await AuditAsync("staff.external-login-linked"), e => e.Actor == $"staff:{userId}");
        Assert.Contains(await AuditAsync("staff.signed-in"), e => e.Actor == $"staff:{userId}" && ReasonOf(e) == "oidc");
    }

    [Fact]
    public async Task TheSecondSignIn_FindsTheAccountBySubject_EvenAfterTheEmailChangedAtTheProvider()
    {
        var (userId, email) = await InviteAsync(StaffRoles.Teacher, _trust.NorthAcademyId, "Tess Teacher");
        var subject = NewSubject();
        _provider.Identity = new TestIdentity(subject, email);
        using (var first = new RedirectingBrowser(_withOidc))
            Assert.Equal("/checks", (await first.GoAsync("/account/external")).Address.AbsolutePath);

        _provider.Identity = new TestIdentity(subject, $"renamed-{Guid.NewGuid():N}@trust.example.org");
        using var second = new RedirectingBrowser(_withOidc);
        var page = await second.GoAsync("/account/external?returnUrl=%2Faccount");

        Assert.Equal("/account", page.Address.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Your account", page.Html, StringComparison.Ordinal);
        Assert.Contains("Tess Teacher", page.Html, StringComparison.Ordinal);
        Assert.Equal([subject], await LinkedSubjectsAsync(userId));
        Assert.Null(await FindByEmailAsync(_provider.Identity.Email));
    }

    [Fact]
    public async Task AnEmailWithNoInvitedAccount_IsRefusedWithAClearMessage_AndNoAccountIsCreated()
    {
        var stranger = $"stranger-{Guid.NewGuid():N}@trust.example.org";
        _provider.Identity = new TestIdentity(NewSubject(), stranger);
        var accountsBefore = await CountAccountsAsync();
        using var browser = new RedirectingBrowser(_withOidc);

        var page = await browser.GoAsync("/account/external");

        Assert.Equal("/account/sign-in", page.Address.AbsolutePath);
        Assert.Contains("There is no ConsentHub account for that sign-in. Ask your administrator for an invitation.", page.Html, StringComparison.Ordinal);
        Assert.Null(await FindByEmailAsync(stranger));
        Assert.Equal(accountsBefore, await CountAccountsAsync());
        await AssertNotSignedInAsync(browser);
        Assert.Contains(await AuditAsync("staff.sign-in-failed"), e => e.Actor == "anonymous" && ReasonOf(e) == "external-no-account");
    }

    [Fact]
    public async Task AnEmailTheProviderHasNotVerified_IsNotLinked()
    {
        var (userId, email) = await InviteAsync(StaffRoles.OfficeStaff, _trust.NorthAcademyId);
        _provider.Identity = new TestIdentity(NewSubject(), email, EmailVerified: false);
        using var browser = new RedirectingBrowser(_withOidc);

        var page = await browser.GoAsync("/account/external");

        Assert.Equal("/account/sign-in", page.Address.AbsolutePath);
        Assert.Contains("did not confirm your email address", page.Html, StringComparison.Ordinal);
        Assert.Empty(await LinkedSubjectsAsync(userId));
        await AssertNotSignedInAsync(browser);
        Assert.Contains(await AuditAsync("staff.sign-in-failed"), e => ReasonOf(e) == "external-email-not-verified");
    }

    [Fact]
    public async Task ADisabledAccount_IsNotLinked_AndCannotSignInThroughTheProvider()
    {
        var (userId, email) = await InviteAsync(StaffRoles.OfficeStaff, _trust.NorthAcademyId);
        await DisableAsync(userId);
        _provider.Identity = new TestIdentity(NewSubject(), email);
        using var browser = new RedirectingBrowser(_withOidc);

        var page = await browser.GoAsync("/account/external");

        Assert.Equal("/account/sign-in", page.Address.AbsolutePath);
        Assert.Contains("This account cannot sign in. Ask your administrator.", page.Html, StringComparison.Ordinal);
        Assert.Empty(await LinkedSubjectsAsync(userId));
        await AssertNotSignedInAsync(browser);
        Assert.Contains(await AuditAsync("staff.sign-in-failed"), e => e.Actor == $"staff:{userId}" && ReasonOf(e) == "external-not-allowed");
    }

    [Fact]
    public async Task AnAccountDisabledAfterLinking_CannotSignInThroughTheProvider()
    {
        var (userId, email) = await InviteAsync(StaffRoles.OfficeStaff, _trust.NorthAcademyId);
        _provider.Identity = new TestIdentity(NewSubject(), email);
        using (var first = new RedirectingBrowser(_withOidc))
            Assert.Equal("/", (await first.GoAsync("/account/external")).Address.AbsolutePath);
        await DisableAsync(userId);

        using var browser = new RedirectingBrowser(_withOidc);
        var page = await browser.GoAsync("/account/external");

        Assert.Equal("/account/sign-in", page.Address.AbsolutePath);
        Assert.Contains("This account cannot sign in. Ask your administrator.", page.Html, StringComparison.Ordinal);
        await AssertNotSignedInAsync(browser);
        Assert.Contains(await AuditAsync("staff.sign-in-failed"), e => e.Actor == $"staff:{userId}" && ReasonOf(e) == "external-not-allowed");
    }

    [Fact]
    public async Task ALockedOutAccount_CannotSignInThroughTheProvider()
    {
        var (userId, email) = await InviteAsync(StaffRoles.OfficeStaff, _trust.NorthAcademyId);
        await using (var scope = _withOidc.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByIdAsync(userId.ToString()))!, DateTimeOffset.UtcNow.AddMinutes(15));
        }
        _provider.Identity = new TestIdentity(NewSubject(), email);
        using var browser = new RedirectingBrowser(_withOidc);

        var page = await browser.GoAsync("/account/external");

        Assert.Equal("/account/sign-in", page.Address.AbsolutePath);
        Assert.Contains("This account is locked after too many failed attempts.", page.Html, StringComparison.Ordinal);
        await AssertNotSignedInAsync(browser);
        Assert.Contains(await AuditAsync("staff.locked-out"), e => e.Actor == $"staff:{userId}" && ReasonOf(e) == "external-locked-out");
    }

    [Fact]
    public async Task AnotherSubjectWithTheSameEmail_CannotTakeOverALinkedAccount()
    {
        var (userId, email) = await InviteAsync(StaffRoles.OfficeStaff, _trust.NorthAcademyId);
        var owner = NewSubject();
        _provider.Identity = new TestIdentity(owner, email);
        using (var first = new RedirectingBrowser(_withOidc))
            Assert.Equal("/", (await first.GoAsync("/account/external")).Address.AbsolutePath);

        _provider.Identity = new TestIdentity(NewSubject(), email);
        using var browser = new RedirectingBrowser(_withOidc);
        var page = await browser.GoAsync("/account/external");

        Assert.Equal("/account/sign-in", page.Address.AbsolutePath);
        Assert.Contains("already linked to a different", page.Html, StringComparison.Ordinal);
        Assert.Equal([owner], await LinkedSubjectsAsync(userId));
        await AssertNotSignedInAsync(browser);
        Assert.Contains(await AuditAsync("staff.sign-in-failed"), e => e.Actor == $"staff:{userId}" && ReasonOf(e) == "external-subject-mismatch");
    }

    [Fact]
    public async Task ATrustWideRoleWithAnAuthenticator_IsAskedForItsCode_AndIsNotSignedInUntilThen()
    {
        var user = await StaffAccounts.CreateAsync(_withOidc.Services, StaffRoles.CommunicationsDirector);
        _provider.Identity = new TestIdentity(NewSubject(), user.Email!);
        using var browser = new RedirectingBrowser(_withOidc);

        var page = await browser.GoAsync("/account/external?returnUrl=%2Faccount");

        Assert.Equal("/account/sign-in/two-factor", page.Address.AbsolutePath);
        Assert.Contains("Enter your code", page.Html, StringComparison.Ordinal);
        await AssertNotSignedInAsync(browser);

        // The form posts back to the page's own address, return address included, as a browser would.
        var form = await StaffAccounts.FormFieldsAsync(browser.Http, page.Address.PathAndQuery);
        form["Input.Code"] = StaffAccounts.CurrentCode(user);
        using var code = await browser.Http.PostAsync(page.Address.PathAndQuery, new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.Redirect, code.StatusCode);
        Assert.Equal("/account", code.Headers.Location?.AbsolutePath);
        using var account = await browser.Http.GetAsync("/account");
        Assert.Equal(HttpStatusCode.OK, account.StatusCode);
        var signedIn = Assert.Single(await AuditAsync("staff.signed-in"), e => e.Actor == $"staff:{user.Id}");
        Assert.Equal("oidc+authenticator", ReasonOf(signedIn));
    }

    [Fact]
    public async Task AnInvitedTrustAdminWithoutAnAuthenticator_IsSentToEnrolOne_BeforeAnythingElse()
    {
        var (userId, email) = await InviteAsync(StaffRoles.TrustAdmin, null);
        _provider.Identity = new TestIdentity(NewSubject(), email);
        using var browser = new RedirectingBrowser(_withOidc);

        var page = await browser.GoAsync("/account/external?returnUrl=%2Fstaff");

        Assert.Equal(TwoFactorEnrolmentPath, page.Address.AbsolutePath);
        using var staffPage = await browser.Http.GetAsync("/staff");
        Assert.Equal(HttpStatusCode.Redirect, staffPage.StatusCode);
        Assert.Equal(TwoFactorEnrolmentPath, staffPage.Headers.Location?.OriginalString);
        Assert.Contains(await AuditAsync("staff.signed-in"), e => e.Actor == $"staff:{userId}" && ReasonOf(e) == "oidc");
    }

    [Theory]
    [InlineData(IdTokenForgery.WrongSignature)]
    [InlineData(IdTokenForgery.WrongAudience)]
    [InlineData(IdTokenForgery.WrongNonce)]
    [InlineData(IdTokenForgery.WrongIssuer)]
    [InlineData(IdTokenForgery.Expired)]
    public async Task AForgedIdToken_IsRejected_AndSignsNoOneIn(IdTokenForgery forgery)
    {
        var (userId, email) = await InviteAsync(StaffRoles.OfficeStaff, _trust.NorthAcademyId);
        _provider.Identity = new TestIdentity(NewSubject(), email);
        _provider.Forgery = forgery;
        var rejectedBefore = (await AuditAsync("staff.sign-in-failed")).Count(e => ReasonOf(e) == "external-rejected");
        using var browser = new RedirectingBrowser(_withOidc);
        try
        {
            var page = await browser.GoAsync("/account/external");

            Assert.Equal("/account/sign-in", page.Address.AbsolutePath);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Contains("That sign-in did not work. Try again.", page.Html, StringComparison.Ordinal);
            Assert.Empty(await LinkedSubjectsAsync(userId));
            await AssertNotSignedInAsync(browser);
            Assert.Equal(rejectedBefore + 1, (await AuditAsync("staff.sign-in-failed")).Count(e => ReasonOf(e) == "external-rejected"));
        }
        finally
        {
            _provider.Forgery = IdTokenForgery.None;
        }
    }

    private const string TwoFactorEnrolmentPath = "/account/two-factor";

    private static string NewSubject() => Guid.NewGuid().ToString("N");

    /// <summary>The link behind the "Sign in with …" button (relative to the page's base, "/").</summary>
    private static string ProviderButton(BrowserPage page)
    {
        var href = ButtonLink().Match(page.Html);
        Assert.True(href.Success, "The sign-in page has no provider button.");
        return "/" + WebUtility.HtmlDecode(href.Groups[1].Value);
    }

    [GeneratedRegex("""<a [^>]*href="(account/external[^"]*)"[^>]*>Sign in with""")]
    private static partial Regex ButtonLink();

    /// <summary>Invites an account exactly as a trust administrator does (no password, the role over its scope).</summary>
    private async Task<(Guid UserId, string Email)> InviteAsync(string role, Guid? scopeId, string name = "Invited Person")
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@trust.example.org";
        await using var scope = _withOidc.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<InviteStaff>()
            .HandleAsync(AccessScope.Trust("staff:admin"), new InviteStaff.Request(email, name, role, scopeId), (id, token) => $"https://localhost/account/set-password?user={id}");
        return (Assert.IsType<InviteStaff.Result.Invited>(result).UserId, email);
    }

    private async Task DisableAsync(Guid userId)
    {
        await using var scope = _withOidc.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = (await users.FindByIdAsync(userId.ToString()))!;
        user.Disabled = true;
        Assert.True((await users.UpdateAsync(user)).Succeeded);
    }

    private async Task<List<string>> LinkedSubjectsAsync(Guid userId)
    {
        await using var scope = _withOidc.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        return [.. (await users.GetLoginsAsync((await users.FindByIdAsync(userId.ToString()))!)).Where(l => l.LoginProvider == "oidc").Select(l => l.ProviderKey)];
    }

    private async Task<StaffUser?> FindByEmailAsync(string email)
    {
        await using var scope = _withOidc.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByEmailAsync(email);
    }

    private async Task<int> CountAccountsAsync()
    {
        await using var db = _database.CreateDbContext();
        return await db.Users.CountAsync();
    }

    /// <summary>No sign-in cookie: a staff page sends the browser to sign in.</summary>
    private static async Task AssertNotSignedInAsync(RedirectingBrowser browser)
    {
        using var response = await browser.Http.GetAsync("/account");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/sign-in", response.Headers.Location?.AbsolutePath);
    }

    private async Task<List<AuditEntry>> AuditAsync(string action)
    {
        await _withOidc.Services.GetRequiredService<AuditReadWriter>().FlushAsync();
        await using var db = _database.CreateDbContext();
        return await db.AuditEntries.Where(e => e.Action == action).ToListAsync();
    }

    private static string? ReasonOf(AuditEntry entry)
    {
        using var json = System.Text.Json.JsonDocument.Parse(entry.Payload);
        return json.RootElement.TryGetProperty("data", out var data) && data.ValueKind == System.Text.Json.JsonValueKind.Object
            && data.TryGetProperty("reason", out var reason) ? reason.GetString() : null;
    }

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : e.Message + " / " + Flatten(e.InnerException);
}
