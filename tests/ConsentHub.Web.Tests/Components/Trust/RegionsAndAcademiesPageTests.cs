using Bunit;
using ConsentHub.Access;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Trust;
using ConsentHub.Web.Components.Pages.Trust;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Tests.Components.Trust;

/// <summary>The trust adds a region and an academy; a clashing code or impossible years are refused and nothing is saved.</summary>
public sealed class RegionsAndAcademiesPageTests : ConsentHubComponentTest, IClassFixture<DatabaseFixture>
{
    private readonly DatabaseFixture _database;

    public RegionsAndAcademiesPageTests(DatabaseFixture database)
    {
        _database = database;
        UseDatabase(database);
        Services.AddSingleton<ListAcademies>();
        Services.AddSingleton<SaveAcademy>();
        Services.AddSingleton<SaveAcademyLogo>();
        SignInStaff("staff:admin", StaffRoles.TrustAdmin, ScopeLevel.Trust, null);
    }

    [Fact]
    public async Task AddingARegionAndAnAcademy_WithBadInputRefusedFirst()
    {
        TestTrust t;
        string northCode;
        await using (var db = _database.CreateDbContext())
        {
            t = await TestTrust.CreateAsync(db);
            northCode = (await db.Academies.SingleAsync(a => a.Id == t.NorthAcademyId)).Code;
        }
        var page = Render<RegionsAndAcademies>();
        page.WaitForAssertion(() => Assert.Contains("North Academy", page.Find("table[aria-label=Academies]").TextContent, StringComparison.Ordinal));

        await page.InvokeAsync(() => page.Find("#region-name").Change("East Coast"));
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Add region").Click());
        page.WaitForAssertion(() => Assert.Contains("East Coast is added.", page.Find("[role=status]").TextContent, StringComparison.Ordinal));
        Guid eastId;
        await using (var db = _database.CreateDbContext())
            eastId = await db.Regions.Where(r => r.Name == "East Coast").Select(r => r.Id).SingleAsync();

        await page.InvokeAsync(() => page.Find("#academy-code").Change(northCode));
        await page.InvokeAsync(() => page.Find("#academy-name").Change("Seaview Primary"));
        await page.InvokeAsync(() => page.Find("#academy-lowest").Change("6"));
        await page.InvokeAsync(() => page.Find("#academy-highest").Change("0"));
        await page.InvokeAsync(() => page.Find("#academy-region").Change(eastId.ToString()));
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Add academy").Click());
        page.WaitForAssertion(() =>
        {
            var alert = page.Find("ul[role=alert]").TextContent;
            Assert.Contains($"Another academy already has the code {northCode}.", alert, StringComparison.Ordinal);
            Assert.Contains("lowest first", alert, StringComparison.Ordinal);
        });
        Assert.DoesNotContain("Seaview Primary", page.Find("table[aria-label=Academies]").TextContent, StringComparison.Ordinal);

        await page.InvokeAsync(() => page.Find("#academy-code").Change("149999"));
        await page.InvokeAsync(() => page.Find("#academy-lowest").Change("-2"));
        await page.InvokeAsync(() => page.Find("#academy-highest").Change("6"));
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Add academy").Click());
        page.WaitForAssertion(() =>
        {
            var row = page.FindAll("table[aria-label=Academies] tbody tr").Single(r => r.TextContent.Contains("Seaview Primary", StringComparison.Ordinal));
            Assert.Contains("N1–6", row.TextContent, StringComparison.Ordinal);
            Assert.Contains("East Coast", row.TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task TheOfficesTelephoneAndEmail_AreSavedForFamilies_AfterBadValuesAreRefusedAndNothingSaved()
    {
        TestTrust t;
        string northCode;
        await using (var db = _database.CreateDbContext())
        {
            t = await TestTrust.CreateAsync(db);
            northCode = (await db.Academies.SingleAsync(a => a.Id == t.NorthAcademyId)).Code;
        }
        var page = Render<RegionsAndAcademies>();
        page.WaitForAssertion(() => Assert.Contains(northCode, page.Find("table[aria-label=Academies]").TextContent, StringComparison.Ordinal));
        // Other tests of this class add academies with the same name: the row is found by its code.
        await page.InvokeAsync(() => page.FindAll("table[aria-label=Academies] tbody tr")
            .Single(r => r.QuerySelector("td")!.TextContent == northCode).QuerySelector("button")!.Click());
        page.WaitForAssertion(() => Assert.Equal("North Academy", page.Find("#academy-name").GetAttribute("value")));

        await page.InvokeAsync(() => page.Find("#academy-phone").Change("call the office"));
        await page.InvokeAsync(() => page.Find("#academy-email").Change("office at north"));
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Save changes").Click());
        page.WaitForAssertion(() =>
        {
            var alert = page.Find("ul[role=alert]").TextContent;
            Assert.Contains("office's telephone number in digits", alert, StringComparison.Ordinal);
            Assert.Contains("office's email address", alert, StringComparison.Ordinal);
        });
        await using (var db = _database.CreateDbContext())
            Assert.Null((await db.Academies.SingleAsync(a => a.Id == t.NorthAcademyId)).OfficePhone);

        await page.InvokeAsync(() => page.Find("#academy-phone").Change(" 0117 496 0123 "));
        await page.InvokeAsync(() => page.Find("#academy-email").Change("office@north.example.org"));
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Save changes").Click());
        page.WaitForAssertion(() => Assert.Contains("saved", page.Find("[role=status]").TextContent, StringComparison.OrdinalIgnoreCase));
        await using (var db = _database.CreateDbContext())
        {
            var north = await db.Academies.SingleAsync(a => a.Id == t.NorthAcademyId);
            Assert.Equal("0117 496 0123", north.OfficePhone);
            Assert.Equal("office@north.example.org", north.OfficeEmail);
        }
    }
}
