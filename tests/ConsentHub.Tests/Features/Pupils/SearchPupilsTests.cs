using ConsentHub.Access;
using ConsentHub.Pupils;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Tests.Audit;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Tests.Pupils;

/// <summary>Finding a pupil by name the way staff type it: partial, any order, without accents or capitals.</summary>
public sealed class SearchPupilsTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private async Task<(TestTrust Trust, Pupil Lukasz, Pupil Zoe, Pupil South)> SeedAsync()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var (lukasz, _) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 9, "9N", first: "Łukasz", last: "Ødegaard-Smith");
        var (zoe, _) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 4, "4N", first: "Zoë", last: "O’Brien");
        zoe.PreferredFirstName = "Zozo";
        var (south, _) = await TestTrust.AddPupilAsync(db, t.SouthAcademyId, 4, "4S", first: "Lukas", last: "Odegard");
        await db.SaveChangesAsync();
        return (t, lukasz, zoe, south);
    }

    [Fact]
    public async Task PartialWords_WithoutAccentsOrCapitals_FindThePupil_OnlyInTheCallersAcademy()
    {
        var (t, lukasz, zoe, south) = await SeedAsync();
        var search = new SearchPupils(database.DataSource, AuditTestSupport.Log(database));
        var north = AccessScope.Academy(t.NorthAcademyId, "teacher@north.example");

        Assert.Equal([lukasz.Id], (await search.HandleAsync(north, "ode luk")).Select(h => h.PupilId));
        Assert.Equal([lukasz.Id], (await search.HandleAsync(north, "SMITH")).Select(h => h.PupilId));
        Assert.Equal([zoe.Id], (await search.HandleAsync(north, "zoe obri")).Select(h => h.PupilId));
        Assert.Equal([zoe.Id], (await search.HandleAsync(north, "zozo")).Select(h => h.PupilId));
        Assert.Equal([zoe.Id], (await search.HandleAsync(north, "o'brien")).Select(h => h.PupilId));
        Assert.Empty(await search.HandleAsync(north, "egaard")); // a word must start with what was typed
        Assert.Empty(await search.HandleAsync(north, "  "));

        var trustWide = await search.HandleAsync(AccessScope.Trust("director@trust.example"), "luka");
        Assert.Equal(new[] { south.Id, lukasz.Id }.Order(), trustWide.Select(h => h.PupilId).Order());
        Assert.Contains(trustWide, h => h is { Name: "Łukasz Ødegaard-Smith", YearGroup: "9", RegistrationGroup: "9N", AcademyName: "North Academy" });
    }

    [Fact]
    public async Task Leavers_AreFoundOnlyWhenAskedFor_AndEverySearchIsAudited()
    {
        var (t, lukasz, _, _) = await SeedAsync();
        await using (var db = database.CreateDbContext())
            await db.Database.ExecuteSqlAsync($"UPDATE consenthub.pupils SET left_on = current_date - 1 WHERE id = {lukasz.Id}");
        var log = AuditTestSupport.Log(database);
        var search = new SearchPupils(database.DataSource, log);
        var north = AccessScope.Academy(t.NorthAcademyId, "office@north.example");

        Assert.DoesNotContain(await search.HandleAsync(north, "lukasz"), h => h.PupilId == lukasz.Id);
        var withLeavers = await search.HandleAsync(north, "lukasz", includeLeavers: true);
        Assert.True(Assert.Single(withLeavers, h => h.PupilId == lukasz.Id).HasLeft);

        using (var writer = new ConsentHub.Audit.AuditReadWriter(log, database.DataSource, TimeProvider.System,
                   Microsoft.Extensions.Options.Options.Create(new ConsentHub.Audit.AuditOptions()),
                   Microsoft.Extensions.Logging.Abstractions.NullLogger<ConsentHub.Audit.AuditReadWriter>.Instance))
            await writer.FlushAsync();
        await using var check = database.CreateDbContext();
        Assert.Equal(2, await check.AuditEntries.CountAsync(e => e.Action == "pupils.searched" && e.Actor == "office@north.example"));
    }
}
