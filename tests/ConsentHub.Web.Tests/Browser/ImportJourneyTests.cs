using System.Text;
using ConsentHub.Staff;
using ConsentHub.Testing.Ordering;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ConsentHub.Web.Tests.Browser;

/// <summary>In Chromium: office staff sign in, import a CSV from the MIS, and find the new pupils.</summary>
[LongRunning(7)]
public sealed class ImportJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Csv = """
        UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Year,Reg Group,Contact Title,Contact Forename,Contact Surname,Relationship,Parental Responsibility,Email
        J900000000001,Ødegaard-Journey,Zoë,,14/03/2018,4,4J,Mrs,Ingrid,Ødegaard-Journey,Mother,Yes,ingrid.journey@example.org
        Y900000000002,Quixley-Journey,Amelia,Millie,02/10/2020,1,1J,Mr,John,Quixley-Journey,Father,Y,john.journey@example.org
        """;

    [Fact]
    public async Task OfficeStaff_SignIn_ImportACsv_AfterADryRun_AndFindTheNewPupils()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        Directory.CreateDirectory(BrowserFixture.ArtifactsDirectory);
        // Input before the circuit has rendered would be lost: wait for it, not for a time.
        var circuit = new CircuitWatch(page);
        Task InteractiveAsync() => circuit.InteractiveAsync();

        await page.GotoAsync("/pupils/import");
        await page.GetByLabel("Email").FillAsync(SeedDemoStaff.EmailFor(Access.StaffRoles.OfficeStaff));
        await page.GetByLabel("Password").FillAsync(SeedDemoStaff.DevelopmentPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Import");
        await InteractiveAsync();
        await CircuitWatch.FileInputsReadyAsync(page);

        await page.GetByLabel("New and changed pupils only").CheckAsync();
        await page.GetByLabel("CSV file").SetInputFilesAsync(new FilePayload { Name = "new-starters.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(Csv) });

        // The dry run says what would happen and writes nothing yet.
        await Assertions.Expect(page.GetByText("new-starters.csv: 2 pupils")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, "import-dry-run.png"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToContainTextAsync("mport");

        circuit = new CircuitWatch(page);
        await page.GotoAsync("/pupils");
        await InteractiveAsync();
        await page.GetByLabel("Search by name").FillAsync("zoe odegaard-jour");
        var hit = page.GetByRole(AriaRole.List, new() { Name = "Matching pupils" }).GetByRole(AriaRole.Link);
        await Assertions.Expect(hit).ToHaveTextAsync("Zoë Ødegaard-Journey");
        await hit.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Zoë Ødegaard-Journey");
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Contacts" })).ToContainTextAsync("Mrs Ingrid Ødegaard-Journey");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, "imported-pupil.png"), FullPage = true });
    }
}
