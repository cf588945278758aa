using System.Net;
using ConsentHub.Access;
using ConsentHub.Testing.Builders;
using ConsentHub.Web.Tests.Infrastructure;

namespace ConsentHub.Web.Tests.Security;

/// <summary>Refused and unknown pages answer inside the app's layout, with their real status, and name the school in the title.</summary>
public sealed class ErrorPagesTests(WebTestFixture fixture) : IClassFixture<WebTestFixture>, IAsyncLifetime
{
    private TestTrust _trust = null!;

    public async Task InitializeAsync()
    {
        _ = fixture.Factory.Services;
        await using var db = fixture.Database.CreateDbContext();
        _trust = await TestTrust.CreateAsync(db);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task AnUnknownStaffAddress_Is404_WithThePageNotFoundPageInsideTheLayout()
    {
        var office = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.OfficeStaff, _trust.NorthAcademyId);
        using var client = await StaffAccounts.SignedInClientAsync(fixture.Factory, office);

        using var response = await client.GetAsync("/requests/no-such-page");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("<h1>Page not found</h1>", html, StringComparison.Ordinal);
        Assert.Contains("Open requests", html, StringComparison.Ordinal); // the menu of the layout
        Assert.StartsWith("<title>Page not found · ", WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, "<title>[^<]*</title>").Value), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APageTheRoleMayNotOpen_Is403_WithTheNoAccessPageInsideTheLayout()
    {
        var teacher = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.Teacher, _trust.NorthAcademyId);
        using var client = await StaffAccounts.SignedInClientAsync(fixture.Factory, teacher);

        using var response = await client.GetAsync("/requests");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("<h1>You do not have access to this page</h1>", html, StringComparison.Ordinal);
        Assert.Contains("Check consent", html, StringComparison.Ordinal); // the menu of the layout
    }

    [Fact]
    public async Task AStaffPage_TitleNamesThePageTheSchoolAndTheApp()
    {
        var office = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.OfficeStaff, _trust.NorthAcademyId);
        using var client = await StaffAccounts.SignedInClientAsync(fixture.Factory, office);

        var html = await client.GetStringAsync("/requests/paper");

        var title = System.Text.RegularExpressions.Regex.Match(html, "<title>[^<]*</title>").Value;
        Assert.Equal("<title>Record a paper form · North Academy · ConsentHub</title>", WebUtility.HtmlDecode(title));
    }

    [Fact]
    public async Task AnAdminWhoMustEnrolTwoFactor_SeesOnlyTheEnrolmentAndSignOutInTheMenu()
    {
        var admin = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.TrustAdmin, enrolTwoFactor: false);
        using var client = await StaffAccounts.SignedInClientAsync(fixture.Factory, admin);

        var html = await client.GetStringAsync("/account/two-factor");

        Assert.Contains("Set up two-factor sign-in", html, StringComparison.Ordinal);
        Assert.Contains("Sign out", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Staff accounts", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Check consent", html, StringComparison.Ordinal);
    }
}
