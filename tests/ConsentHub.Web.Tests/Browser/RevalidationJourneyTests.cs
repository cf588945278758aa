using ConsentHub.Access;
using ConsentHub.Staff;
using ConsentHub.Testing.Ordering;
using ConsentHub.Web.Tests.Infrastructure;
using ConsentHub.Web.Tests.Signing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace ConsentHub.Web.Tests.Browser;

/// <summary>
/// A host whose open pages re-check their user every 2 seconds instead of every 5 minutes, and whose log of those
/// checks a test can read.
/// </summary>
public sealed class QuickRevalidationBrowserFixture : BrowserFixture
{
    public CapturingLoggerProvider Logs { get; } = new();

    /// <summary>How many re-checks found the user still valid so far.</summary>
    public int PassedRechecks => Logs.Lines.Count(l => l.Contains("Re-checked an open page's user; still valid: True", StringComparison.Ordinal));

    protected override void Configure(ConsentHubWebFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        factory.Settings["StaffSignIn:RevalidationInterval"] = "00:00:02";
        factory.Settings["Logging:LogLevel:ConsentHub.Web.Security"] = "Debug";
        factory.TestServices = s => s.AddSingleton<ILoggerProvider>(Logs);
    }
}

/// <summary>
/// In Chromium: a teacher has the pupil search open; an administrator disables the account; the open page loses
/// access by itself, without a reload, and the teacher cannot sign in again.
/// </summary>
[LongRunning(9)]
public sealed class RevalidationJourneyTests(QuickRevalidationBrowserFixture browser) : IClassFixture<QuickRevalidationBrowserFixture>
{
    [Fact]
    public async Task ADisabledTeacher_LosesTheOpenPage_WithoutAReload_AndCannotSignInAgain()
    {
        await using var context = await browser.NewContextAsync(phone: true);
        var page = await context.NewPageAsync();
        var circuit = new CircuitWatch(page);

        var email = SeedDemoStaff.EmailFor(StaffRoles.Teacher);
        await page.GotoAsync("/pupils");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(SeedDemoStaff.DevelopmentPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Pupils");
        await circuit.InteractiveAsync();
        var navigations = 0;
        page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) navigations++; };

        // The page stays usable while the account is fine: wait for two checks to pass (not for a time).
        var passedBefore = browser.PassedRechecks;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (browser.PassedRechecks < passedBefore + 2 && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.True(browser.PassedRechecks >= passedBefore + 2, "The open page's user was not re-checked twice within 30 seconds.");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Pupils");
        Assert.Equal(0, navigations);

        Guid teacherId, adminId;
        await using (var db = browser.Database.CreateDbContext())
        {
            teacherId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
            adminId = await db.Users.Where(u => u.Email == SeedDemoStaff.EmailFor(StaffRoles.TrustAdmin)).Select(u => u.Id).SingleAsync();
        }
        var disable = browser.Factory.Services.GetRequiredService<SetStaffAccountDisabled>();
        var result = await disable.HandleAsync(AccessScope.Trust($"staff:{adminId}"), adminId, new SetStaffAccountDisabled.Request(teacherId, Disabled: true));
        Assert.IsType<SetStaffAccountDisabled.Result.Changed>(result);

        // Nobody touches the page: the circuit's own check notices and sends the browser to sign in.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sign in", new() { Timeout = 30_000 });
        Assert.Contains("/account/sign-in", page.Url, StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, "revalidation-signed-out.png"), FullPage = true });

        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(SeedDemoStaff.DevelopmentPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // The same answer as a wrong password: the page does not confirm the account exists.
        await Assertions.Expect(page.GetByText(ConsentHub.Web.Components.Pages.Account.SignIn.NoMatch)).ToBeVisibleAsync();
    }
}
