using System.Text.RegularExpressions;
using ConsentHub.Access;
using ConsentHub.Pauses;
using ConsentHub.Testing.Ordering;
using ConsentHub.Trust;
using ConsentHub.Trust.Accounts;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ConsentHub.Web.Tests.Browser;

/// <summary>
/// In Chromium at an office desk: the trust administrator signs in with their second factor and lands on their home
/// page: the background jobs, the academy whose only account was taken off the register (a withdrawal there would
/// create no takedown task) and the posting pause in force; they follow the pause to the pauses page, which shows it
/// with its reason, and the register gap to the accounts register.
/// </summary>
[LongRunning(30)]
public sealed class TrustAdminJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static async Task AxeAsync(IPage page, string name)
    {
        var result = await page.RunAxeAsync();
        var violations = string.Join("\n", result.Violations.Select(v => $"{v.Id}: {v.Help} — {string.Join(" | ", v.Nodes.Select(n => n.Html))}"));
        Assert.True(result.Violations.Length == 0, $"axe found violations on '{name}':\n{violations}");
        Assert.True(result.Passes.Length > 10, $"axe checked too little on '{name}': did it run?");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, $"trust-admin-{name}.png"), FullPage = true });
    }

    [Fact]
    public async Task TheTrustAdmin_SeesJobsRegisterGapsAndPausesOnTheHomePage_AndFollowsThemToTheirPages()
    {
        var admin = await StaffAccounts.CreateAsync(browser.Factory.Services, StaffRoles.TrustAdmin);
        var actor = $"staff:{admin.Id}";
        string gapAcademy, pausedAcademy;
        Guid pausedId;
        List<Guid> gapAccounts;
        await using (var db = browser.Database.CreateDbContext())
        {
            var academies = await db.Academies.OrderBy(a => a.Code).Select(a => new { a.Id, a.Name }).ToListAsync();
            Assert.True(academies.Count >= 2);
            var gap = academies[^1];
            gapAcademy = gap.Name;
            (pausedId, pausedAcademy) = (academies[0].Id, academies[0].Name);
            gapAccounts = await db.AffiliatedAccounts.Where(x => x.ClosedAt == null && x.Scope == PauseScope.Academy && x.ScopeId == gap.Id).Select(x => x.Id).ToListAsync();
        }

        // The last academy's account was taken off the register; posting at the first academy was paused for three days.
        var reason = $"Incident at the academy: nothing more is posted until the governors meet ({Guid.NewGuid():N}).";
        await using (var scope = browser.Factory.Services.CreateAsyncScope())
        {
            foreach (var id in gapAccounts)
                Assert.True(await scope.ServiceProvider.GetRequiredService<CloseAffiliatedAccount>().HandleAsync(id, actor));
            var started = await scope.ServiceProvider.GetRequiredService<StartPostingPause>().HandleAsync(
                new PauseAuthority([AccessScope.Trust(actor)]),
                new StartPostingPause.Request(PauseScope.Academy, pausedId, null, DateTimeOffset.UtcNow.AddDays(3), reason));
            Assert.IsType<StartPostingPause.Result.Started>(started);
        }

        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/sign-in");
        // A trust-wide role signs in with a second factor: an administrator already enrolled, with their authenticator.
        await page.GetByLabel("Email").FillAsync(admin.Email!);
        await page.GetByLabel("Password").FillAsync(StaffAccounts.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Enter your code");
        await page.GetByLabel("Code").FillAsync(StaffAccounts.CurrentCode(admin));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Home");

        // The background jobs, with a way into the jobs dashboard.
        var jobs = page.Locator("[data-home='jobs']");
        await Assertions.Expect(jobs.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToHaveTextAsync("Background jobs");
        await Assertions.Expect(jobs.Locator("a[href^='hangfire']").First).ToBeVisibleAsync();
        // The register gap: only the academy whose account was taken off.
        var register = page.Locator("[data-home='register']");
        await Assertions.Expect(register.GetByRole(AriaRole.Link, new() { Name = "1 academy has no account in the register" })).ToBeVisibleAsync();
        await Assertions.Expect(register.GetByRole(AriaRole.List, new() { Name = "Academies with no registered account" }).GetByRole(AriaRole.Listitem))
            .ToHaveTextAsync([gapAcademy]);
        // The pause in force, with its end.
        var pauses = page.Locator("[data-home='pauses']");
        var toPauses = pauses.GetByRole(AriaRole.Link, new() { Name = "1 posting pause in force" });
        await Assertions.Expect(toPauses).ToBeVisibleAsync();
        var pauseList = pauses.GetByRole(AriaRole.List, new() { Name = "Posting pauses in force" });
        await Assertions.Expect(pauseList).ToContainTextAsync($"{pausedAcademy}, since");
        await Assertions.Expect(pauseList).ToContainTextAsync(", until ");
        // The pause's reason is kept for the pauses page.
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync(reason);
        await AxeAsync(page, "home");

        // The pause, followed: the pauses page lists it with its reason.
        var circuit = new CircuitWatch(page);
        await toPauses.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Posting pauses");
        await circuit.InteractiveAsync();
        var current = page.GetByRole(AriaRole.Table, new() { Name = "Current and planned pauses" });
        await Assertions.Expect(current).ToContainTextAsync(pausedAcademy);
        await Assertions.Expect(current).ToContainTextAsync(reason);
        await AxeAsync(page, "pauses");

        // Back home, the register gap, followed: the register lists the accounts still open, not the closed one.
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Home");
        circuit = new CircuitWatch(page);
        await page.Locator("[data-home='register']").GetByRole(AriaRole.Link, new() { Name = "1 academy has no account in the register" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Trust-affiliated accounts");
        await circuit.InteractiveAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/trust/accounts$"));
        var accounts = page.GetByRole(AriaRole.Table, new() { Name = "Registered accounts" });
        await Assertions.Expect(accounts).ToContainTextAsync(pausedAcademy);
        await AxeAsync(page, "register");
    }
}
