using Bunit;
using ConsentHub.Access;
using ConsentHub.Pauses;
using ConsentHub.Requests;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Web.Components.Pages.Pauses;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ConsentHub.Web.Tests.Components.Pauses;

/// <summary>A headteacher pauses posting for their academy, sees it in the list, and lifts it early into the history.</summary>
public sealed class PostingPausesPageTests : ConsentHubComponentTest, IClassFixture<DatabaseFixture>
{
    private readonly DatabaseFixture _database;

    public PostingPausesPageTests(DatabaseFixture database)
    {
        _database = database;
        UseDatabase(database);
        Services.AddSingleton(Options.Create(new ConsentHub.Email.EmailOptions { FromAddress = "consent@trust.example", MessageIdDomain = "trust.example" }));
        Services.AddSingleton(Options.Create(new ConsentHub.Email.TemplateOptions()));
        Services.AddSingleton(Options.Create(new SigningOptions { PublicBaseUrl = new Uri("https://consent.trust.example") }));
        Services.AddSingleton<ConsentHub.Email.EmailTemplates>();
        Services.AddSingleton<ConsentHub.Email.OutboxWriter>();
        Services.AddSingleton<ConsentHub.Trust.ListTrustStructure>();
        Services.AddConsentHubPauses();
    }

    private async Task<TestTrust> TrustAsync()
    {
        await using var db = _database.CreateDbContext();
        return await TestTrust.CreateAsync(db);
    }

    [Fact]
    public async Task Headteacher_PausesTheirAcademy_SeesItCurrent_ThenLiftsItIntoTheHistory()
    {
        var t = await TrustAsync();
        SignInStaff("head@north.example", StaffRoles.Headteacher, ScopeLevel.Academy, t.NorthAcademyId);
        var page = Render<PostingPauses>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#no-current-pauses")));

        // A headteacher may pause only an academy, and only their own.
        var scopes = page.FindAll("#pause-scope option").Select(o => o.TextContent).ToList();
        Assert.Equal(["An academy"], scopes);
        Assert.Equal(["Choose…", "North Academy"], page.FindAll("#pause-scope-id option").Select(o => o.TextContent).ToList());

        await page.InvokeAsync(() => page.Find("#pause-reason").Change("Incident at the gates under review"));
        page.Find("form").Submit();

        page.WaitForAssertion(() =>
        {
            Assert.Contains("Posting is paused", page.Find("[role=status]").TextContent, StringComparison.Ordinal);
            var row = page.Find("table[aria-label='Current and planned pauses'] tbody tr");
            Assert.Contains("North Academy", row.TextContent, StringComparison.Ordinal);
            Assert.Contains("Posting paused until further notice", row.TextContent, StringComparison.Ordinal);
            Assert.Contains("Incident at the gates", row.TextContent, StringComparison.Ordinal);
        });

        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Lift now").Click());
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.StartsWith("Confirm", StringComparison.Ordinal)).Click());

        page.WaitForAssertion(() =>
        {
            Assert.NotNull(page.Find("#no-current-pauses"));
            var past = page.Find("table[aria-label='Past pauses'] tbody tr");
            Assert.Contains("Lifted early", past.TextContent, StringComparison.Ordinal);
        });
        await using var db = _database.CreateDbContext();
        Assert.True(await db.PostingPauses.AnyAsync(p => p.ScopeId == t.NorthAcademyId && p.LiftedAt != null));
    }

    [Fact]
    public async Task WithoutAReason_NothingIsPaused_AndTheFormSaysWhy()
    {
        var t = await TrustAsync();
        SignInStaff("comms@trust.example", StaffRoles.CommunicationsDirector, ScopeLevel.Trust, null);
        var page = Render<PostingPauses>();
        page.WaitForAssertion(() => Assert.Contains("The whole trust", page.Find("#pause-scope").TextContent, StringComparison.Ordinal));

        await page.InvokeAsync(() => page.Find("#pause-scope-id").Change(t.SouthAcademyId.ToString()));
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Contains("Say why posting is paused", page.Find("[role=alert]").TextContent, StringComparison.Ordinal));
        await using var db = _database.CreateDbContext();
        Assert.False(await db.PostingPauses.AnyAsync(p => p.ScopeId == t.SouthAcademyId));
    }
}
