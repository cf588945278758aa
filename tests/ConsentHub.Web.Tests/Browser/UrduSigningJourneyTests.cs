using ConsentHub.Consent;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Ordering;
using ConsentHub.Web.Components.Pages.Signing;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace ConsentHub.Web.Tests.Browser;

/// <summary>
/// In Chromium on a phone-sized screen (390×844): a parent whose school records say Urdu answers the form from
/// the email link, end to end in Urdu, right to left. Every step is html lang="ur" dir="rtl", axe finds no
/// violations on any of these right-to-left pages, and a screenshot of each is kept.
/// </summary>
[LongRunning(25)]
public sealed class UrduSigningJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly SigningText Urdu = SigningText.Urdu;
    private readonly List<string> _shots = [];

    /// <summary>The page is Urdu and right to left; axe (WCAG 2.0–2.2 A and AA, best practice) finds nothing; a screenshot.</summary>
    private async Task CheckAsync(IPage page, string name)
    {
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ur");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
        var result = await page.RunAxeAsync();
        var violations = string.Join("\n", result.Violations.Select(v => $"{v.Id}: {v.Help} — {string.Join(" | ", v.Nodes.Select(n => n.Html))}"));
        Assert.True(result.Violations.Length == 0, $"axe found violations on '{name}':\n{violations}");
        Assert.True(result.Passes.Length > 10, $"axe checked too little on '{name}': did it run?");
        var path = Path.Combine(BrowserFixture.ArtifactsDirectory, $"signing-urdu-{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        _shots.Add(path);
    }

    private static async Task FillDobAsync(IPage page, DateOnly dob)
    {
        await page.GetByLabel(Urdu.Day, new() { Exact = true }).FillAsync(dob.Day.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel(Urdu.Month, new() { Exact = true }).FillAsync(dob.Month.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel(Urdu.Year, new() { Exact = true }).FillAsync(dob.Year.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task AnUrduSpeakingParent_SignsTheFormInUrdu_RightToLeft_OnAPhone_WithNoAxeViolations()
    {
        ConsentHub.Pupils.Pupil child;
        ConsentHub.Pupils.Contact mum;
        IssuedRequest request;
        await using (var db = browser.Database.CreateDbContext())
        {
            var trust = await TestTrust.CreateAsync(db);
            (child, mum) = await TestTrust.AddPupilAsync(db, trust.NorthAcademyId, 4, "4U", "Ayesha", "Chaudhry");
            var stored = await db.Contacts.SingleAsync(c => c.Id == mum.Id);
            stored.PreferredLanguage = "ur";
            await db.SaveChangesAsync();
            request = await TestRequests.IssueAsync(db, child, mum);
        }

        await using var context = await browser.NewContextAsync(phone: true);
        var page = await context.NewPageAsync();
        Assert.Equal(390, page.ViewportSize!.Width);

        // The link carries no language: the school's record of the parent's language chooses Urdu.
        await page.GotoAsync("/s/" + request.Token);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Urdu.DobTitle(false));
        await CheckAsync(page, "date-of-birth");

        await FillDobAsync(page, child.DateOfBirth.AddDays(1));
        await page.GetByRole(AriaRole.Button, new() { Name = Urdu.Continue }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(Urdu.DobWrong);
        await CheckAsync(page, "date-of-birth-wrong");

        await FillDobAsync(page, child.DateOfBirth);
        await page.GetByRole(AriaRole.Button, new() { Name = Urdu.Continue }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Urdu.FormTitle(false, "Ayesha"));
        await CheckAsync(page, "form");

        // Sent half-filled: the error summary, in Urdu.
        await page.GetByRole(AriaRole.Button, new() { Name = Urdu.Submit }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(Urdu.ErrorSummaryTitle);
        await CheckAsync(page, "form-errors");

        var questions = page.Locator("fieldset.signing-question");
        var count = await questions.CountAsync();
        Assert.True(count >= 2, $"{count} questions on the form.");
        var expected = new Dictionary<string, AnswerKind>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var question = questions.Nth(i);
            var yes = i % 2 == 0;
            await question.GetByLabel(yes ? Urdu.Yes : Urdu.No, new() { Exact = true }).CheckAsync();
            expected[(await question.Locator("legend").InnerTextAsync()).Trim()] = yes ? AnswerKind.Grant : AnswerKind.Refuse;
        }
        await page.GetByLabel(Urdu.Responsibility("Ayesha")).CheckAsync();
        await page.GetByLabel(Urdu.NameLabel(false)).FillAsync("فاطمہ چودھری");
        await page.GetByRole(AriaRole.Button, new() { Name = Urdu.Submit }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Urdu.ReceiptTitle);
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = Urdu.Yes }).First).ToBeVisibleAsync();
        await CheckAsync(page, "receipt");

        // What was recorded: one answer per use, as ticked, signed with the name typed in Urdu.
        await using (var db = browser.Database.CreateDbContext())
        {
            var answers = await db.ConsentAnswers.AsNoTracking().Where(a => a.PupilId == child.Id && a.ContactId == mum.Id)
                .Join(db.Purposes, a => a.PurposeId, p => p.Id, (a, p) => new { p.Name, a.Kind, a.SignatureName, a.Method })
                .ToListAsync();
            Assert.Equal(count, answers.Count);
            Assert.All(answers, a => Assert.Equal("فاطمہ چودھری", a.SignatureName));
            Assert.All(answers, a => Assert.Equal(AnswerMethod.Online, a.Method));
            Assert.Contains(answers, a => a.Kind == AnswerKind.Grant);
            Assert.Contains(answers, a => a.Kind == AnswerKind.Refuse);
            Assert.Equal(expected.Values.Count(k => k == AnswerKind.Grant), answers.Count(a => a.Kind == AnswerKind.Grant));
        }
        Assert.All(_shots, s => Assert.True(new FileInfo(s).Length > 0, s));
    }
}
