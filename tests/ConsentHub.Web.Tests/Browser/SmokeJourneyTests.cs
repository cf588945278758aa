using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ConsentHub.Web.Tests.Browser;

public sealed class SmokeJourneyTests(EmptyBrowserFixture browser) : IClassFixture<EmptyBrowserFixture>
{
    [Fact]
    public async Task HomePage_OpensInChromium_AndIsScreenshotted()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync("/");
        Assert.NotNull(response);
        Assert.True(response.Ok, $"GET / answered {response.Status}");

        var heading = page.GetByRole(AriaRole.Heading, new() { Name = "ConsentHub", Level = 1 });
        await Assertions.Expect(heading).ToBeVisibleAsync();
        Assert.Equal("Home · ConsentHub", await page.TitleAsync());

        var shot = Path.Combine(BrowserFixture.ArtifactsDirectory, "smoke-home.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        Assert.True(new FileInfo(shot).Length > 5_000, "The screenshot is suspiciously small (blank page?).");
    }
}
