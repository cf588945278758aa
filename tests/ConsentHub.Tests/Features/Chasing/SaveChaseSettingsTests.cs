using ConsentHub.Access;
using ConsentHub.Chasing;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Trust;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Tests.Chasing;

/// <summary>Trust set-up changes the reminder schedule; the chase reads it back; bad values change nothing.</summary>
public sealed class SaveChaseSettingsTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task TrustWideStaff_SaveASchedule_ThatTheChaseReadsBack_AndTheChangeIsAudited()
    {
        var s = new ChasingTestSupport(database).Init();
        await using (var db = database.CreateDbContext()) await TestTrust.CreateAsync(db);
        var save = new SaveChaseSettings(s.Factory(), s.Audit);
        var wanted = new ChaseSettings(ChaseAnchor.BeforeDeadline, [10, 2], new TimeOnly(20, 0), new TimeOnly(8, 0), true, 1);

        Assert.IsType<SaveChaseSettings.Result.NotAllowed>(await save.HandleAsync(AccessScope.Academy(Guid.NewGuid(), "staff:office"), wanted));
        var invalid = Assert.IsType<SaveChaseSettings.Result.Invalid>(await save.HandleAsync(AccessScope.Trust("staff:admin"), wanted with { OffsetsDays = [] }));
        Assert.Contains("offsets", invalid.Errors.Keys);
        Assert.Equal(ChaseSettings.Default.Describe(), (await new ReadChaseSettings(database.DataSource).HandleAsync()).Describe());

        Assert.IsType<SaveChaseSettings.Result.Saved>(await save.HandleAsync(AccessScope.Trust("staff:admin"), wanted));

        var read = await new ReadChaseSettings(database.DataSource).HandleAsync();
        Assert.Equal(wanted.Describe(), read.Describe());
        Assert.Equal("10, 2 days before the deadline; quiet 20:00–08:00, not at weekends; follow-up 1 day after the last reminder", read.Describe());
        await using var check = database.CreateDbContext();
        Assert.True(await check.AuditEntries.AnyAsync(e => e.Action == "chase.settings-changed" && e.Actor == "staff:admin"));
    }
}
