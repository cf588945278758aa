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
        Services.AddSingleton<IDbContextFactory<ConsentHubDbContext>>(new FixtureContextFactory(database));
        Services.AddSingleton<IAuditLog>(new AuditLog(database.DataSource, Clock, Options.Create(new AuditOptions()), NullLogger<AuditLog>.Instance));
        Services.AddSingleton<ListPurposes>();
        Services.AddSingleton<SavePurpose>();
        Services.AddScoped<CurrentStaff>();
        Auth.SetAuthorized("staff:comms").SetRoles(StaffRoles.CommunicationsDirector)
            .SetClaims(new Claim(StaffClaims.Scope, StaffClaims.Format(StaffRoles.CommunicationsDirector, ScopeLevel.Trust, null)));
    }

    private sealed class FixtureContextFactory(DatabaseFixture database) : IDbContextFactory<ConsentHubDbContext>
    {
        public ConsentHubDbContext CreateDbContext() => database.CreateDbContext();
    }

    [Fact]
    public async Task AddingAPurpose_WithABadKeyIsRefused_ThenItIsListed()
    {
        await using (var db = _database.CreateDbContext()) await TestTrust.CreateAsync(db);
        var page = Render<Purposes>();
        page.WaitForAssertion(() => Assert.Contains("Academy social media", page.Find("table[aria-label=Purposes]").TextContent, StringComparison.Ordinal));

        page.Find("#purpose-key").Change("Year Book");
        page.Find("#purpose-name").Change("Yearbook");
        page.Find("#purpose-description").Change("Photos in the printed leavers' yearbook.");
        page.FindAll("button").Single(b => b.TextContent == "Add purpose").Click();
        page.WaitForAssertion(() => Assert.Contains("lower-case letters, digits and hyphens", page.Find("ul[role=alert]").TextContent, StringComparison.Ordinal));

        page.Find("#purpose-key").Change("yearbook");
        page.FindAll("button").Single(b => b.TextContent == "Add purpose").Click();
        page.WaitForAssertion(() =>
        {
            Assert.Contains("Yearbook is saved.", page.Find("[role=status]").TextContent, StringComparison.Ordinal);
            Assert.Contains("Yearbook (yearbook)", page.Find("table[aria-label=Purposes]").TextContent, StringComparison.Ordinal);
        });
    }
}
