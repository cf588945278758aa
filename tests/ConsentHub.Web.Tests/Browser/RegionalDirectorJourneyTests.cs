using System.Globalization;
using System.Text.RegularExpressions;
using ConsentHub.Access;
using ConsentHub.Monitoring;
using ConsentHub.Testing.Ordering;
using ConsentHub.Testing.Pdf;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ConsentHub.Web.Tests.Browser;

/// <summary>
/// In Chromium at an office desk: the regional director opens the monitoring dashboard for their region, drills down
/// from a coverage figure to the pupils behind it (their region's academies only), asks for the Regional Performance
/// Board report, watches it build and downloads it; the PDF names the region and carries the dashboard's figure.
/// </summary>
[LongRunning(55)]
public sealed partial class RegionalDirectorJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [GeneratedRegex(@"^(\d+) pupils ")]
    private static partial Regex CountInLabel();

    private static async Task AxeAsync(IPage page, string name)
    {
        var result = await page.RunAxeAsync();
        var violations = string.Join("\n", result.Violations.Select(v => $"{v.Id}: {v.Help} — {string.Join(" | ", v.Nodes.Select(n => n.Html))}"));
        Assert.True(result.Violations.Length == 0, $"axe found violations on '{name}':\n{violations}");
        Assert.True(result.Passes.Length > 10, $"axe checked too little on '{name}': did it run?");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, $"regional-director-{name}.png"), FullPage = true });
    }

    [Fact]
    public async Task TheRegionalDirector_OpensTheDashboard_DrillsDown_AndDownloadsTheBoardReport()
    {
        // The evening snapshot the dashboard reads, taken now as the nightly job would.
        await browser.Factory.Services.GetRequiredService<TakeCoverageSnapshot>().RunAsync(CancellationToken.None);
        string regionName;
        Guid regionId;
        HashSet<string> ownAcademies, otherAcademies;
        await using (var db = browser.Database.CreateDbContext())
        {
            regionId = await db.Academies.OrderBy(a => a.Code).Select(a => a.RegionId).FirstAsync();
            regionName = await db.Regions.Where(r => r.Id == regionId).Select(r => r.Name).SingleAsync();
            var academies = await db.Academies.AsNoTracking().Select(a => new { a.Name, a.RegionId }).ToListAsync();
            ownAcademies = [.. academies.Where(a => a.RegionId == regionId).Select(a => a.Name)];
            otherAcademies = [.. academies.Where(a => a.RegionId != regionId).Select(a => a.Name)];
        }
        Assert.NotEmpty(ownAcademies);
        var director = await StaffAccounts.CreateAsync(browser.Factory.Services, StaffRoles.RegionalDirector, regionId: regionId);

        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var circuit = new CircuitWatch(page);
        await page.GotoAsync("/monitoring");
        // A region-wide role signs in with a second factor: a director already enrolled, with their authenticator.
        await page.GetByLabel("Email").FillAsync(director.Email!);
        await page.GetByLabel("Password").FillAsync(StaffAccounts.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Enter your code");
        await page.GetByLabel("Code").FillAsync(StaffAccounts.CurrentCode(director));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Monitoring");
        await circuit.InteractiveAsync();

        // Their region, its academies, this term so far.
        var summary = page.Locator("#scope-summary");
        await Assertions.Expect(summary).ToContainTextAsync(regionName);
        await Assertions.Expect(summary).ToContainTextAsync($"{ownAcademies.Count} academ");
        var coverage = page.GetByRole(AriaRole.Table, new() { Name = "Pupils by purpose and status" });
        await Assertions.Expect(coverage).ToBeVisibleAsync();
        await AxeAsync(page, "dashboard");

        // Drill down from the smallest non-zero figure: the list behind it has as many pupils, all in this region. (The
        // first figure's list ran to hundreds of rows, and axe and a full-page screenshot of it took most of the journey.)
        var figures = coverage.Locator("td a");
        await Assertions.Expect(figures.First).ToBeVisibleAsync();
        ILocator? figure = null;
        var expected = 0;
        foreach (var candidate in await figures.AllAsync())
        {
            var label = await candidate.GetAttributeAsync("aria-label") ?? "";
            var count = int.Parse(CountInLabel().Match(label).Groups[1].Value, CultureInfo.InvariantCulture);
            if (count > 0 && (figure is null || count < expected))
                (figure, expected) = (candidate, count);
        }
        Assert.NotNull(figure);
        await figure.ClickAsync();
        await Assertions.Expect(page.Locator("#detail-count")).ToContainTextAsync($"{expected} row(s)");
        // The list is rendered once before the page turns interactive and again after: read it once it is there.
        var cells = page.Locator("#detail-table tbody tr td:nth-child(2)");
        IReadOnlyList<string> academyCells = [];
        for (var attempt = 0; attempt < 5 && academyCells.Count == 0; attempt++)
        {
            await Assertions.Expect(cells).Not.ToHaveCountAsync(0);
            academyCells = await cells.AllTextContentsAsync();
        }
        Assert.NotEmpty(academyCells);
        Assert.All(academyCells, a => Assert.Contains(a, ownAcademies));
        Assert.DoesNotContain(academyCells, a => otherAcademies.Contains(a));
        await AxeAsync(page, "drill-down");

        // Back to the dashboard, then the board report: asked for, built by the job, downloaded.
        await page.GetByRole(AriaRole.Link, new() { Name = "← Back to the dashboard" }).ClickAsync();
        var toReports = page.GetByRole(AriaRole.Link, new() { Name = "Regional Performance Board reports" });
        await Assertions.Expect(toReports).ToBeVisibleAsync();
        // Opened as a fresh page, so the wait for its circuit sees the circuit's own socket.
        var reportsUrl = await toReports.GetAttributeAsync("href");
        circuit = new CircuitWatch(page);
        await page.GotoAsync("/" + reportsUrl);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Regional Performance Board reports");
        await circuit.InteractiveAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Build the PDF" }).ClickAsync();
        var reports = page.GetByRole(AriaRole.Table, new() { Name = "Board reports" });
        var download = reports.GetByRole(AriaRole.Link, new() { Name = "Download the PDF" });
        await Assertions.Expect(download).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(reports).ToContainTextAsync("Ready,");
        await AxeAsync(page, "reports");

        var file = await page.RunAndWaitForDownloadAsync(() => download.ClickAsync());
        var pdf = await File.ReadAllBytesAsync((await file.PathAsync())!);
        PdfInspection.Keep("regional-board-report.pdf", pdf);
        var text = string.Join("\n", PdfInspection.PageTexts(pdf));
        Assert.Contains("Regional Performance Board", text, StringComparison.Ordinal);
        Assert.Contains(regionName, text, StringComparison.Ordinal);
        Assert.Contains(ownAcademies.Order(StringComparer.Ordinal).First(), text, StringComparison.Ordinal);
        Assert.DoesNotContain(otherAcademies, a => text.Contains(a, StringComparison.Ordinal));
    }
}
