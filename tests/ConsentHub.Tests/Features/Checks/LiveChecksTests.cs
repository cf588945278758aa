using System.Collections.Concurrent;
using System.Text.Json;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Data;
using ConsentHub.Pupils;
using ConsentHub.Requests;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Trust;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace ConsentHub.Tests.Checks;

/// <summary>
/// The teacher's check: the card and the session grid say yes / no / not yet with a reason that names no parent
/// and never a safeguarding reason; every check is audited; and a change committed anywhere (another connection,
/// as another app instance would) reaches an open check through the listener, also after its connection was lost.
/// </summary>
public sealed class LiveChecksTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime, IDisposable
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly RecordingAudit _audit = new();
    private TestTrust _t = null!;
    private ConsentReferenceCache _reference = null!;
    private ConsentStatusReader _reader = null!;

    public async Task InitializeAsync()
    {
        await using var db = database.CreateDbContext();
        _t = await TestTrust.CreateAsync(db);
        _reference = new ConsentReferenceCache(database.DataSource, _clock);
        _reader = new ConsentStatusReader(database.DataSource, _reference, _clock);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _reference?.Dispose();

    private AccessScope North => AccessScope.Academy(_t.NorthAcademyId, "staff:teacher");

    private ConsentAnswer Answer(Guid pupilId, Guid contactId, AnswerKind kind) => new()
    {
        PupilId = pupilId,
        AcademyId = _t.NorthAcademyId,
        PurposeId = _t.SocialPurposeId,
        PartyKind = PartyKind.Contact,
        ContactId = contactId,
        Kind = kind,
        Method = AnswerMethod.Paper,
        FormVersionId = _t.FormVersionId,
        At = _clock.GetUtcNow().AddMinutes(-1),
        RecordedAt = _clock.GetUtcNow(),
        RecordedBy = "test",
        Attested = true,
    };

    [Fact]
    public async Task TheCard_SaysYesNoOrNotYet_WithAReasonThatNamesNoParent_AndIsAudited()
    {
        await using var db = database.CreateDbContext();
        var (pupil, mum) = await TestTrust.AddPupilAsync(db, _t.NorthAcademyId, 4, "4C", first: "Zoë", last: "Card");
        var check = new CheckPupil(_reader, new AccessDenials(_audit, TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new AccessDenialOptions())));

        var before = (await check.HandleAsync([North], pupil.Id, "card"))!;
        Assert.Equal(CheckAnswer.NotYet, before.For(TestTrust.Social)!.Answer);
        Assert.Equal("Nobody has been asked yet.", before.For(TestTrust.Social)!.Reason);
        Assert.Equal(CheckAnswer.Yes, before.For(TestTrust.Displays)!.Answer);

        db.ConsentAnswers.Add(Answer(pupil.Id, mum.Id, AnswerKind.Grant));
        await db.SaveChangesAsync();
        var granted = (await check.HandleAsync([North], pupil.Id, "card"))!;
        Assert.Equal(CheckAnswer.Yes, granted.For(TestTrust.Social)!.Answer);
        Assert.StartsWith("A parent agreed on ", granted.For(TestTrust.Social)!.Reason, StringComparison.Ordinal);
        Assert.True(granted.ChangedAt > before.ChangedAt);

        db.ConsentAnswers.Add(Answer(pupil.Id, mum.Id, AnswerKind.Withdraw));
        await db.SaveChangesAsync();
        var withdrawn = (await check.HandleAsync([North], pupil.Id, "card"))!;
        Assert.Equal(CheckAnswer.No, withdrawn.For(TestTrust.Social)!.Answer);
        Assert.StartsWith("A parent withdrew consent on ", withdrawn.For(TestTrust.Social)!.Reason, StringComparison.Ordinal);
        Assert.False(withdrawn.DoNotFeature);

        // Nothing a teacher may not see travels with the card: no parent's name or address.
        var json = JsonSerializer.Serialize(withdrawn);
        Assert.DoesNotContain("Jane", json, StringComparison.Ordinal);
        Assert.DoesNotContain(mum.Email!, json, StringComparison.Ordinal);

        var audited = _audit.Events.Where(e => e.Action == "consent.checked" && e.PupilId == pupil.Id).ToList();
        Assert.Equal(3, audited.Count);
        Assert.Equal("staff:teacher", audited[^1].Actor);
        var answers = (IReadOnlyDictionary<string, object?>)audited[^1].Data!["answers"]!;
        Assert.Equal("No", answers[TestTrust.Social]);
    }

    [Fact]
    public async Task ASafeguardingFlag_ShowsTheBannerAndOnlyDoNotFeature_NeverItsReason()
    {
        await using var db = database.CreateDbContext();
        var (pupil, _) = await TestTrust.AddPupilAsync(db, _t.NorthAcademyId, 2, "2F", first: "Flora", last: "Flagged");
        db.SafeguardingFlags.Add(new SafeguardingFlag { Id = Guid.NewGuid(), PupilId = pupil.Id, AcademyId = _t.NorthAcademyId, Reason = "Court order: whereabouts confidential", SetBy = "dsl", SetAt = _clock.GetUtcNow() });
        await db.SaveChangesAsync();

        var card = (await new CheckPupil(_reader, new AccessDenials(_audit, TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new AccessDenialOptions()))).HandleAsync([North], pupil.Id, "card"))!;

        Assert.True(card.DoNotFeature);
        Assert.All(card.Purposes, p => Assert.Equal(CheckAnswer.No, p.Answer));
        Assert.All(card.Purposes, p => Assert.Equal("Do not photograph or feature.", p.Reason));
        Assert.DoesNotContain("Court", JsonSerializer.Serialize(card), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APupilOfAnotherAcademy_IsNotFound_AndTheAttemptIsAudited()
    {
        await using var db = database.CreateDbContext();
        var (south, _) = await TestTrust.AddPupilAsync(db, _t.SouthAcademyId, 4, "4S", first: "Sid", last: "Elsewhere");

        Assert.Null(await new CheckPupil(_reader, new AccessDenials(_audit, TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new AccessDenialOptions()))).HandleAsync([North], south.Id, "card"));
        Assert.Contains(_audit.Events, e => e.Action == "access.not-found" && e.EntityId == south.Id.ToString());
    }

    [Fact]
    public async Task TheSearch_FindsPartialAccentFreeNames_OnlyInTheChosenAcademy()
    {
        await using var db = database.CreateDbContext();
        var (zoe, _) = await TestTrust.AddPupilAsync(db, _t.NorthAcademyId, 5, "5S", first: "Zoë", last: "Ødegård-Search");
        var (other, _) = await TestTrust.AddPupilAsync(db, _t.SouthAcademyId, 5, "5S", first: "Zoë", last: "Ødegård-Search");
        var preferred = new Pupil { Id = Guid.NewGuid(), AcademyId = _t.NorthAcademyId, MisId = "MIS" + Guid.NewGuid().ToString("N")[..10], LegalFirstName = "Alexander", PreferredFirstName = "Sasha", LegalLastName = "Lindqvist-Search", DateOfBirth = new DateOnly(2017, 1, 1), YearGroup = 5 };
        db.Pupils.Add(preferred);
        await db.SaveChangesAsync();
        var search = new SearchCheckablePupils(database.DataSource, _clock);

        var byAccentFreePrefix = await search.HandleAsync(North, _t.NorthAcademyId, "ODEG");
        var byTwoWords = await search.HandleAsync(North, _t.NorthAcademyId, "zoe ode");
        var byPreferred = await search.HandleAsync(North, _t.NorthAcademyId, "sas");
        var outOfScope = await search.HandleAsync(North, _t.SouthAcademyId, "ode");

        Assert.Equal([zoe.Id], byAccentFreePrefix.Select(h => h.PupilId));
        Assert.Equal("Zoë Ødegård-Search", byTwoWords.Single().Name);
        Assert.Equal("Sasha Lindqvist-Search", byPreferred.Single().Name);
        Assert.Empty(outOfScope);
        Assert.DoesNotContain(byAccentFreePrefix, h => h.PupilId == other.Id);
        Assert.DoesNotContain(_audit.Events, e => e.Action == "consent.checked");
    }

    [Fact]
    public async Task TheSession_GivesEveryPupilOfTheClassForOnePurpose_InOneAuditedRead()
    {
        await using var db = database.CreateDbContext();
        var (amy, amyMum) = await TestTrust.AddPupilAsync(db, _t.NorthAcademyId, 3, "3G", first: "Amy", last: "Grid");
        var (ben, benMum) = await TestTrust.AddPupilAsync(db, _t.NorthAcademyId, 3, "3G", first: "Ben", last: "Grid");
        var (cat, _) = await TestTrust.AddPupilAsync(db, _t.NorthAcademyId, 3, "3G", first: "Cat", last: "Grid");
        db.ConsentAnswers.Add(Answer(amy.Id, amyMum.Id, AnswerKind.Grant));
        db.ConsentAnswers.Add(Answer(ben.Id, benMum.Id, AnswerKind.Refuse));
        await db.SaveChangesAsync();

        var result = (await new CheckSession(_reader, _reference, _audit).HandleAsync(North, new CheckSession.Request(_t.NorthAcademyId, TestTrust.Social, "3G"), "grid"))!;

        Assert.Equal(["Amy Grid", "Ben Grid", "Cat Grid"], result.Pupils.Select(p => p.Name));
        Assert.Equal([CheckAnswer.Yes, CheckAnswer.No, CheckAnswer.NotYet], result.Pupils.Select(p => p.Check.Answer));
        Assert.Equal(2, result.CannotBeFeatured);
        var entry = Assert.Single(_audit.Events, e => e.Action == "consent.session-checked");
        var answers = (IReadOnlyDictionary<string, object?>)entry.Data!["answers"]!;
        Assert.Equal("No", answers[ben.Id.ToString()]);
        Assert.Equal(3, answers.Count);
        Assert.Null(await new CheckSession(_reader, _reference, _audit).HandleAsync(North, new CheckSession.Request(_t.SouthAcademyId, TestTrust.Social, "3G"), "grid"));
    }

    [Fact]
    public async Task ARefreshThatChangesNothing_LeavesWhenItLastChanged()
    {
        await using var db = database.CreateDbContext();
        var (pupil, _) = await TestTrust.AddPupilAsync(db, _t.NorthAcademyId, 4, "4N", first: "Nia", last: "Same");
        var before = await db.PupilConsentFacts.Where(f => f.PupilId == pupil.Id).Select(f => f.ChangedAt).SingleAsync();

        await db.Database.ExecuteSqlAsync($"UPDATE consenthub.pupils SET legal_first_name = legal_first_name WHERE id = {pupil.Id}");
        var after = await db.PupilConsentFacts.Where(f => f.PupilId == pupil.Id).Select(f => f.ChangedAt).SingleAsync();

        Assert.Equal(before, after);
    }

    [Fact]
    public async Task AChangeCommittedOnAnotherConnection_ReachesASubscriberOfItsAcademy_AndNoOther()
    {
        await using var live = await StartListenerAsync();
        await using var db = database.CreateDbContext();
        var north = new ConcurrentQueue<ConsentChange>();
        var south = new ConcurrentQueue<ConsentChange>();
        using var s = live.Notifications.Subscribe(_t.SouthAcademyId, south.Enqueue);
        var arrived = new TaskCompletionSource<ConsentChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        var marker = Guid.NewGuid();
        var markerArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var n = live.Notifications.Subscribe(_t.NorthAcademyId, c =>
        {
            north.Enqueue(c);
            if (c.PupilIds?.Contains(marker) == true)
            {
                markerArrived.TrySetResult();
                return;
            }
            Volatile.Read(ref arrived).TrySetResult(c);
        });
        var (pupil, mum) = await TestTrust.AddPupilAsync(db, _t.NorthAcademyId, 4, "4L", first: "Lia", last: "Live");
        // A new pupil is announced too; wait for that before the change under test.
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Volatile.Write(ref arrived, new TaskCompletionSource<ConsentChange>(TaskCreationOptions.RunContinuationsAsynchronously));
        var heardBefore = north.Count;

        // As another app instance would: its own connection, its own transaction.
        await using (var other = new NpgsqlConnection(database.ConnectionString))
        {
            await other.OpenAsync();
            await using var tx = await other.BeginTransactionAsync();
            await using var cmd = new NpgsqlCommand("""
                INSERT INTO consenthub.consent_answers (pupil_id, academy_id, purpose_id, party_kind, contact_id, kind, method, form_version_id, at, recorded_at, recorded_by, attested)
                VALUES (@p, @a, @purpose, 'Contact', @c, 'Withdraw', 'Paper', @f, now(), now(), 'other instance', true)
                """, other, tx);
            cmd.Parameters.AddWithValue("p", pupil.Id);
            cmd.Parameters.AddWithValue("a", _t.NorthAcademyId);
            cmd.Parameters.AddWithValue("purpose", _t.SocialPurposeId);
            cmd.Parameters.AddWithValue("c", mum.Id);
            cmd.Parameters.AddWithValue("f", _t.FormVersionId);
            await cmd.ExecuteNonQueryAsync();

            // Not announced before the commit: a marker sent after the insert (and committed at once) arrives
            // first, and by then nothing about the pupil has.
            await using (var elsewhere = new NpgsqlConnection(database.ConnectionString))
            {
                await elsewhere.OpenAsync();
                await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", elsewhere);
                notify.Parameters.AddWithValue("channel", ConsentChangeNotifications.Channel);
                notify.Parameters.AddWithValue("payload", $"p:{_t.NorthAcademyId}:{marker}");
                await notify.ExecuteNonQueryAsync();
            }
            await markerArrived.Task.WaitAsync(TimeSpan.FromSeconds(20));
            Assert.False(arrived.Task.IsCompleted, "announced before the commit");
            Assert.DoesNotContain(north.Skip(heardBefore), c => c.PupilIds?.Contains(pupil.Id) == true);
            await tx.CommitAsync();
        }

        var change = await arrived.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(_t.NorthAcademyId, change.AcademyId);
        Assert.Contains(pupil.Id, change.PupilIds!);
        Assert.Empty(south);
        var card = await _reader.ForPupilAsync(North, pupil.Id, TestTrust.Social);
        Assert.Equal(ConsentStatus.NotAllowed, card!.Purposes.Single().Decision.Status);
    }

    [Fact]
    public async Task APostingPause_ReachesEveryOpenCheck_AndTheNextReadSeesIt()
    {
        await using var live = await StartListenerAsync();
        await using var db = database.CreateDbContext();
        var (pupil, mum) = await TestTrust.AddPupilAsync(db, _t.NorthAcademyId, 4, "4P", first: "Pia", last: "Paused");
        db.ConsentAnswers.Add(Answer(pupil.Id, mum.Id, AnswerKind.Grant));
        await db.SaveChangesAsync();
        var check = new CheckPupil(_reader, new AccessDenials(_audit, TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new AccessDenialOptions())));
        Assert.Equal(CheckAnswer.Yes, (await check.HandleAsync([North], pupil.Id, "card"))!.For(TestTrust.Social)!.Answer);
        var arrived = new TaskCompletionSource<ConsentChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sub = live.Notifications.Subscribe(_t.NorthAcademyId, c =>
        {
            if (c.AcademyId is null) arrived.TrySetResult(c);
        });

        db.PostingPauses.Add(new PostingPause { Id = Guid.NewGuid(), Scope = PauseScope.Trust, From = _clock.GetUtcNow().AddMinutes(-1), Reason = "Incident under review", SetBy = "director", SetAt = _clock.GetUtcNow() });
        await db.SaveChangesAsync();

        var change = await arrived.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Same(ConsentChange.Everything, change);
        // The clock has not moved, so only the listener dropping the cache lets the read see the pause.
        var card = (await check.HandleAsync([North], pupil.Id, "live-update"))!;
        Assert.True(card.DoNotFeature);
        Assert.Equal(CheckAnswer.No, card.For(TestTrust.Social)!.Answer);
        Assert.DoesNotContain("Incident", card.For(TestTrust.Social)!.Reason, StringComparison.Ordinal);
        await db.PostingPauses.ExecuteDeleteAsync();
        _reference.Invalidate();
    }

    [Fact]
    public async Task APauseSetAhead_ReachesOpenChecks_WhenTheNoticeJobMarksItsStart()
    {
        await using var live = await StartListenerAsync();
        await using var db = database.CreateDbContext();
        var (pupil, mum) = await TestTrust.AddPupilAsync(db, _t.NorthAcademyId, 4, "4F", first: "Fen", last: "Future");
        db.ConsentAnswers.Add(Answer(pupil.Id, mum.Id, AnswerKind.Grant));
        await db.SaveChangesAsync();
        var notices = new ConsentHub.Pauses.PauseNotices(new ConsentHub.Email.OutboxWriter(ConsentHub.Tests.Email.EmailTestSupport.Options(), _clock),
            new ConsentHub.Email.EmailTemplates(Microsoft.Extensions.Options.Options.Create(new ConsentHub.Email.TemplateOptions())),
            Microsoft.Extensions.Options.Options.Create(new SigningOptions { PublicBaseUrl = new Uri("https://consent.trust.example/") }));
        var job = new ConsentHub.Pauses.SendPostingPauseNotices(new ConsentHub.Tests.Audit.AuditTestSupport.ContextFactory(database), notices,
            ConsentHub.Tests.Audit.AuditTestSupport.Log(database, _clock), _clock);
        var set = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sub = live.Notifications.Subscribe(_t.NorthAcademyId, c =>
        {
            if (c.AcademyId is not null) return;
            if (!set.TrySetResult()) started.TrySetResult();
        });
        db.PostingPauses.Add(new PostingPause
        {
            Id = Guid.NewGuid(),
            Scope = PauseScope.Academy,
            ScopeId = _t.NorthAcademyId,
            From = _clock.GetUtcNow().AddHours(1),
            Until = _clock.GetUtcNow().AddHours(4),
            Reason = "Planned",
            SetBy = "director",
            SetAt = _clock.GetUtcNow(),
        });
        await db.SaveChangesAsync();
        await set.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var check = new CheckPupil(_reader, new AccessDenials(_audit, TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new AccessDenialOptions())));
        Assert.Equal(CheckAnswer.Yes, (await check.HandleAsync([North], pupil.Id, "card"))!.For(TestTrust.Social)!.Answer);

        _clock.Advance(TimeSpan.FromHours(1));
        await job.RunAsync(CancellationToken.None);

        await started.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var card = (await check.HandleAsync([North], pupil.Id, "live-update"))!;
        Assert.Equal(CheckAnswer.No, card.For(TestTrust.Social)!.Answer);
        Assert.StartsWith("Posting paused until", card.For(TestTrust.Social)!.Reason, StringComparison.Ordinal);
        await db.PostingPauses.ExecuteDeleteAsync();
        _reference.Invalidate();
    }

    [Fact]
    public async Task AfterItsConnectionIsLost_TheListenerReconnects_TellsOpenChecksToReRead_AndDeliversAgain()
    {
        await using var live = await StartListenerAsync();
        await using var db = database.CreateDbContext();
        var (pupil, mum) = await TestTrust.AddPupilAsync(db, _t.NorthAcademyId, 4, "4R", first: "Rio", last: "Reconnect");
        var everything = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sub = live.Notifications.Subscribe(_t.NorthAcademyId, c =>
        {
            if (c.AcademyId is null) everything.TrySetResult();
            else if (c.PupilIds?.Contains(pupil.Id) == true) mine.TrySetResult();
        });
        var first = live.Listener.BackendProcessId!.Value;

        await using (var admin = new NpgsqlConnection(database.ConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand("SELECT pg_terminate_backend(@pid)", admin);
            kill.Parameters.AddWithValue("pid", first);
            Assert.True((bool)(await kill.ExecuteScalarAsync())!);
        }

        await everything.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await live.Listener.WaitUntilListeningAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, live.Listener.Reconnections);
        Assert.NotEqual(first, live.Listener.BackendProcessId);
        Assert.Contains(live.Logs, l => l.Contains("lost their database connection", StringComparison.Ordinal));

        db.ConsentAnswers.Add(Answer(pupil.Id, mum.Id, AnswerKind.Refuse));
        await db.SaveChangesAsync();
        await mine.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }

    private async Task<LiveHarness> StartListenerAsync()
    {
        var logs = new ConcurrentQueue<string>();
        var notifications = new ConsentChangeNotifications(NullLogger<ConsentChangeNotifications>.Instance);
        var listener = new ConsentChangeListener(
            new ConsentChangeListenerOptions(database.ConnectionString) { FirstRetryDelay = TimeSpan.FromMilliseconds(200) },
            notifications, _reference, new ListLogger<ConsentChangeListener>(logs));
        await listener.StartAsync(CancellationToken.None);
        await listener.WaitUntilListeningAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return new LiveHarness(listener, notifications, logs);
    }

    private sealed record LiveHarness(ConsentChangeListener Listener, ConsentChangeNotifications Notifications, ConcurrentQueue<string> Logs) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Listener.StopAsync(CancellationToken.None);
            Listener.Dispose();
        }
    }

    private sealed class RecordingAudit : IAuditLog
    {
        public ConcurrentQueue<AuditEvent> Events { get; } = new();

        public Task AppendAsync(ConsentHubDbContext db, AuditEvent auditEvent, CancellationToken ct = default)
        {
            Events.Enqueue(auditEvent);
            return Task.CompletedTask;
        }

        public void RecordRead(AuditEvent auditEvent) => Events.Enqueue(auditEvent);
    }

    private sealed class ListLogger<T>(ConcurrentQueue<string> lines) : Microsoft.Extensions.Logging.ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception));
    }
}
