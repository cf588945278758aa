using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ConsentHub.Tests.Checks;

/// <summary>
/// The FactsNameFromDisplayName migration rebuilds the facts already stored: a pupil whose blank preferred name
/// left a blank in the check's name before it gets the legal name after it, and going back restores the old facts.
/// Its own database, because it migrates down and up.
/// </summary>
public sealed class FactsNameMigrationTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private async Task<string> StoredNameAsync(Guid pupilId)
    {
        await using var db = database.CreateDbContext();
        return await db.Database.SqlQuery<string>($"""
            SELECT facts->>'name' AS "Value" FROM consenthub.pupil_consent_facts WHERE pupil_id = {pupilId}
            """).SingleAsync();
    }

    [Fact]
    public async Task FactsNameFromDisplayName_RebuildsStoredFacts_OfPupilsWithABlankPreferredName()
    {
        string ours, before;
        await using (var db = database.CreateDbContext())
        {
            var all = db.Database.GetMigrations().ToList();
            ours = all.Single(m => m.EndsWith("_FactsNameFromDisplayName", StringComparison.Ordinal));
            before = all[all.IndexOf(ours) - 1];
        }

        // Arranged with today's model at the latest migration (later migrations add columns the model writes), then
        // taken back to before ours: going down rebuilds the facts by the old definition.
        Guid blank, preferred;
        await using (var db = database.CreateDbContext())
        {
            var t = await TestTrust.CreateAsync(db);
            var (p1, _) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 8, "8O", "Siobhán", "O’Brien");
            var (p2, _) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 8, "8O", "Thị", "Đặng");
            p1.PreferredFirstName = " ";
            p2.PreferredFirstName = "Thea";
            await db.SaveChangesAsync();
            (blank, preferred) = (p1.Id, p2.Id);
        }
        await using (var db = database.CreateDbContext())
            await db.GetService<IMigrator>().MigrateAsync(before);
        // The old definition: the blank preferred name was kept.
        Assert.Equal("  O’Brien", await StoredNameAsync(blank));

        await using (var db = database.CreateDbContext())
            await db.GetService<IMigrator>().MigrateAsync(ours);
        Assert.Equal("Siobhán O’Brien", await StoredNameAsync(blank));
        Assert.Equal("Thea Đặng", await StoredNameAsync(preferred));

        await using (var db = database.CreateDbContext())
        {
            await db.GetService<IMigrator>().MigrateAsync(before);
            Assert.Equal("  O’Brien", await StoredNameAsync(blank));
            await db.GetService<IMigrator>().MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }
        Assert.Equal("Siobhán O’Brien", await StoredNameAsync(blank));
    }
}
