using ConsentHub.Access;
using ConsentHub.Staff;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Ordering;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ConsentHub.Web.Tests.Browser;

/// <summary>
/// In Chromium, the app as a developer runs it (Development, plain http on a loopback port) with the test OpenID
/// provider as its authority: the browser itself carries the correlation and nonce cookies, runs the provider's
/// form_post page and lands signed in.
/// </summary>
[LongRunning(9)]
public sealed class ExternalSignInJourneyTests : IAsyncLifetime, IDisposable
{
    private readonly DatabaseFixture _database = new();
    private readonly TestOpenIdProvider _provider = new();
    private ConsentHubWebFactory _factory = null!;
    private IBrowser _browser = null!;
    private Uri _baseAddress = null!;

    public async Task InitializeAsync()
    {
        _database.Template = await DemoTrustTemplate.GetAsync();
        await _database.InitializeAsync();
        await _provider.StartAsync();
        _factory = new ConsentHubWebFactory(_database, environment: "Development");
        _factory.Settings["StaffSignIn:OpenIdConnect:Authority"] = _provider.Authority.ToString();
        _factory.Settings["StaffSignIn:OpenIdConnect:ClientId"] = TestOpenIdProvider.ClientId;
        _factory.Settings["StaffSignIn:OpenIdConnect:ClientSecret"] = _provider.ClientSecret;
        _factory.Settings["StaffSignIn:OpenIdConnect:DisplayName"] = "the Trust's account";
        _factory.UseKestrel(0);
        _factory.StartServer();
        _baseAddress = _factory.ClientOptions.BaseAddress;
        _provider.RedirectUris.Add(new Uri(_baseAddress, "signin-oidc").ToString());
        _browser = await SharedChromium.GetAsync();
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        await _provider.DisposeAsync();
        await _database.DisposeAsync();
    }

    public void Dispose() => _factory?.Dispose();

    [Fact]
    public async Task DemoOfficeStaff_SignsInWithTheTrustsProvider_AndLandsOnThePageTheyAskedFor()
    {
        _provider.Identity = new TestIdentity(Guid.NewGuid().ToString("N"), SeedDemoStaff.EmailFor(StaffRoles.OfficeStaff));
        await using var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _baseAddress.ToString(), Locale = "en-GB" });
        var page = await context.NewPageAsync();

        var trail = new List<string>();
        page.Request += (_, r) => trail.Add($"{r.Method} {new Uri(r.Url).GetLeftPart(UriPartial.Path)}");
        await page.GotoAsync("/account");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with the Trust's account" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your account", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Demo OfficeStaff")).ToBeVisibleAsync();
        Assert.Equal("/account", new Uri(page.Url).AbsolutePath);
        // The browser went to the provider and ran its self-posting page back to the app.
        Assert.Contains($"GET {new Uri(_provider.Authority, "authorize")}", trail);
        Assert.Contains($"POST {new Uri(_baseAddress, "signin-oidc")}", trail);
        Assert.Contains(_provider.AuthorizeRequests, q => q.TryGetValue("response_mode", out var mode) && mode == "form_post");
        Assert.Empty(_provider.TokenErrors);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, "signed-in-with-provider.png"), FullPage = true });
    }
}
