using Microsoft.Playwright;

namespace ConsentHub.Web.Tests.Infrastructure;

/// <summary>
/// One Chromium for every browser journey in the test process: launching it is the slow part, and journeys are
/// kept apart by contexts of their own (cookies, storage), never by separate browsers. Closed when the process ends.
/// </summary>
public static class SharedChromium
{
    private static readonly Lazy<Task<(IPlaywright Playwright, IBrowser Browser)>> Instance = new(LaunchAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    public static async Task<IBrowser> GetAsync() => (await Instance.Value).Browser;

    private static async Task<(IPlaywright, IBrowser)> LaunchAsync()
    {
        // Expectations wait for their condition; on a loaded CI machine a page can take longer than the 5 s default.
        Assertions.SetDefaultExpectTimeout(20_000);
        var playwright = await Playwright.CreateAsync();
        var browser = await BrowserFixture.LaunchChromiumAsync(playwright);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                browser.CloseAsync().Wait(TimeSpan.FromSeconds(10));
            }
            catch (AggregateException)
            {
            }
            catch (PlaywrightException)
            {
            }
            playwright.Dispose();
        };
        return (playwright, browser);
    }
}
