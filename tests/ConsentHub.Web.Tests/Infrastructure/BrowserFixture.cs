using ConsentHub.Testing.Database;
using Microsoft.Playwright;

namespace ConsentHub.Web.Tests.Infrastructure;

/// <summary>
/// The real host on a free loopback port (Kestrel, not the in-memory test server) against a fresh database,
/// driven by the machine's own Chromium (one instance for the whole test process, a new context per journey).
/// Never downloads a browser.
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public DatabaseFixture Database { get; } = new();
    public ConsentHubWebFactory Factory { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Screenshots and other artifacts land here (kept by CI).</summary>
    public static string ArtifactsDirectory
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("CONSENTHUB_TEST_ARTIFACTS")
                      ?? Path.Combine(AppContext.BaseDirectory, "artifacts");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"Browser tests need Chromium at {ChromiumPath}: apt-get install -y chromium (./build.sh test installs it as root).");

        // The journeys run on the demo trust, as a developer's first run has it; copied, not loaded again. A journey
        // that makes its own trust starts at once on an empty database instead of waiting for the demo trust's load.
        if (WithDemoTrust) Database.Template = await DemoTrustTemplate.GetAsync();
        await Database.InitializeAsync();
        Factory = new ConsentHubWebFactory(Database, environment: "Development");
        if (!WithDemoTrust) Factory.Settings["Demo:Seed"] = "false";
        Configure(Factory);
        Factory.UseKestrel(0);
        Factory.StartServer();
        BaseAddress = Factory.ClientOptions.BaseAddress;

        Browser = await SharedChromium.GetAsync();
    }

    /// <summary>The machine's Chromium, headless, with nothing that reaches out to the network on its own.</summary>
    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright)
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"Browser tests need Chromium at {ChromiumPath}: apt-get install -y chromium (./build.sh test installs it as root).");
        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
            ],
        });
    }

    /// <summary>
    /// Whether the journey runs on the demo trust (about 3,000 pupils, loaded once per test process). A journey that
    /// builds its own trust says no, and gets an empty database (reference data only) without waiting for the load.
    /// </summary>
    protected virtual bool WithDemoTrust => true;

    /// <summary>Settings or services a journey's host needs beyond the defaults.</summary>
    protected virtual void Configure(ConsentHubWebFactory factory)
    {
    }

    /// <summary>A new context (cookies, storage) per journey; phone-sized when asked.</summary>
    public Task<IBrowserContext> NewContextAsync(bool phone = false) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 800 },
            IsMobile = phone,
            HasTouch = phone,
            Locale = "en-GB",
        });

    public async Task DisposeAsync()
    {
        // The browser is shared by every journey in this test process (SharedChromium): only the host goes.
        if (Factory is not null) await Factory.DisposeAsync();
        await Database.DisposeAsync();
    }
}
