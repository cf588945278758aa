using ConsentHub.Consent;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Ordering;
using ConsentHub.Trust;
using ConsentHub.Trust.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ConsentHub.Tests.Trust;

[LongRunning(12)]
public sealed class DemoTrustLoaderTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task DemoProfile_LoadsEveryRow_ReadableThroughTheModel_AndTheTriggerProjectsCurrentAnswers()
    {
        await new SeedReferenceData(database.DataSource, Options.Create(new TrustOptions())).HandleAsync();
        DemoTrustReference reference;
        await using (var conn = await database.DataSource.OpenConnectionAsync())
            reference = await DemoTrustReference.ReadAsync(conn);
        var trust = DemoTrustGenerator.Generate(DemoTrustProfile.Demo, reference);

        var counts = await new DemoTrustLoader(database.DataSource).LoadAsync(trust);

        Assert.Equal(trust.Counts, counts);
        await using var db = database.CreateDbContext();
        Assert.Equal(counts, new DemoTrustCounts(
            await db.Regions.CountAsync(), await db.Academies.CountAsync(), await db.Pupils.CountAsync(), await db.Contacts.CountAsync(),
            await db.PupilContacts.CountAsync(), await db.SafeguardingFlags.CountAsync(), await db.PostingPauses.CountAsync(),
            await db.SignatureRequests.CountAsync(), await db.ConsentAnswers.CountAsync()));

        // Enum names, dates and nullable columns come back as the entity configurations map them.
        var academies = await db.Academies.OrderBy(a => a.Code).Select(a => new { a.Id, a.Phase, a.LowestYear, a.HighestYear }).ToListAsync();
        Assert.Equal(trust.Academies.OrderBy(a => a.Code, StringComparer.Ordinal).Select(a => new { a.Id, a.Phase, a.LowestYear, a.HighestYear }), academies);
        var flagged = trust.Pupils.First(p => p.AlsoAskParent);
        var loaded = await db.Pupils.Include(p => p.Contacts).ThenInclude(c => c.Contact).SingleAsync(p => p.Id == flagged.Id);
        Assert.Equal((flagged.LegalFirstName, flagged.LegalLastName, flagged.DateOfBirth, flagged.YearGroup, flagged.AlsoAskParentReason),
            (loaded.LegalFirstName, loaded.LegalLastName, loaded.DateOfBirth, loaded.YearGroup, loaded.AlsoAskParentReason));
        Assert.Equal(flagged.Contacts.Select(c => (c.Contact!.DisplayName, c.Relationship, c.Priority)).Order(),
            loaded.Contacts.Select(c => (c.Contact!.DisplayName, c.Relationship, c.Priority)).Order());
        var pause = await db.PostingPauses.SingleAsync();
        Assert.Equal(trust.PostingPauses[0].Scope, pause.Scope);
        Assert.Equal(trust.PostingPauses[0].Until, pause.Until);

        // Answers are numbered in the order they were written.
        var stored = await db.ConsentAnswers.OrderBy(a => a.Id).Select(a => new { a.PupilId, a.PurposeId, a.ContactId, a.Kind, a.Method, a.At }).ToListAsync();
        Assert.Equal(trust.ConsentAnswers.Select(a => new { a.PupilId, a.PurposeId, a.ContactId, a.Kind, a.Method, a.At }), stored);

        // The trigger: one current answer per pupil × purpose × party, the latest by time and then append order.
        var expected = trust.ConsentAnswers
            .Select((a, i) => (Answer: a, Sequence: i))
            .GroupBy(x => (x.Answer.PupilId, x.Answer.PurposeId, Party: x.Answer.ContactId ?? Guid.Empty))
            .ToDictionary(g => g.Key, g => g.OrderBy(x => x.Answer.At).ThenBy(x => x.Sequence).Last().Answer);
        var current = await db.CurrentAnswers.ToListAsync();
        Assert.Equal(expected.Count, current.Count);
        Assert.All(current, c =>
        {
            var latest = expected[(c.PupilId, c.PurposeId, c.PartyId)];
            Assert.Equal((latest.Kind, latest.At, latest.PartyKind), (c.Kind, c.At, c.PartyKind));
        });
        Assert.Contains(current, c => c.Kind == AnswerKind.Withdraw);

        // The check read model: one facts row per pupil, built once per COPY, equal to the tables.
        Assert.Equal(counts.Pupils, await db.PupilConsentFacts.CountAsync());
        Assert.Equal(0, await Checks.ConsentFactsTests.StaleFactsAsync(db));
    }
}
