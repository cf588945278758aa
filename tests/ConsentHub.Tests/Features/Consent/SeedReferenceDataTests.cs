using ConsentHub.Consent;
using ConsentHub.Data;
using ConsentHub.Testing.Database;
using ConsentHub.Trust;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ConsentHub.Tests.Consent;

public sealed class SeedReferenceDataTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task RunTwice_LeavesOneCopy_AndKeepsWhatStaffChanged()
    {
        var seed = new SeedReferenceData(database.DataSource, Options.Create(new TrustOptions { Name = "Northern Lights Learning Trust" }));

        var first = await seed.HandleAsync();
        await using (var db = database.CreateDbContext())
        {
            // Staff rename a purpose between starts; the next start must not undo it.
            var website = await db.Purposes.SingleAsync(p => p.Key == "academy-website");
            website.Name = "Our website";
            await db.SaveChangesAsync();
        }
        var second = await seed.HandleAsync();

        Assert.Equal(new SeedReferenceData.Result(TrustAdded: true, PurposesAdded: 7, FormVersionAdded: true), first);
        Assert.Equal(new SeedReferenceData.Result(TrustAdded: false, PurposesAdded: 0, FormVersionAdded: false), second);
        await using var check = database.CreateDbContext();
        Assert.Equal("Northern Lights Learning Trust", (await check.Trusts.SingleAsync()).Name);
        Assert.Equal("Our website", (await check.Purposes.SingleAsync(p => p.Key == "academy-website")).Name);
        await ReferenceData.AssertOneCopyAsync(check);
    }
}

public sealed class SeedReferenceDataConcurrencyTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task FourInstancesStartingAtOnce_LeaveOneCopy()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            new SeedReferenceData(database.DataSource, Options.Create(new TrustOptions())).HandleAsync())));

        Assert.Single(results, r => r.TrustAdded);
        Assert.Single(results, r => r.FormVersionAdded);
        Assert.Equal(7, results.Sum(r => r.PurposesAdded));
        await using var check = database.CreateDbContext();
        Assert.Equal(TrustOptions.DefaultName, (await check.Trusts.SingleAsync()).Name);
        await ReferenceData.AssertOneCopyAsync(check);
    }
}

internal static class ReferenceData
{
    public static async Task AssertOneCopyAsync(ConsentHubDbContext db)
    {
        var purposes = await db.Purposes.OrderBy(p => p.SortOrder).ToListAsync();
        Assert.Equal(SeedReferenceData.Purposes.Select(p => p.Key), purposes.Select(p => p.Key));
        Assert.Contains(purposes, p => p.LawfulBasis == LawfulBasis.PublicTask);
        Assert.All(purposes, p => Assert.False(string.IsNullOrWhiteSpace(p.Description)));

        var version = await db.FormVersions.Include(v => v.Wordings).SingleAsync();
        Assert.Equal(SeedReferenceData.FirstFormVersionLabel, version.Label);
        Assert.NotNull(version.PublishedAt);
        Assert.Equal(purposes.Count * 2, version.Wordings.Count);
        Assert.All(purposes, p =>
        {
            Assert.Single(version.Wordings, w => w.PurposeId == p.Id && w.Audience == Audience.Parent && w.Language == "en");
            Assert.Single(version.Wordings, w => w.PurposeId == p.Id && w.Audience == Audience.Pupil && w.Language == "en");
        });
        // Pupil wording is the plain, short version.
        Assert.All(purposes, p => Assert.True(
            version.Wordings.Single(w => w.PurposeId == p.Id && w.Audience == Audience.Pupil).Text.Length
            < version.Wordings.Single(w => w.PurposeId == p.Id && w.Audience == Audience.Parent).Text.Length));
    }
}
