using System.Globalization;
using System.Text.RegularExpressions;
using ConsentHub.Staff;
using ConsentHub.Testing.Ordering;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using MimeKit;

namespace ConsentHub.Web.Tests.Browser;

/// <summary>In Chromium against the real host: office staff preview and issue the form to a year group, and the emails leave at once with a signing link.</summary>
[LongRunning(8)]
public sealed partial class IssueJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [GeneratedRegex(@"^(\d+) requests? issued for \d+ pupils?: (\d+) by email")]
    private static partial Regex IssuedText();

    [GeneratedRegex(@"/s/[A-Za-z0-9_-]{43}")]
    private static partial Regex SigningLink();

    [Fact]
    public async Task OfficeStaff_PreviewAndIssueTheFormToAYearGroup_AndTheEmailsGoWithASigningLink()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        Directory.CreateDirectory(BrowserFixture.ArtifactsDirectory);
        var circuit = new CircuitWatch(page);

        await page.GotoAsync("/requests/issue");
        await page.GetByLabel("Email").FillAsync(SeedDemoStaff.EmailFor(Access.StaffRoles.OfficeStaff));
        await page.GetByLabel("Password").FillAsync(SeedDemoStaff.DevelopmentPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Issue the consent form");
        await circuit.InteractiveAsync();
        var before = DateTime.UtcNow;

        // On a cold host the first event can beat the circuit's handlers being attached: choose again until the list shows.
        var years = page.Locator("fieldset[aria-label='Year groups'] input[type=checkbox]").First;
        for (var attempt = 1; ; attempt++)
        {
            await page.Locator("#audience-WholeAcademy").CheckAsync();
            await page.Locator("#audience-YearGroups").CheckAsync();
            try
            {
                await Assertions.Expect(years).ToBeVisibleAsync(new() { Timeout = 10_000 });
                break;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
            }
        }
        await years.CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Preview", Exact = true })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, "issue-preview.png"), FullPage = true });

        await page.GetByRole(AriaRole.Button, new() { NameRegex = IssueButton() }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Issued", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".alert-success[role=status]")).ToContainTextAsync("issued for");
        var status = (await page.Locator(".alert-success[role=status]").TextContentAsync() ?? "").Trim();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, "issue-result.png"), FullPage = true });
        var match = IssuedText().Match(status);
        Assert.True(match.Success, "Unexpected summary: " + status);
        Assert.True(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) > 0, status);
        var emailed = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);

        // The page asked for the outbox to be drained: the mail is in the drop within seconds, not at the next minute.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<MimeMessage> requests;
        do
        {
            await Task.Delay(250);
            var files = Directory.Exists(browser.Factory.MailDropDirectory) ? Directory.EnumerateFiles(browser.Factory.MailDropDirectory, "*.eml") : [];
            requests = [.. files
                .Where(f => File.GetLastWriteTimeUtc(f) >= before.AddSeconds(-1))
                .Select(f => MimeMessage.Load(f))
                .Where(m => SigningLink().IsMatch(m.TextBody ?? ""))];
        }
        while (requests.Count < emailed && DateTime.UtcNow < deadline);
        Assert.Equal(emailed, requests.Count);
    }

    [GeneratedRegex(@"^Issue \d+ request")]
    private static partial Regex IssueButton();
}
