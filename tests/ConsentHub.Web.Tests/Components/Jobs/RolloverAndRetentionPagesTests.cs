using Bunit;
using ConsentHub.Access;
using ConsentHub.Retention;
using ConsentHub.Rollover;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Web.Components.Pages.Retention;
using ConsentHub.Web.Components.Pages.Rollover;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ConsentHub.Web.Tests.Components.Jobs;

/// <summary>The rollover reports page for the office, and the retention page for the DSL and trust admins, each within its scope.</summary>
public sealed class RolloverAndRetentionPagesTests : ConsentHubComponentTest, IClassFixture<DatabaseFixture>
{
    private readonly DatabaseFixture _database;

    public RolloverAndRetentionPagesTests(DatabaseFixture database)
    {
        _database = database;
        UseDatabase(database);
        Services.AddSingleton<ListRolloverReports>();
        Services.AddSingleton<ListRetentionRuns>();
        Services.AddSingleton(Options.Create(new RetentionOptions()));
        Services.AddSingleton<PurgeLeavers>(sp => new PurgeLeavers(sp.GetRequiredService<IDbContextFactory<ConsentHub.Data.ConsentHubDbContext>>(),
            sp.GetRequiredService<ConsentHub.Audit.IAuditLog>(), sp.GetRequiredService<IOptions<RetentionOptions>>(), Clock, NullLogger<PurgeLeavers>.Instance));
    }

    [Fact]
    public async Task TheOffice_SeesTheirAcademysRollover_AndOpensItsPupils_WhichIsAudited()
    {
        await using var db = _database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var (pupil, _) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 7, "7R", "Ravi", "Patel");
        var north = new RolloverReport { Id = Guid.NewGuid(), AcademyId = t.NorthAcademyId, Trigger = RolloverTrigger.YearStart, RunBy = RunRollover.SystemActor, RanAt = Clock.GetUtcNow(), PupilsOnRoll = 40, PupilNowAsked = [pupil.Id], RequestsCreated = 1, OnPaper = 1 };
        var south = new RolloverReport { Id = Guid.NewGuid(), AcademyId = t.SouthAcademyId, Trigger = RolloverTrigger.Import, RunBy = "staff:x", RanAt = Clock.GetUtcNow(), RequestsClosed = 9 };
        db.RolloverReports.AddRange(north, south);
        await db.SaveChangesAsync();
        SignInStaff("office@north.example", StaffRoles.OfficeStaff, ScopeLevel.Academy, t.NorthAcademyId);

        var page = Render<RolloverReports>();
        page.WaitForAssertion(() =>
        {
            Assert.Contains("Start of the academic year", page.Markup, StringComparison.Ordinal);
            Assert.Contains("North Academy", page.Markup, StringComparison.Ordinal);
        });
        Assert.DoesNotContain("South Academy", page.Markup, StringComparison.Ordinal);
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Show pupils").Click());

        page.WaitForAssertion(() =>
        {
            Assert.Contains("Ravi Patel", page.Markup, StringComparison.Ordinal);
            Assert.Contains("Now asked themselves (moved to Year 7 or above) (1)", page.Markup, StringComparison.Ordinal);
        });
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "rollover.report-viewed" && e.EntityId == north.Id.ToString()));
    }

    [Fact]
    public async Task ADsl_SeesOnlyTheirAcademysCount_ATrustAdminSeesAllAndRunsTheDryRun()
    {
        await using var db = _database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        db.RetentionRuns.Add(new RetentionRun
        {
            Id = Guid.NewGuid(),
            DryRun = false,
            RunBy = PurgeLeavers.SystemActor,
            RanAt = Clock.GetUtcNow().AddDays(-1),
            LeftBefore = new DateOnly(2020, 9, 1),
            Pupils = 8,
            PupilsByAcademy = new() { [t.NorthAcademyId.ToString()] = 3, [t.SouthAcademyId.ToString()] = 5 }
        });
        await db.SaveChangesAsync();

        SignInStaff("dsl@north.example", StaffRoles.Dsl, ScopeLevel.Academy, t.NorthAcademyId);
        var asDsl = Render<RetentionReports>();
        asDsl.WaitForAssertion(() => Assert.Contains("North Academy: 3", asDsl.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain("South Academy", asDsl.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Run a dry run now", asDsl.Markup, StringComparison.Ordinal);

        SignInStaff("admin@trust.example", StaffRoles.TrustAdmin, ScopeLevel.Trust, null);
        var asAdmin = Render<RetentionReports>();
        asAdmin.WaitForAssertion(() => Assert.Contains("South Academy: 5", asAdmin.Markup, StringComparison.Ordinal));
        await asAdmin.InvokeAsync(() => asAdmin.FindAll("button").Single(b => b.TextContent == "Run a dry run now").Click());
        asAdmin.WaitForAssertion(() =>
        {
            Assert.Contains("Dry run done", asAdmin.Markup, StringComparison.Ordinal);
            Assert.Contains("Dry run (nothing removed)", asAdmin.Markup, StringComparison.Ordinal);
        });
    }
}
