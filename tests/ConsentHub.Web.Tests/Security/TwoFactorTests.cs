using System.Net;
using System.Text.RegularExpressions;
using ConsentHub.Access;
using ConsentHub.Testing.Builders;
using ConsentHub.Web.Tests.Infrastructure;

namespace ConsentHub.Web.Tests.Security;

/// <summary>Authenticator (TOTP) sign-in: required for trust- and region-wide roles, offered to everyone.</summary>
public sealed partial class TwoFactorTests(WebTestFixture fixture) : IClassFixture<WebTestFixture>, IAsyncLifetime
{
    private TestTrust _trust = null!;

    public async Task InitializeAsync()
    {
        _ = fixture.Factory.Services;
        await using var db = fixture.Database.CreateDbContext();
        _trust = await TestTrust.CreateAsync(db);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<string> EnrolAsync(HttpClient client)
    {
        var page = await client.GetStringAsync(TwoFactorPath);
        var key = KeyOnPage().Match(page).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        Assert.Contains("data:image/png;base64,", page, StringComparison.Ordinal);
        var form = await StaffAccounts.FormFieldsAsync(client, TwoFactorPath);
        form["Input.Code"] = StaffAccounts.CurrentCode(key);
        using var response = await client.PostAsync(TwoFactorPath, new FormUrlEncodedContent(form));
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("recovery-codes", html, StringComparison.Ordinal);
        return key;
    }

    private const string TwoFactorPath = "/account/two-factor";

    [GeneratedRegex("""id="authenticator-key">([a-z0-9 ]+)<""")]
    private static partial Regex KeyOnPage();

    [Fact]
    public async Task ARegionalDirectorWithoutAnAuthenticator_IsSentToEnrolBeforeAnythingElse_ThenGetsIn()
    {
        var user = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.RegionalDirector, regionId: _trust.NorthRegionId, enrolTwoFactor: false);
        using var client = await StaffAccounts.SignedInClientAsync(fixture.Factory, user);

        using var before = await client.GetAsync("/account");
        Assert.Equal(HttpStatusCode.Redirect, before.StatusCode);
        Assert.Equal(TwoFactorPath, before.Headers.Location?.OriginalString);

        await EnrolAsync(client);

        using var after = await client.GetAsync("/account");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task ATeacher_IsNotMadeToEnrol()
    {
        var user = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.Teacher, _trust.NorthAcademyId);
        using var client = await StaffAccounts.SignedInClientAsync(fixture.Factory, user);

        using var response = await client.GetAsync("/account");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OnceEnrolled_SigningInAsksForTheCode_AndAWrongCodeDoesNotSignIn()
    {
        var user = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.Teacher, _trust.NorthAcademyId);
        using (var first = await StaffAccounts.SignedInClientAsync(fixture.Factory, user))
        {
            var key = await EnrolAsync(first);
            using var client = StaffAccounts.Client(fixture.Factory);
            using var password = await StaffAccounts.PostSignInAsync(client, user.Email!, StaffAccounts.Password, returnUrl: "/account");
            Assert.Equal("/account/sign-in/two-factor", password.Headers.Location?.AbsolutePath);
            using var notYet = await client.GetAsync("/account");
            Assert.Equal(HttpStatusCode.Redirect, notYet.StatusCode);

            var wrongCode = StaffAccounts.CurrentCode(key) == "000000" ? "111111" : "000000";
            using var wrong = await StaffAccounts.PostTwoFactorCodeAsync(client, wrongCode);
            Assert.Contains("not right", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            using var right = await StaffAccounts.PostTwoFactorCodeAsync(client, StaffAccounts.CurrentCode(key));
            Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
            using var account = await client.GetAsync("/account");
            Assert.Equal(HttpStatusCode.OK, account.StatusCode);
        }
    }

    [Fact]
    public async Task ARecoveryCode_SignsInOnce()
    {
        var user = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.Dsl, _trust.NorthAcademyId);
        string recovery;
        using (var first = await StaffAccounts.SignedInClientAsync(fixture.Factory, user))
        {
            var page = await first.GetStringAsync(TwoFactorPath);
            var key = KeyOnPage().Match(page).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
            var form = await StaffAccounts.FormFieldsAsync(first, TwoFactorPath);
            form["Input.Code"] = StaffAccounts.CurrentCode(key);
            using var enabled = await first.PostAsync(TwoFactorPath, new FormUrlEncodedContent(form));
            recovery = RecoveryCode().Match(await enabled.Content.ReadAsStringAsync()).Groups[1].Value;
        }
        Assert.NotEmpty(recovery);

        using var client = StaffAccounts.Client(fixture.Factory);
        using var _ = await StaffAccounts.PostSignInAsync(client, user.Email!, StaffAccounts.Password);
        using var used = await StaffAccounts.PostTwoFactorCodeAsync(client, recovery);
        Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);

        using var again = StaffAccounts.Client(fixture.Factory);
        using var __ = await StaffAccounts.PostSignInAsync(again, user.Email!, StaffAccounts.Password);
        using var reused = await StaffAccounts.PostTwoFactorCodeAsync(again, recovery);
        Assert.Equal(HttpStatusCode.OK, reused.StatusCode);
        Assert.Contains("not right", await reused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [GeneratedRegex("""<ul id="recovery-codes"[^>]*>\s*<li>([^<]+)</li>""")]
    private static partial Regex RecoveryCode();
}
