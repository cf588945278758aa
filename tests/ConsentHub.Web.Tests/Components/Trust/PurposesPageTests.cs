using System.Security.Claims;
using Bunit;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Consent.Purposes;
using ConsentHub.Data;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Web.Components.Pages.Trust;
using ConsentHub.Web.Security;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ConsentHub.Web.Tests.Components.Trust;

/// <summary>The trust adds a purpose; a bad key is refused with the rule it breaks.</summary>
public sealed class PurposesPageTests : ConsentHubComponentTest, IClassFixture<DatabaseFixture>
{
    private readonly DatabaseFixture _database;

    public PurposesPageTests(DatabaseFixture database)
    {
        _database = database;
        UseDatabase(database);
        Services.AddSingleton<ListPurposes>();
        Services.AddSingleton<SavePurpose>();
        SignInStaff("staff:comms", StaffRoles.CommunicationsDirector, ScopeLevel.Trust, null);
    }


    [Fact]
    public async Task AddingAPurpose_WithABadKeyIsRefused_ThenItIsListed()
    {
        await using (var db = _database.CreateDbContext()) await TestTrust.CreateAsync(db);
        var page = Render<Purposes>();
        page.WaitForAssertion(() => Assert.Contains("Academy social media", page.Find("table[aria-label=Purposes]").TextContent, StringComparison.Ordinal));

        await page.InvokeAsync(() => page.Find("#purpose-key").Change("Year Book"));
        await page.InvokeAsync(() => page.Find("#purpose-name").Change("Yearbook"));
        await page.InvokeAsync(() => page.Find("#purpose-description").Change("Photos in the printed leavers' yearbook."));
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Add purpose").Click());
        page.WaitForAssertion(() => Assert.Contains("lower-case letters, digits and hyphens", page.Find("ul[role=alert]").TextContent, StringComparison.Ordinal));

        await page.InvokeAsync(() => page.Find("#purpose-key").Change("yearbook"));
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Add purpose").Click());
        page.WaitForAssertion(() =>
        {
            Assert.Contains("Yearbook is saved.", page.Find("[role=status]").TextContent, StringComparison.Ordinal);
            Assert.Contains("Yearbook (yearbook)", page.Find("table[aria-label=Purposes]").TextContent, StringComparison.Ordinal);
        });
    }
}
