using System.Net;
using ConsentHub.Access;
using ConsentHub.Staff;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Ordering;
using ConsentHub.Web.Security;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ConsentHub.Web.Tests.Security;

/// <summary>
/// A captured sign-in cookie (copied from a shared computer, say) stops working the moment its session ends:
/// sign-out, sign out everywhere, disabling, a role given or taken away. Open pages stop being served at their
/// next revalidation.
/// </summary>
[LongRunning(10)]
public sealed class SessionEndTests(WebTestFixture fixture) : IClassFixture<WebTestFixture>, IAsyncLifetime
{
    private static readonly Uri Site = new("https://localhost");
    private TestTrust _trust = null!;

    public async Task InitializeAsync()
    {
        _ = fixture.Factory.Services;
        await using var db = fixture.Database.CreateDbContext();
        _trust = await TestTrust.CreateAsync(db);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A browser: signed in through the real form, its cookies readable so the test can copy them.</summary>
    private async Task<(HttpClient Browser, string CapturedCookies)> SignInAsync(StaffUser user)
    {
        var jar = new CookieContainer();
        var browser = fixture.Factory.CreateDefaultClient(Site, new CookieContainerHandler(jar));
        using var response = await StaffAccounts.PostSignInAsync(browser, user.Email!, StaffAccounts.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (browser, jar.GetCookieHeader(Site));
    }

    /// <summary>Another machine replaying the copied cookies.</summary>
    private HttpClient Replay(string cookies)
    {
        var client = fixture.Factory.CreateDefaultClient(Site);
        client.DefaultRequestHeaders.Add("Cookie", cookies);
        return client;
    }

    private static async Task AssertSentToSignInAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/account");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/sign-in", response.Headers.Location?.AbsolutePath);
    }

    private static async Task AssertSignedInAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/account");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>What an open page's circuit checks at each revalidation, for the principal inside the cookie.</summary>
    private async Task<bool> OpenPageStillServedAsync(string cookies)
    {
        var options = fixture.Factory.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        var value = cookies.Split("; ").Select(c => c.Split('=', 2)).Single(c => c[0] == options.Cookie.Name)[1];
        var ticket = options.TicketDataFormat.Unprotect(value);
        Assert.NotNull(ticket);
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        return await StaffRevalidatingAuthenticationStateProvider.IsCircuitUserValidAsync(scope.ServiceProvider, ticket.Principal, CancellationToken.None);
    }

    [Fact]
    public async Task ACapturedCookie_FailsAtOnce_AfterSignOut_AndTheOpenPageIsNoLongerServed()
    {
        var user = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.Teacher, _trust.NorthAcademyId);
        var (browser, captured) = await SignInAsync(user);
        using var _ = browser;
        using var thief = Replay(captured);
        await AssertSignedInAsync(thief);
        Assert.True(await OpenPageStillServedAsync(captured));

        var form = await StaffAccounts.FormFieldsAsync(browser, "/account");
        using (var signOut = await browser.PostAsync("/account/sign-out", new FormUrlEncodedContent(form)))
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        await AssertSentToSignInAsync(thief);
        Assert.False(await OpenPageStillServedAsync(captured));
    }

    [Fact]
    public async Task SigningOutOneBrowser_LeavesTheOtherSignedIn()
    {
        var user = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.Teacher, _trust.NorthAcademyId);
        var (laptop, _) = await SignInAsync(user);
        var (desktop, _) = await SignInAsync(user);
        using (laptop)
        using (desktop)
        {
            var form = await StaffAccounts.FormFieldsAsync(laptop, "/account");
            using (await laptop.PostAsync("/account/sign-out", new FormUrlEncodedContent(form))) { }

            await AssertSentToSignInAsync(laptop);
            await AssertSignedInAsync(desktop);
        }
    }

    public static TheoryData<string> AccessChanges => ["signed out everywhere", "disabled", "role given", "role taken away"];

    [Theory]
    [MemberData(nameof(AccessChanges))]
    public async Task ACapturedCookie_FailsAtOnce_AfterAChangeOfAccess(string change)
    {
        var user = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.OfficeStaff, _trust.NorthAcademyId);
        if (change == "role taken away")
        {
            await fixture.Factory.Services.GetRequiredService<GrantStaffRole>().HandleAsync(Admin, new GrantStaffRole.Request(user.Id, StaffRoles.Teacher, _trust.NorthAcademyId));
        }
        var (browser, captured) = await SignInAsync(user);
        using var _ = browser;
        using var thief = Replay(captured);
        await AssertSignedInAsync(thief);

        var services = fixture.Factory.Services;
        switch (change)
        {
            case "signed out everywhere":
                Assert.True(await services.GetRequiredService<SignOutStaffEverywhere>().HandleAsync(Admin, user.Id));
                break;
            case "disabled":
                await services.GetRequiredService<SetStaffAccountDisabled>().HandleAsync(Admin, Guid.Empty, new SetStaffAccountDisabled.Request(user.Id, true));
                break;
            case "role given":
                await services.GetRequiredService<GrantStaffRole>().HandleAsync(Admin, new GrantStaffRole.Request(user.Id, StaffRoles.Dsl, _trust.NorthAcademyId));
                break;
            default:
                await using (var db = fixture.Database.CreateDbContext())
                {
                    var teacher = db.StaffRoleAssignments.Single(a => a.UserId == user.Id && a.Role == StaffRoles.Teacher);
                    await services.GetRequiredService<RevokeStaffRole>().HandleAsync(Admin, new RevokeStaffRole.Request(user.Id, teacher.Id));
                }
                break;
        }

        await AssertSentToSignInAsync(thief);
        await AssertSentToSignInAsync(browser);
        Assert.False(await OpenPageStillServedAsync(captured));
    }

    private static AccessScope Admin => AccessScope.Trust("staff:" + Guid.Empty);
}
