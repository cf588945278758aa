using ConsentHub.Access;
using ConsentHub.Consent;
using ConsentHub.Pupils;
using ConsentHub.Takedowns;
using ConsentHub.Testing.Ordering;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ConsentHub.Web.Tests.Browser;

/// <summary>
/// In Chromium at an office desk: the academy's designated safeguarding lead signs in and lands on their home page,
/// which lists the pupil they flagged (without the flag's reason) and the pupil whose parent withdrew consent this
/// week; they follow the flagged pupil's link to the pupil's page, which names the pupil and shows them the reason.
/// </summary>
[LongRunning(30)]
public sealed class DslJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static async Task AxeAsync(IPage page, string name)
    {
        var result = await page.RunAxeAsync();
        var violations = string.Join("\n", result.Violations.Select(v => $"{v.Id}: {v.Help} — {string.Join(" | ", v.Nodes.Select(n => n.Html))}"));
        Assert.True(result.Violations.Length == 0, $"axe found violations on '{name}':\n{violations}");
        Assert.True(result.Passes.Length > 10, $"axe checked too little on '{name}': did it run?");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, $"dsl-{name}.png"), FullPage = true });
    }

    [Fact]
    public async Task TheDsl_SeesTheFlagAndThisWeeksWithdrawalOnTheHomePage_AndOpensTheFlaggedPupil()
    {
        Guid academyId;
        string academyName;
        Pupil flagged, withdrawn;
        Guid parentId, purposeId, formVersionId;
        string purposeName;
        await using (var db = browser.Database.CreateDbContext())
        {
            // An academy the demo trust gave no flag in force and no withdrawal lately, so the home page's figures are ours.
            var lately = DateTimeOffset.UtcNow.AddDays(-8);
            (academyId, academyName) = await db.Academies
                .Where(a => !db.SafeguardingFlags.Any(f => f.AcademyId == a.Id && f.ClearedAt == null))
                .Where(a => !db.ConsentAnswers.Any(x => x.AcademyId == a.Id && x.Kind == AnswerKind.Withdraw && x.At >= lately))
                .OrderBy(a => a.Code).Select(a => new ValueTuple<Guid, string>(a.Id, a.Name)).FirstAsync();
            var pupils = await db.Pupils.AsNoTracking().Include(p => p.Contacts)
                .Where(p => p.AcademyId == academyId && p.LeftOn == null && p.RegistrationGroup != null && p.Contacts.Any(c => c.HasParentalResponsibility))
                .OrderBy(p => p.MisId).Take(2).ToListAsync();
            Assert.Equal(2, pupils.Count);
            (flagged, withdrawn) = (pupils[0], pupils[1]);
            parentId = withdrawn.Contacts.Where(c => c.HasParentalResponsibility).OrderBy(c => c.Priority).First().ContactId;
            (purposeId, purposeName) = await db.Purposes.Where(p => p.Active).OrderBy(p => p.Name).Select(p => new ValueTuple<Guid, string>(p.Id, p.Name)).FirstAsync();
            formVersionId = await db.FormVersions.Where(f => f.PublishedAt != null).OrderByDescending(f => f.PublishedAt).Select(f => f.Id).FirstAsync();
        }
        Assert.NotEqual(flagged.DisplayName, withdrawn.DisplayName);
        var dsl = await StaffAccounts.CreateAsync(browser.Factory.Services, StaffRoles.Dsl, academyId: academyId);

        // The DSL flagged one pupil earlier (through the same use case as the pupil page), with a reason only they see.
        var reason = $"Court order in place: no images of this child may be published ({Guid.NewGuid():N}).";
        await using (var scope = browser.Factory.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<SetSafeguardingFlag>()
                .HandleAsync(AccessScope.Academy(academyId, $"staff:{dsl.Id}"), flagged.Id, flagged: true, reason);
            Assert.IsType<SetSafeguardingFlag.Result.Saved>(result);
        }
        // A parent withdrew consent for the other pupil this morning.
        await using (var db = browser.Database.CreateDbContext())
        {
            var now = DateTimeOffset.UtcNow;
            db.ConsentAnswers.Add(new ConsentAnswer
            {
                PupilId = withdrawn.Id,
                AcademyId = academyId,
                PurposeId = purposeId,
                PartyKind = PartyKind.Contact,
                ContactId = parentId,
                Kind = AnswerKind.Withdraw,
                Method = AnswerMethod.Online,
                FormVersionId = formVersionId,
                At = now.AddMinutes(-10),
                RecordedAt = now.AddMinutes(-10),
                RecordedBy = "parent",
            });
            await db.SaveChangesAsync();
        }

        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/sign-in");
        // A DSL works in one academy: a password, no second factor asked for.
        await page.GetByLabel("Email").FillAsync(dsl.Email!);
        await page.GetByLabel("Password").FillAsync(StaffAccounts.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Home");

        // The flag: the pupil's name linking to their page, and never the reason.
        var flags = page.Locator("[data-home='flags']");
        await Assertions.Expect(flags.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToHaveTextAsync("1 safeguarding flag in force");
        var flaggedLink = flags.GetByRole(AriaRole.List, new() { Name = "Flagged pupils" }).Locator($"a[href='pupils/{flagged.Id}']");
        await Assertions.Expect(flaggedLink).ToHaveTextAsync(flagged.DisplayName);
        // The withdrawal: the pupil, the purpose withdrawn, today.
        var withdrawals = page.Locator("[data-home='withdrawals']");
        await Assertions.Expect(withdrawals.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToContainTextAsync("1 withdrawal since");
        var withdrawalList = withdrawals.GetByRole(AriaRole.List, new() { Name = "Withdrawals this week" });
        await Assertions.Expect(withdrawalList.Locator($"a[href='pupils/{withdrawn.Id}']")).ToHaveTextAsync(withdrawn.DisplayName);
        await Assertions.Expect(withdrawalList).ToContainTextAsync($"{withdrawn.DisplayName} ({withdrawn.RegistrationGroup}): {purposeName}");
        // The reason (a long sentence no token can spell) stays on the pupil's page.
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync(reason);
        await AxeAsync(page, "home");

        // To the flagged pupil's page: it names the pupil and their academy, says never to feature them, and (to the DSL only) why.
        var circuit = new CircuitWatch(page);
        await flaggedLink.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(flagged.DisplayName);
        await circuit.InteractiveAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/pupils/{flagged.Id}$"));
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync(academyName);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Do not photograph or feature." })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync(reason);
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Consent by purpose" })).ToBeVisibleAsync();
        await AxeAsync(page, "pupil");
    }
}
