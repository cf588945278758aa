using System.Text;
using Bunit;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Data;
using ConsentHub.Pupils;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ImportPage = ConsentHub.Web.Components.Pages.Pupils.ImportPupils;

namespace ConsentHub.Web.Tests.Components;

/// <summary>
/// The upload page with a trust administrator signed in (a fake authentication state) and a real database: what
/// the office manager sees after choosing a file, and that only the Import button writes.
/// </summary>
public sealed class ImportPupilsPageTests : ConsentHubComponentTest, IClassFixture<DatabaseFixture>
{
    private readonly DatabaseFixture _database;

    public ImportPupilsPageTests(DatabaseFixture database)
    {
        _database = database;
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        Services.AddLogging();
        Services.AddSingleton(database.DataSource);
        Services.AddDbContextFactory<ConsentHubDbContext>(o => DataServiceCollectionExtensions.Configure(o, database.DataSource));
        Services.AddConsentHubAudit();
        Services.AddSingleton<ConsentHub.Pupils.ImportPupils>();
        Services.AddSingleton<ListImportAcademies>();
        Auth.SetAuthorized("admin@trust.example");
        Auth.SetRoles(StaffRoles.TrustAdmin);
        Auth.SetClaims(new System.Security.Claims.Claim(StaffClaims.Scope, StaffClaims.Format(StaffRoles.TrustAdmin, ScopeLevel.Trust, null)));
    }

    private const string Csv =
        "UPN,Legal Surname,Legal Forename,DOB,Year,Reg Group,Contact Forename,Contact Surname,Relationship,Parental Responsibility,Email\r\n" +
        "P1,Ødegaard,Zoë,14/03/2014,8,8A,Ingrid,Ødegaard,Mother,Yes,ingrid@example.org\r\n" +
        "P2,Hill,Sam,02/10/2019,2,2H,Jo,Hill,Father,Yes,jo@example.org\r\n";

    private async Task<(IRenderedComponent<ImportPage> Page, Guid AcademyId)> RenderForNewAcademyAsync()
    {
        await using var db = _database.CreateDbContext();
        var trust = await TestTrust.CreateAsync(db);
        var page = Render<ImportPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("option")));
        await page.InvokeAsync(() => page.Find("select").Change(trust.NorthAcademyId.ToString()));
        return (page, trust.NorthAcademyId);
    }

    private async Task<int> PupilCountAsync(Guid academyId)
    {
        await using var db = _database.CreateDbContext();
        return await db.Pupils.CountAsync(p => p.AcademyId == academyId);
    }

    [Fact]
    public async Task ChoosingAFile_ShowsTheDryRun_AndOnlyImportWrites()
    {
        var (page, academyId) = await RenderForNewAcademyAsync();

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(Encoding.UTF8.GetBytes(Csv), "pupils.csv", contentType: "text/csv"));

        page.WaitForAssertion(() =>
        {
            Assert.Contains("Check the changes, then import", page.Find("h2").TextContent, StringComparison.Ordinal);
            Assert.Contains("Zoë Ødegaard", page.Find("table[aria-label='To add']").TextContent, StringComparison.Ordinal);
        });
        Assert.Equal(0, await PupilCountAsync(academyId));

        await page.InvokeAsync(() => page.Find("button.btn-primary").Click());

        page.WaitForAssertion(() => Assert.Equal("Imported", page.Find("h2").TextContent));
        Assert.Equal(2, await PupilCountAsync(academyId));
    }

    [Fact]
    public async Task ABadRow_IsListedWithItsLine_AndThereIsNoImportButton()
    {
        var (page, academyId) = await RenderForNewAcademyAsync();

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(
            Encoding.UTF8.GetBytes(Csv.Replace("14/03/2014", "31/02/2014", StringComparison.Ordinal)), "pupils.csv", contentType: "text/csv"));

        page.WaitForAssertion(() =>
        {
            var row = page.Find("table[aria-label='Rejected rows'] tbody tr");
            Assert.StartsWith("2", row.TextContent, StringComparison.Ordinal);
            Assert.Contains("'31/02/2014' is not a date", row.TextContent, StringComparison.Ordinal);
        });
        Assert.Empty(page.FindAll("button.btn-primary"));
        Assert.Equal(0, await PupilCountAsync(academyId));
    }

    [Fact]
    public async Task AWorkbookInsteadOfCsv_SaysWhatToDo()
    {
        var (page, _) = await RenderForNewAcademyAsync();

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary([0x50, 0x4B, 0x03, 0x04, 0, 0], "pupils.xlsx"));

        page.WaitForAssertion(() => Assert.Contains("not a CSV file", page.Find("[role=alert]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheDefault_IsNewAndChangedPupilsOnly()
    {
        var (page, _) = await RenderForNewAcademyAsync();

        Assert.True(page.Find("#partial").HasAttribute("checked"));
        Assert.False(page.Find("#full").HasAttribute("checked"));
    }

    [Fact]
    public async Task AFullImportMarkingMostPupilsAsLeft_IsHeldUntilTheNumberIsTyped()
    {
        var (page, academyId) = await RenderForNewAcademyAsync();
        await using (var db = _database.CreateDbContext())
        {
            await TestTrust.AddPupilAsync(db, academyId, 4, "4A", "Ada", "Lovelace");
            await TestTrust.AddPupilAsync(db, academyId, 5, "5A", "Ben", "Okri");
        }
        page.Find("#full").Change(true);
        var starter = "UPN,Legal Surname,Legal Forename,DOB,Year,Reg Group\r\nP9,Mureșan,Ioana,02/10/2019,2,2H\r\n";

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(Encoding.UTF8.GetBytes(starter), "starters.csv", contentType: "text/csv"));

        page.WaitForAssertion(() => Assert.Contains("This would mark 2 of the 2 pupils on roll (100%) as having left", page.Find("#leaver-warning").TextContent, StringComparison.Ordinal));
        Assert.True(page.Find("button.btn-primary").HasAttribute("disabled"));
        page.Find("#confirm-leavers").Input("1");
        page.WaitForAssertion(() => Assert.True(page.Find("button.btn-primary").HasAttribute("disabled")));
        page.Find("#confirm-leavers").Input("2");
        page.WaitForAssertion(() => Assert.False(page.Find("button.btn-primary").HasAttribute("disabled")));

        page.Find("button.btn-primary").Click();

        page.WaitForAssertion(() => Assert.Equal("Imported", page.Find("h2").TextContent));
        await using var check = _database.CreateDbContext();
        Assert.Equal(2, await check.Pupils.CountAsync(p => p.AcademyId == academyId && p.LeftOn != null));
    }
}
