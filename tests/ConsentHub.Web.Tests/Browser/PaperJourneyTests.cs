using System.Text.RegularExpressions;
using ConsentHub.Access;
using ConsentHub.Pupils;
using ConsentHub.Requests;
using ConsentHub.Staff;
using ConsentHub.Testing.Ordering;
using ConsentHub.Testing.Pdf;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ConsentHub.Web.Tests.Browser;

/// <summary>
/// In Chromium: office staff make a paper pack for a class, watch it being made, download it, and record one
/// returned form from the code printed on it; the teacher's check then shows the new answers.
/// </summary>
[LongRunning(8)]
public sealed partial class PaperJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [GeneratedRegex(@"Code ([ACDEFGHJKMNPQRTWXY234679]{4}-[ACDEFGHJKMNPQRTWXY234679]{4})")]
    private static partial Regex CodeInFooter();

    private async Task<(Guid AcademyId, string Class)> ArrangeClassAsync()
    {
        const string group = "PJ1";
        Guid academyId;
        await using (var db = browser.Database.CreateDbContext())
        {
            academyId = await db.Academies.OrderBy(a => a.Code).Select(a => a.Id).FirstAsync();
            foreach (var (first, last) in new[] { ("Zoë", "Ødegaard-Paper"), ("Łukasz", "Kowalski-Paper") })
            {
                var pupil = new Pupil
                {
                    Id = Guid.NewGuid(),
                    AcademyId = academyId,
                    MisId = "PJ" + Guid.NewGuid().ToString("N")[..10],
                    LegalFirstName = first,
                    LegalLastName = last,
                    DateOfBirth = new DateOnly(2018, 5, 4),
                    YearGroup = 3,
                    RegistrationGroup = group,
                };
                var mum = new Contact { Id = Guid.NewGuid(), Title = "Mrs", FirstName = "Anna", LastName = last };
                db.Pupils.Add(pupil);
                db.Contacts.Add(mum);
                db.PupilContacts.Add(new PupilContact { PupilId = pupil.Id, ContactId = mum.Id, Relationship = "Mother", HasParentalResponsibility = true });
            }
            await db.SaveChangesAsync();
        }
        await using var scope = browser.Factory.Services.CreateAsyncScope();
        Guid form;
        await using (var db = browser.Database.CreateDbContext())
            form = await db.FormVersions.Where(f => f.PublishedAt != null).OrderByDescending(f => f.PublishedAt).Select(f => f.Id).FirstAsync();
        var issued = await scope.ServiceProvider.GetRequiredService<IssueConsentRequests>().HandleAsync(AccessScope.Academy(academyId, "staff:journey"),
            new IssueConsentRequests.Request(academyId, form, new IssueAudience(AudienceKind.RegistrationGroups, RegistrationGroups: [group]),
                Consent.Rules.UkCalendar.DateOf(DateTimeOffset.UtcNow).AddDays(14), IssueDelivery.PaperForEveryone));
        Assert.IsType<IssueConsentRequests.Result.Issued>(issued);
        return (academyId, group);
    }

    [Fact]
    public async Task OfficeStaff_MakeAClassPack_DownloadIt_AndRecordAPaperReturn_WhichTheCheckShows()
    {
        var (_, group) = await ArrangeClassAsync();
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var circuit = new CircuitWatch(page);
        Task InteractiveAsync() => circuit.InteractiveAsync();

        await page.GotoAsync("/forms/packs");
        await page.GetByLabel("Email").FillAsync(SeedDemoStaff.EmailFor(StaffRoles.OfficeStaff));
        await page.GetByLabel("Password").FillAsync(SeedDemoStaff.DevelopmentPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Paper forms");
        await InteractiveAsync();

        await page.GetByLabel("Who").SelectOptionAsync(new SelectOptionValue { Label = "Class " + group });
        await page.GetByRole(AriaRole.Button, new() { Name = "Make the pack" }).ClickAsync();
        // The bar shows while the job runs (it may already be done on a quiet machine), then the download appears.
        var item = page.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Class " + group });
        await Assertions.Expect(item.First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, "paper-pack-progress.png"), FullPage = true });
        var link = item.First.GetByRole(AriaRole.Link, new() { Name = "Download the PDF" });
        await Assertions.Expect(link).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, "paper-pack-ready.png"), FullPage = true });

        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        var pdf = await File.ReadAllBytesAsync((await download.PathAsync())!);
        PdfInspection.Keep("paper-pack-" + group + ".pdf", pdf);
        var pages = PdfInspection.PageTexts(pdf);
        var zoePage = pages.First(p => p.Contains("Zoë Ødegaard-Paper", StringComparison.Ordinal));
        Assert.Contains(pages, p => p.Contains("Łukasz Kowalski-Paper", StringComparison.Ordinal));
        var code = CodeInFooter().Match(zoePage).Groups[1].Value;
        Assert.NotEmpty(code);

        // The signed form comes back: record it from its code.
        circuit = new CircuitWatch(page);
        await page.GotoAsync("/requests/paper");
        await InteractiveAsync();
        // The code box has the focus on arrival, and Enter finds the form (as a code scanner would send it).
        var codeBox = page.GetByLabel("Code on the form");
        await Assertions.Expect(codeBox).ToBeFocusedAsync();
        await codeBox.FillAsync(code.ToLowerInvariant());
        await codeBox.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToContainTextAsync("Zoë Ødegaard-Paper");
        var uses = page.Locator("fieldset legend");
        await Assertions.Expect(uses.First).ToBeVisibleAsync();
        var names = await uses.AllTextContentsAsync();
        Assert.True(names.Count >= 2, string.Join(", ", names));
        // Nothing is pre-selected, as on the paper form.
        Assert.Equal(0, await page.Locator("fieldset input[type=radio]:checked").CountAsync());
        for (var i = 0; i < names.Count; i++)
            await page.GetByRole(AriaRole.Group, new() { Name = names[i], Exact = true }).GetByLabel(i == 0 ? "Yes" : "No", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Scan of the signed form").SetInputFilesAsync(new FilePayload { Name = "form.pdf", MimeType = "application/pdf", Buffer = pdf });
        await Assertions.Expect(page.GetByText("form.pdf,")).ToBeVisibleAsync();
        await page.GetByLabel("I have seen the signed form").CheckAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, "paper-return-entered.png"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Record these answers" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Recorded " + names.Count + " answers from Mrs Anna Ødegaard-Paper");
        // Focus is back in the code box, ready for the next form in the pile.
        await Assertions.Expect(codeBox).ToBeFocusedAsync();
        await Assertions.Expect(codeBox).ToHaveValueAsync("");

        // The check shows the paper answers at once.
        Guid zoe;
        await using (var db = browser.Database.CreateDbContext())
            zoe = await db.Pupils.Where(p => p.LegalLastName == "Ødegaard-Paper").Select(p => p.Id).SingleAsync();
        await page.GotoAsync($"/checks/pupils/{zoe}");
        var rows = page.Locator("li.check-purpose");
        await Assertions.Expect(rows.Filter(new() { HasText = names[0] })).ToContainTextAsync("Yes — may be featured");
        await Assertions.Expect(rows.Filter(new() { HasText = names[1] })).ToContainTextAsync("No — do not feature");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, "paper-return-check.png"), FullPage = true });
    }
}
