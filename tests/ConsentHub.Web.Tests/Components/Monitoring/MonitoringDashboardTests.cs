using Bunit;
using ConsentHub.Access;
using ConsentHub.Monitoring;
using ConsentHub.Signing;
using ConsentHub.Takedowns;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Trust.Accounts;
using ConsentHub.Web.Components.Pages.Monitoring;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ConsentHub.Web.Tests.Components.Monitoring;

/// <summary>The dashboard a regional director opens before a board: their region only, charts with tables, links to the lists.</summary>
public sealed class MonitoringDashboardTests : ConsentHubComponentTest, IClassFixture<DatabaseFixture>
{
    private readonly DatabaseFixture _database;

    public MonitoringDashboardTests(DatabaseFixture database)
    {
        _database = database;
        UseDatabase(database);
        Services.AddSingleton<LoadMonitoringFigures>();
        Services.AddSingleton<ListMonitoringDetail>();
        Services.AddSingleton(Options.Create(new TakedownOptions()));
    }

    /// <summary>
    /// North: a snapshot today with 3 allowed, 1 waiting of 4 pupils for social media; South has its own that
    /// the North director must not see. One takedown at North opened on 1 Sep, overdue nothing yet.
    /// </summary>
    private async Task<TestTrust> RegionAsync()
    {
        await using var db = _database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var day = Today;
        db.CoverageSnapshots.AddRange(
            new CoverageSnapshot { Day = day, AcademyId = t.NorthAcademyId, PurposeId = t.SocialPurposeId, Pupils = 4, Allowed = 3, Pending = 1, Classes = 2, ClassesAllAllowed = 1, TakenAt = Clock.GetUtcNow() },
            new CoverageSnapshot { Day = day, AcademyId = t.SouthAcademyId, PurposeId = t.SocialPurposeId, Pupils = 50, Allowed = 1, NotAllowed = 49, Classes = 2, TakenAt = Clock.GetUtcNow() });
        var (pupil, _) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 5, "5A", "Łukasz", "Nowak");
        var account = new AffiliatedAccount
        {
            Id = Guid.NewGuid(),
            Platform = SocialPlatform.Instagram,
            Handle = "@north" + Guid.NewGuid().ToString("N")[..6],
            Scope = ConsentHub.Trust.PauseScope.Academy,
            ScopeId = t.NorthAcademyId,
            FirstAdminName = "Ann",
            FirstAdminEmail = "ann@trust.example.org",
            SecondAdminName = "Bob",
            SecondAdminEmail = "bob@trust.example.org",
            RegisteredAt = Clock.GetUtcNow().AddYears(-1),
            RegisteredBy = "staff:comms",
        };
        db.AffiliatedAccounts.Add(account);
        db.TakedownTasks.Add(new TakedownTask { Id = Guid.NewGuid(), PupilId = pupil.Id, AcademyId = t.NorthAcademyId, PurposeId = t.SocialPurposeId, AccountId = account.Id, Reason = TakedownTask.WithdrawalReason, CreatedAt = Clock.GetUtcNow().AddHours(-1) });
        await db.SaveChangesAsync();
        return t;
    }

    /// <summary>The UK date of the test clock (set to the real time by UseDatabase, as builders stamp real times).</summary>
    private DateOnly Today => ConsentHub.Consent.Rules.UkCalendar.DateOf(Clock.GetUtcNow());

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task RegionalDirector_SeesTheirRegionsCoverage_ChartsWithTables_AndLinksToTheLists()
    {
        var t = await RegionAsync();
        SignInStaff("staff:director", StaffRoles.RegionalDirector, ScopeLevel.Region, t.NorthRegionId);

        var page = Render<MonitoringDashboard>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#coverage-table")));
        var social = page.FindAll("#coverage-table tbody tr").Single(r => r.TextContent.Contains("Academy social media", StringComparison.Ordinal));
        // Allowed, not allowed, waiting, not asked: North's snapshot only, never South's 49 refusals.
        Assert.Equal(["3", "0", "1", "0"], social.QuerySelectorAll("td a").Select(a => a.TextContent));
        Assert.Contains("75% of pupils, 50% of classes", social.TextContent, StringComparison.Ordinal);
        Assert.Contains("1 academy", page.Find("#scope-summary").TextContent, StringComparison.Ordinal);

        // The waiting figure drills down to the pupils behind it, carrying the filter (ids and dates only).
        var waiting = social.QuerySelectorAll("td a")[2].GetAttribute("href")!;
        // The default period is this term so far.
        Assert.Equal($"monitoring/detail?from={Iso(SchoolTerms.Of(Today).Start)}&to={Iso(Today)}&kind=Coverage&purpose=academy-social&status=Pending", waiting);
        Assert.Contains("1</a>", page.Find("#takedown-figures").InnerHtml, StringComparison.Ordinal);

        // Each chart is an image with a text alternative, and its figures are a table one click away.
        var chart = page.Find("#chart-coverage");
        Assert.StartsWith("data:image/svg+xml;base64,", chart.QuerySelector("img")!.GetAttribute("src"), StringComparison.Ordinal);
        Assert.Contains("Pupils by consent status", chart.QuerySelector("img")!.GetAttribute("alt"), StringComparison.Ordinal);
        Assert.Null(chart.QuerySelector("table"));
        chart.QuerySelector("button")!.Click();
        page.WaitForAssertion(() =>
        {
            var table = page.Find("#chart-coverage table");
            Assert.Equal("true", page.Find("#chart-coverage button").GetAttribute("aria-expanded"));
            var row = table.QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains("Academy social media", StringComparison.Ordinal));
            Assert.Equal(["3", "0", "1", "0"], row.QuerySelectorAll("td").Select(c => c.TextContent));
        });
        var svg = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(page.Find("#chart-coverage img").GetAttribute("src")!["data:image/svg+xml;base64,".Length..]));
        Assert.Contains("<svg", svg, StringComparison.Ordinal);
        Assert.Contains("Academy social media", svg, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDrillDown_ListsTheOpenedTakedowns_InScopeOnly()
    {
        var t = await RegionAsync();
        SignInStaff("staff:director", StaffRoles.RegionalDirector, ScopeLevel.Region, t.NorthRegionId);
        var nav = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        nav.NavigateTo($"monitoring/detail?from={Iso(Today.AddDays(-1))}&to={Iso(Today)}&kind=TakedownsOpened");

        var page = Render<MonitoringDetailPage>();

        page.WaitForAssertion(() => Assert.Equal("Takedowns opened in the period", page.Find("h1").TextContent));
        Assert.Contains("1 row(s)", page.Find("#detail-count").TextContent, StringComparison.Ordinal);
        var row = Assert.Single(page.FindAll("#detail-table tbody tr"));
        Assert.Contains("Łukasz Nowak", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("North Academy", row.TextContent, StringComparison.Ordinal);

        // The South director asking for the same list sees nothing of North.
        SignInStaff("staff:south", StaffRoles.RegionalDirector, ScopeLevel.Region, t.SouthRegionId);
        var south = Render<MonitoringDetailPage>();
        south.WaitForAssertion(() => Assert.Contains("0 row(s)", south.Find("#detail-count").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void ABadPeriod_SaysSo_AndShowsThisTermInstead()
    {
        SignInStaff("staff:director", StaffRoles.TrustAdmin, ScopeLevel.Trust, null);
        var nav = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        nav.NavigateTo("monitoring?from=2026-10-01&to=2026-09-01");

        var page = Render<MonitoringDashboard>();

        page.WaitForAssertion(() => Assert.Contains("The period ends before it starts.", page.Find("[role=alert]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void TheCsv_HasEveryTable_AndNeverRunsAFormula()
    {
        var filter = new MonitoringFilter(new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 31));
        var purpose = new CoverageCounts(Guid.NewGuid(), "academy-social", "Academy social media", 10, 6, 1, 2, 1, 2, 1);
        var figures = new MonitoringFigures(filter, [],
            new CoverageFigures(new CoveragePoint("w/c 26 Oct", new DateOnly(2026, 10, 30), [purpose]), [], [],
                [new AcademyCoverage(Guid.NewGuid(), "=HYPERLINK(\"x\")", [purpose])]),
            new ChasingFigures(4, 3, 1, 2, 1, 1, 0, [1, 1], 60, 163.2, 1, 2, 12, 12, new Dictionary<string, int>(), 2, 1),
            new TakedownFigures(4, 3, 72, 168, 1, 2, [], []),
            new RegisterHealth(5, 1, 1, 1) { WithGaps = 3 },
            [new PauseRow(Guid.NewGuid(), "Academy", "North Academy", new DateTimeOffset(2026, 10, 10, 9, 0, 0, TimeSpan.Zero), null, "+44 call the office")]);

        var csv = MonitoringExport.Csv(figures);

        foreach (var table in new[] { "Coverage by purpose on 2026-10-30", "Coverage by academy", "Coverage by week", "Coverage term on term", "Chasing",
                     "Response after the first email and each reminder", "Takedowns", "Takedowns by academy", "Takedowns by account", "Accounts register", "Posting pauses" })
            Assert.Contains("\r\n" + table + "\r\n", "\r\n" + csv, StringComparison.Ordinal);
        Assert.Contains("Academy social media,10,6,1,2,1,60.0,2,1", csv, StringComparison.Ordinal);
        Assert.Contains("Reminder 1,1,66.7", csv, StringComparison.Ordinal);
        Assert.Contains("\"'=HYPERLINK(\"\"x\"\")\",Academy social media", csv, StringComparison.Ordinal);
        Assert.Contains(",'+44 call the office", csv, StringComparison.Ordinal);
    }
}
