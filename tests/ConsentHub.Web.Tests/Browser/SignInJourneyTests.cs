using ConsentHub.Staff;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ConsentHub.Web.Tests.Browser;

/// <summary>In Chromium, under the real Content-Security-Policy: a demo member of staff signs in and out.</summary>
public sealed class SignInJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task DemoOfficeStaff_SignsIn_SeesTheirAccount_AndSignsOut_WithNothingBlockedByTheContentSecurityPolicy()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var blocked = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) blocked.Add(m.Text);
        };

        await page.GotoAsync("/account");
        await page.GetByLabel("Email").FillAsync(SeedDemoStaff.EmailFor(Access.StaffRoles.OfficeStaff));
        await page.GetByLabel("Password").FillAsync(SeedDemoStaff.DevelopmentPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your account", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Demo OfficeStaff")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, "signed-in-account.png"), FullPage = true });

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();
        Assert.Empty(blocked);
    }
}
