using ConsentHub.Access;
using ConsentHub.Consent;
using ConsentHub.PaperReturns;
using ConsentHub.Pupils;
using ConsentHub.Retention;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Tests.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ConsentHub.Tests.Consent;

/// <summary>
/// An API client's Idempotency-Key on a recorded answer: a retry after a lost response records nothing twice, even
/// when the repeats arrive together; a key is remembered for a day and then cleaned up.
/// </summary>
public sealed class AnswerIdempotencyTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    private RecordConsentAnswer Record() => new(new AuditTestSupport.ContextFactory(database), AuditTestSupport.Log(database), _clock);

    private async Task<(TestTrust T, Pupil Pupil, Contact Mum)> PupilAsync()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var (pupil, mum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 4, "4K", first: "Thảo", last: "Đặng");
        return (t, pupil, mum);
    }

    private static RecordConsentAnswer.Request Grant(Pupil pupil, Contact mum, RecordConsentAnswer.Idempotency? key, AnswerKind kind = AnswerKind.Grant) =>
        new(pupil.Id, TestTrust.Social, PartyKind.Contact, mum.Id, kind, AnswerMethod.Paper, true, "Mrs Office", IdempotencyKey: key);

    private async Task<int> AnswersAsync(Guid pupilId)
    {
        await using var db = database.CreateDbContext();
        return await db.ConsentAnswers.CountAsync(a => a.PupilId == pupilId);
    }

    private async Task<int> AuditEntriesAsync(Guid pupilId)
    {
        await using var db = database.CreateDbContext();
        return await db.AuditEntries.CountAsync(e => e.PupilId == pupilId && e.Action == "consent.answer-recorded");
    }

    [Fact]
    public async Task TheSameKeyAndRequest_Twice_RecordsOneAnswer_AndTheSecondGetsTheFirstAnswerBack()
    {
        var (t, pupil, mum) = await PupilAsync();
        var scope = AccessScope.Academy(t.NorthAcademyId, "api-key:north");
        var key = new RecordConsentAnswer.Idempotency("api-key:north", "7f1c0b3e-retry", "hash-a");

        var first = Assert.IsType<RecordConsentAnswer.Result.Recorded>(await Record().HandleAsync(scope, Grant(pupil, mum, key)));
        var again = Assert.IsType<RecordConsentAnswer.Result.Replayed>(await Record().HandleAsync(scope, Grant(pupil, mum, key)));

        Assert.Equal(first.AnswerId, again.AnswerId);
        Assert.Equal(1, await AnswersAsync(pupil.Id));
        Assert.Equal(1, await AuditEntriesAsync(pupil.Id));
    }

    [Fact]
    public async Task TenRepeatsArrivingTogether_RecordOneAnswer_AndAllGetItsId()
    {
        var (t, pupil, mum) = await PupilAsync();
        var scope = AccessScope.Academy(t.NorthAcademyId, "api-key:north");
        var key = new RecordConsentAnswer.Idempotency("api-key:north", "burst-1", "hash-a");

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => Record().HandleAsync(scope, Grant(pupil, mum, key)))));

        Assert.Single(results.OfType<RecordConsentAnswer.Result.Recorded>());
        Assert.Equal(9, results.OfType<RecordConsentAnswer.Result.Replayed>().Count());
        var ids = results.Select(r => r switch
        {
            RecordConsentAnswer.Result.Recorded x => x.AnswerId,
            RecordConsentAnswer.Result.Replayed x => x.AnswerId,
            _ => -1,
        }).Distinct().ToList();
        Assert.Single(ids);
        Assert.Equal(1, await AnswersAsync(pupil.Id));
        Assert.Equal(1, await AuditEntriesAsync(pupil.Id));
    }

    [Fact]
    public async Task TheSameKey_WithADifferentRequest_IsRefused_AndRecordsNothing()
    {
        var (t, pupil, mum) = await PupilAsync();
        var scope = AccessScope.Academy(t.NorthAcademyId, "api-key:north");
        Assert.IsType<RecordConsentAnswer.Result.Recorded>(await Record().HandleAsync(scope,
            Grant(pupil, mum, new RecordConsentAnswer.Idempotency("api-key:north", "k-1", "hash-grant"))));

        var reused = await Record().HandleAsync(scope,
            Grant(pupil, mum, new RecordConsentAnswer.Idempotency("api-key:north", "k-1", "hash-withdraw"), AnswerKind.Withdraw));

        Assert.IsType<RecordConsentAnswer.Result.KeyReused>(reused);
        Assert.Equal(1, await AnswersAsync(pupil.Id));
    }

    [Fact]
    public async Task AnotherClientsKey_WithTheSameText_IsItsOwn()
    {
        var (t, pupil, mum) = await PupilAsync();
        var scope = AccessScope.Academy(t.NorthAcademyId, "api-key:north");
        Assert.IsType<RecordConsentAnswer.Result.Recorded>(await Record().HandleAsync(scope,
            Grant(pupil, mum, new RecordConsentAnswer.Idempotency("api-key:north", "same-text", "hash-a"))));
        Assert.IsType<RecordConsentAnswer.Result.Recorded>(await Record().HandleAsync(scope,
            Grant(pupil, mum, new RecordConsentAnswer.Idempotency("api-key:mis-sync", "same-text", "hash-a"))));
        Assert.Equal(2, await AnswersAsync(pupil.Id));
    }

    [Fact]
    public async Task AfterADay_TheKeyIsForgotten_CleanedUp_AndMayBeUsedAgain()
    {
        var (t, pupil, mum) = await PupilAsync();
        var scope = AccessScope.Academy(t.NorthAcademyId, "api-key:north");
        var key = new RecordConsentAnswer.Idempotency("api-key:north", "daily-" + Guid.NewGuid(), "hash-a");
        Assert.IsType<RecordConsentAnswer.Result.Recorded>(await Record().HandleAsync(scope, Grant(pupil, mum, key)));
        var cleanUp = new DeleteExpiredIdempotencyKeys(new AuditTestSupport.ContextFactory(database), _clock, NullLogger<DeleteExpiredIdempotencyKeys>.Instance);

        _clock.Advance(TimeSpan.FromHours(23));
        await cleanUp.RunAsync(CancellationToken.None);
        Assert.IsType<RecordConsentAnswer.Result.Replayed>(await Record().HandleAsync(scope, Grant(pupil, mum, key)));

        _clock.Advance(TimeSpan.FromHours(2));
        Assert.IsType<RecordConsentAnswer.Result.Recorded>(await Record().HandleAsync(scope, Grant(pupil, mum, key)));
        Assert.Equal(2, await AnswersAsync(pupil.Id));

        _clock.Advance(TimeSpan.FromHours(25));
        await cleanUp.RunAsync(CancellationToken.None);
        await using var db = database.CreateDbContext();
        Assert.False(await db.AnswerIdempotencyKeys.AnyAsync(k => k.Key == key.Key));
        Assert.Equal(2, await AnswersAsync(pupil.Id));
    }

    [Fact]
    public async Task TheDatabase_RefusesAKeyThatIsNotVisibleAscii()
    {
        var (t, pupil, mum) = await PupilAsync();
        var scope = AccessScope.Academy(t.NorthAcademyId, "api-key:north");
        await Assert.ThrowsAnyAsync<Exception>(() => Record().HandleAsync(scope,
            Grant(pupil, mum, new RecordConsentAnswer.Idempotency("api-key:north", "has space", "hash-a"))));
        Assert.Equal(0, await AnswersAsync(pupil.Id));
    }
}
