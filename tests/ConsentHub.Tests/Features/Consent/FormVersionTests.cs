using ConsentHub.Consent;
using ConsentHub.Consent.FormVersions;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Tests.Audit;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Tests.Consent;

/// <summary>Editing the trust's form: a draft copies the last published wording, publishing freezes it, a change is a new version.</summary>
public sealed class FormVersionTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private const string Director = "comms.director@trust.example.org";

    [Fact]
    public async Task ADraft_IsEditedAndPublished_ThenFrozen_AndTheNextDraftStartsFromIt()
    {
        await using (var setup = database.CreateDbContext()) await TestTrust.CreateAsync(setup);
        var factory = new AuditTestSupport.ContextFactory(database);
        var log = AuditTestSupport.Log(database);
        // Now, not a fixed date: the test trust's form was published 30 days before the real now.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var start = new StartFormVersion(factory, log, clock);
        var save = new SaveFormWording(factory, log);
        var publish = new PublishFormVersion(factory, log, clock);
        var list = new ListFormVersions(factory);
        await using var db = database.CreateDbContext();
        var purposes = await db.Purposes.AsNoTracking().Where(p => p.Active).ToListAsync();

        var draft = await start.HandleAsync(Director);
        Assert.True(draft.Created);
        Assert.StartsWith($"{clock.GetUtcNow().Year}.", draft.Label, StringComparison.Ordinal);
        Assert.Equal(draft.Id, (await start.HandleAsync(Director)).Id); // one draft at a time

        // Publishing with wording missing lists every gap and publishes nothing.
        var first = purposes[0];
        Assert.IsType<SaveFormWording.Result.Saved>(await save.HandleAsync(new(draft.Id, first.Id, Audience.Parent, "en", "We would like to share photos of your child."), Director));
        var incomplete = Assert.IsType<PublishFormVersion.Result.Incomplete>(await publish.HandleAsync(draft.Id, Director));
        Assert.Contains($"{first.Name}: English wording for pupils", incomplete.Missing);
        Assert.DoesNotContain($"{first.Name}: English wording for parents", incomplete.Missing);
        Assert.Null((await list.HandleAsync()).Single(v => v.Id == draft.Id).PublishedAt);

        var badLanguage = Assert.IsType<SaveFormWording.Result.Invalid>(await save.HandleAsync(new(draft.Id, first.Id, Audience.Pupil, "English", "x"), Director));
        Assert.Equal("Give the language as a code such as en, pl or pt-BR.", badLanguage.Errors["language"][0]);

        foreach (var p in purposes)
        {
            await save.HandleAsync(new(draft.Id, p.Id, Audience.Parent, "en", $"Parents: may we use photos for {p.Name}?"), Director);
            await save.HandleAsync(new(draft.Id, p.Id, Audience.Pupil, "en", $"You: may we use photos of you for {p.Name}?"), Director);
        }
        await save.HandleAsync(new(draft.Id, first.Id, Audience.Parent, "pl", "Czy możemy publikować zdjęcia Państwa dziecka?"), Director);
        Assert.Equal(new PublishFormVersion.Result.Published(draft.Label), await publish.HandleAsync(draft.Id, Director));

        var frozen = Assert.IsType<SaveFormWording.Result.Invalid>(await save.HandleAsync(new(draft.Id, first.Id, Audience.Parent, "en", "Sneaky edit"), Director));
        Assert.Contains("Start a new version", frozen.Errors["formVersion"][0], StringComparison.Ordinal);
        Assert.Equal(new PublishFormVersion.Result.AlreadyPublished(draft.Label), await publish.HandleAsync(draft.Id, Director));

        // The next draft starts from what was just published, including the Polish wording; removing text removes it.
        clock.Advance(TimeSpan.FromMinutes(1));
        var next = await start.HandleAsync(Director);
        Assert.True(next.Created);
        Assert.NotEqual(draft.Label, next.Label);
        var copied = await list.WordingsAsync(next.Id);
        Assert.Equal(purposes.Count * 2 + 1, copied.Count);
        Assert.Contains(copied, w => w.Language == "pl" && w.Text.StartsWith("Czy możemy", StringComparison.Ordinal));
        await save.HandleAsync(new(next.Id, first.Id, Audience.Parent, "pl", "  "), Director);
        Assert.DoesNotContain(await list.WordingsAsync(next.Id), w => w.Language == "pl");
        Assert.Contains(await list.WordingsAsync(draft.Id), w => w.Language == "pl");

        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "form-version.published" && e.EntityId == draft.Id.ToString()));
    }
}
