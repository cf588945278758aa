using System.Diagnostics;
using System.Text.RegularExpressions;
using ConsentHub.Access;
using ConsentHub.Pupils;
using ConsentHub.Staff;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Ordering;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace ConsentHub.Web.Tests.Browser;

/// <summary>
/// In Chromium on a phone-sized screen: a teacher signs in, finds a pupil by part of an accented name typed
/// without accents, opens the card, switches to a photo session for the class, and sees a parent's withdrawal,
/// made meanwhile in another browser, appear on the open grid without a reload. axe finds no violations on the
/// check pages; signing out forgets what the phone remembered.
/// </summary>
[LongRunning(35)]
public sealed partial class CheckJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Class = "CJ5";

    private static async Task AxeAsync(IPage page, string name)
    {
        var result = await page.RunAxeAsync();
        var violations = string.Join("\n", result.Violations.Select(v => $"{v.Id}: {v.Help} — {string.Join(" | ", v.Nodes.Select(n => n.Html))}"));
        Assert.True(result.Violations.Length == 0, $"axe found violations on '{name}':\n{violations}");
        Assert.True(result.Passes.Length > 10, $"axe checked too little on '{name}': did it run?");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, $"check-{name}.png"), FullPage = true });
    }

    private static async Task FillDobAsync(IPage page, DateOnly dob)
    {
        await page.GetByLabel("Day", new() { Exact = true }).FillAsync(dob.Day.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("Month", new() { Exact = true }).FillAsync(dob.Month.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("Year", new() { Exact = true }).FillAsync(dob.Year.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ATeacher_FindsAPupil_RunsAPhotoSession_AndSeesAWithdrawalFromAnotherBrowserLive()
    {
        Pupil zoe;
        Contact mum;
        IssuedRequest request;
        await using (var db = browser.Database.CreateDbContext())
        {
            var academyId = await db.Academies.OrderBy(a => a.Code).Select(a => a.Id).FirstAsync();
            (zoe, mum) = await TestTrust.AddPupilAsync(db, academyId, 5, Class, "Zoë", "Ødegård-Journey");
            await TestTrust.AddPupilAsync(db, academyId, 5, Class, "Łukasz", "Nowak-Journey");
            request = await TestRequests.IssueAsync(db, zoe, mum);
        }

        // The parent says yes to everything from their link, on their own phone.
        await using var parent = await browser.NewContextAsync(phone: true);
        var parentPage = await parent.NewPageAsync();
        await parentPage.GotoAsync("/s/" + request.Token);
        await FillDobAsync(parentPage, zoe.DateOfBirth);
        await parentPage.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        // The form page has loaded before its questions are listed (AllAsync does not wait).
        await Assertions.Expect(parentPage.GetByLabel("I have parental responsibility for Zoë")).ToBeVisibleAsync();
        foreach (var radio in await parentPage.GetByLabel("Yes", new() { Exact = true }).AllAsync()) await radio.CheckAsync();
        await parentPage.GetByLabel("I have parental responsibility for Zoë").CheckAsync();
        await parentPage.GetByLabel("Your full name (parent or carer)").FillAsync("Jane Ødegård-Journey");
        await parentPage.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }).ClickAsync();
        await Assertions.Expect(parentPage.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Your answers have been recorded");

        // The teacher, on theirs.
        await using var teacher = await browser.NewContextAsync(phone: true);
        var page = await teacher.NewPageAsync();
        var circuit = new CircuitWatch(page);
        await page.GotoAsync("/checks");
        await page.GetByLabel("Email").FillAsync(SeedDemoStaff.EmailFor(StaffRoles.Teacher));
        await page.GetByLabel("Password").FillAsync(SeedDemoStaff.DevelopmentPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Check consent");
        await circuit.InteractiveAsync();

        // Part of the surname, typed without its accents.
        await page.GetByLabel("Pupil's name").PressSequentiallyAsync("odeg", new() { Delay = 60 });
        var result = page.GetByRole(AriaRole.Button, new() { Name = "Zoë Ødegård-Journey" });
        await Assertions.Expect(result).ToBeVisibleAsync();
        await AxeAsync(page, "search");
        await result.ClickAsync();
        var card = page.Locator("section.check-card");
        await Assertions.Expect(card.GetByRole(AriaRole.Heading, new() { Name = "Zoë Ødegård-Journey" })).ToBeVisibleAsync();
        await Assertions.Expect(card.Locator("li[data-purpose='academy-website']")).ToContainTextAsync("Yes — may be featured");
        await Assertions.Expect(card.Locator("li[data-purpose='academy-website']")).ToContainTextAsync("A parent agreed on");
        await Assertions.Expect(card).Not.ToContainTextAsync("Jane");
        await Assertions.Expect(card.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToHaveTextAsync("Zoë Ødegård-Journey: May be featured for every purpose");
        await AxeAsync(page, "card");

        // A new query clears the card: Zoë's answer never sits under Łukasz's search results.
        await page.GetByLabel("Pupil's name").FillAsync("");
        await page.GetByLabel("Pupil's name").PressSequentiallyAsync("nowak", new() { Delay = 60 });
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Łukasz Nowak-Journey" })).ToBeVisibleAsync();
        await Assertions.Expect(card).ToHaveCountAsync(0);
        await AxeAsync(page, "new-query-clears-card");

        // Photo session for the class, one purpose.
        await page.GetByRole(AriaRole.Button, new() { Name = "Photo session" }).ClickAsync();
        await page.GetByLabel("Class or year group").SelectOptionAsync(new SelectOptionValue { Label = "Class " + Class });
        await page.GetByLabel("Purpose").SelectOptionAsync(new SelectOptionValue { Label = "Academy website" });
        var zoeRow = page.Locator($"li.check-grid-row[data-pupil='{zoe.Id}']");
        await Assertions.Expect(zoeRow).ToContainTextAsync("Yes — may be featured");
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "cannot be featured" })).ToContainTextAsync("1 of 2");
        await AxeAsync(page, "session");

        // The phone now remembers this teacher's choices, under a key of their own.
        var keys = await StoredCheckKeysAsync(page);
        Assert.Single(keys);

        // Meanwhile the parent withdraws, from the change link in their receipt, in their own browser.
        var changePath = await ChangeLinkAsync(mum.Email!);
        await parentPage.GotoAsync(changePath);
        await FillDobAsync(parentPage, zoe.DateOfBirth);
        await parentPage.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await parentPage.GetByRole(AriaRole.Button, new() { Name = "Withdraw all consent" }).ClickAsync();
        var withdrawnAt = Stopwatch.StartNew();
        await parentPage.GetByRole(AriaRole.Button, new() { Name = "Yes, withdraw all consent" }).ClickAsync();

        // The open grid changes by itself: no reload, no click.
        await Assertions.Expect(zoeRow).ToContainTextAsync("No — do not feature", new() { Timeout = 30_000 });
        var seconds = withdrawnAt.Elapsed.TotalSeconds;
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "cannot be featured" })).ToContainTextAsync("2 of 2");
        Console.WriteLine($"Withdrawal to open grid changed (browser, including the parent's POST): {seconds:F2} s");
        await page.GetByLabel("Show only pupils who cannot be featured").CheckAsync();
        await Assertions.Expect(page.Locator("li.check-grid-row")).ToHaveCountAsync(2);
        await AxeAsync(page, "session-after-withdrawal");

        // Signing out forgets what this phone remembered.
        // A click that lands while the live grid re-renders the layout can be lost on a loaded machine: click again
        // until the browser has left the page (the sign-out itself is one POST).
        await page.Locator("input.navbar-toggler").CheckAsync();
        for (var attempt = 1; ; attempt++)
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            try
            {
                await page.WaitForURLAsync(u => !u.Contains("/checks", StringComparison.Ordinal), new() { Timeout = 30_000 });
                break;
            }
            catch (TimeoutException) when (attempt < 3)
            {
                if (!await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).IsVisibleAsync())
                    await page.Locator("input.navbar-toggler").CheckAsync();
            }
        }
        Assert.Empty(await StoredCheckKeysAsync(page));
    }


    private static async Task<string[]> StoredCheckKeysAsync(IPage page) =>
        await page.EvaluateAsync<string[]>("() => Object.keys(window.localStorage).filter(k => k.startsWith('consenthub.check.'))");

    private async Task<string> ChangeLinkAsync(string to)
    {
        for (var i = 0; i < 300; i++)
        {
            if (Directory.Exists(browser.Factory.MailDropDirectory))
            {
                foreach (var file in Directory.GetFiles(browser.Factory.MailDropDirectory, "*.eml"))
                {
                    var message = await MimeKit.MimeMessage.LoadAsync(file);
                    if (!message.To.Mailboxes.Any(m => string.Equals(m.Address, to, StringComparison.OrdinalIgnoreCase))) continue;
                    var match = ChangeLink().Match(message.TextBody ?? "");
                    if (match.Success) return match.Groups[1].Value;
                }
            }
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException("No receipt with a change link reached the mail drop.");
    }

    [GeneratedRegex(@"https?://[^/\s]+(/sign/change/[A-Za-z0-9_-]{43})")]
    private static partial Regex ChangeLink();
}
