using System.Text.RegularExpressions;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Ordering;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ConsentHub.Web.Tests.Browser;

/// <summary>
/// In Chromium on a phone-sized screen (390×844): a parent and a pupil answer from their links, and the parent
/// withdraws from the change link. axe runs on every signing page on the way and must find no violations; a
/// screenshot of each page is kept.
/// </summary>
[LongRunning(40)]
public sealed partial class SigningJourneyBrowserTests(EmptyBrowserFixture browser) : IClassFixture<EmptyBrowserFixture>
{
    private readonly List<string> _shots = [];

    /// <summary>axe on the page as it is now (WCAG 2.0–2.2 A and AA rules, plus best practice), then a screenshot.</summary>
    private async Task CheckAsync(IPage page, string name)
    {
        var result = await page.RunAxeAsync();
        var violations = string.Join("\n", result.Violations.Select(v => $"{v.Id}: {v.Help} — {string.Join(" | ", v.Nodes.Select(n => n.Html))}"));
        Assert.True(result.Violations.Length == 0, $"axe found violations on '{name}':\n{violations}");
        Assert.True(result.Passes.Length > 10, $"axe checked too little on '{name}': did it run?");
        var path = Path.Combine(BrowserFixture.ArtifactsDirectory, $"signing-{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        _shots.Add(path);
    }

    private static async Task FillDobAsync(IPage page, DateOnly dob, string dayLabel = "Day")
    {
        await page.GetByLabel(dayLabel, new() { Exact = true }).FillAsync(dob.Day.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("Month", new() { Exact = true }).FillAsync(dob.Month.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("Year", new() { Exact = true }).FillAsync(dob.Year.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task AParentAnswersAndWithdraws_AndAPupilAnswers_OnAPhone_WithNoAxeViolations()
    {
        ConsentHub.Pupils.Pupil child, teen;
        ConsentHub.Pupils.Contact mum;
        IssuedRequest parentRequest, pupilRequest;
        await using (var db = browser.Database.CreateDbContext())
        {
            var trust = await TestTrust.CreateAsync(db);
            (child, mum) = await TestTrust.AddPupilAsync(db, trust.NorthAcademyId, 4, "4B", "Ruby", "Browser");
            (teen, _) = await TestTrust.AddPupilAsync(db, trust.NorthAcademyId, 10, "10B", "Kai", "Browser");
            var stored = db.Pupils.Single(p => p.Id == teen.Id);
            stored.SchoolEmail = "kai.browser@school.example.org";
            await db.SaveChangesAsync();
            parentRequest = await TestRequests.IssueAsync(db, child, mum);
            pupilRequest = await TestRequests.IssueAsync(db, teen, contact: null);
        }

        await using (var context = await browser.NewContextAsync(phone: true))
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync("/s/" + parentRequest.Token);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Confirm your child's date of birth");
            await CheckAsync(page, "parent-date-of-birth");

            await FillDobAsync(page, child.DateOfBirth.AddDays(1));
            await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("does not match our records");
            await CheckAsync(page, "parent-date-of-birth-wrong");

            await FillDobAsync(page, child.DateOfBirth);
            await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Photos and videos of Ruby");
            await CheckAsync(page, "parent-form");

            // Sending it half-filled: the summary names what is missing and links to it.
            await page.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("There is a problem");
            await CheckAsync(page, "parent-form-errors");

            var questions = page.Locator("fieldset.signing-question");
            var count = await questions.CountAsync();
            for (var i = 0; i < count; i++)
            {
                var legend = await questions.Nth(i).Locator("legend").InnerTextAsync();
                await questions.Nth(i).GetByLabel(legend is "Academy social media" or "Academy website" ? "Yes" : "No", new() { Exact = true }).CheckAsync();
            }
            await page.GetByLabel("I have parental responsibility for Ruby").CheckAsync();
            await page.GetByLabel("Your full name (parent or carer)").FillAsync("Jane Browser");
            await page.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Your answers have been recorded");
            await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = "Academy social media Yes" })).ToBeVisibleAsync();
            await CheckAsync(page, "parent-receipt");
        }

        // The change link from the receipt email (the development mail drop of this host).
        var changePath = await ChangeLinkAsync(mum.Email!);
        await using (var context = await browser.NewContextAsync(phone: true))
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(changePath);
            await FillDobAsync(page, child.DateOfBirth);
            await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
            await Assertions.Expect(page.GetByText("Your current answers are selected")).ToBeVisibleAsync();
            await CheckAsync(page, "parent-change");

            await page.GetByRole(AriaRole.Button, new() { Name = "Withdraw all consent" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Withdraw all consent?");
            await CheckAsync(page, "parent-withdraw-confirm");
            await page.GetByRole(AriaRole.Button, new() { Name = "Yes, withdraw all consent" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = "Academy social media No (consent withdrawn)" })).ToBeVisibleAsync();
            await CheckAsync(page, "parent-withdrawn");
        }

        await using (var context = await browser.NewContextAsync(phone: true))
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync("/s/" + pupilRequest.Token + "?lang=pl");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Potwierdź swoją datę urodzenia");
            await CheckAsync(page, "pupil-date-of-birth-polish");
            await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Confirm your date of birth");
            await FillDobAsync(page, teen.DateOfBirth);
            await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Photos and videos of you");
            await CheckAsync(page, "pupil-form");
            foreach (var radio in await page.GetByLabel("Yes", new() { Exact = true }).AllAsync()) await radio.CheckAsync();
            await page.GetByLabel("Your full name").FillAsync("Kai Browser");
            await page.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }).ClickAsync();
            await Assertions.Expect(page.GetByText("Thanks! This is what you told us")).ToBeVisibleAsync();
            await CheckAsync(page, "pupil-receipt");
        }

        await using (var context = await browser.NewContextAsync(phone: true))
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync("/s/" + parentRequest.Token);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("This link cannot be used");
            await CheckAsync(page, "link-cannot-be-used");
            await page.GotoAsync("/sign");
            await CheckAsync(page, "short-code");
            await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Enter the 8-character code");
            await CheckAsync(page, "short-code-errors");
            await page.GotoAsync("/sign/lost");
            await CheckAsync(page, "lost-link");
            await page.GetByLabel("Email address").FillAsync("someone@example.org");
            await page.GetByRole(AriaRole.Button, new() { Name = "Send me the links" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Check your email");
            await CheckAsync(page, "lost-link-sent");
        }
        Assert.All(_shots, s => Assert.True(new FileInfo(s).Length > 0, s));
    }

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
