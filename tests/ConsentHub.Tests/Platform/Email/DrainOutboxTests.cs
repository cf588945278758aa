using ConsentHub.Email;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using static ConsentHub.Tests.Email.EmailTestSupport;

namespace ConsentHub.Tests.Email;

/// <summary>The outbox job against a real database and real SMTP (MailKit to the in-process sink).</summary>
public sealed class DrainOutboxTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly SmtpSink _sink = SmtpSink.Start();
    private readonly FakeTimeProvider _clock = Clock();

    public Task InitializeAsync() => ClearOutboxAsync(database);

    public async Task DisposeAsync() => await _sink.DisposeAsync();

    private DrainOutbox Drain(Action<EmailOptions>? configure = null, IEmailSender? sender = null) =>
        new(database.DataSource, sender ?? SmtpSender(_sink, configure), Options(_sink, configure), _clock, NullLogger<DrainOutbox>.Instance);

    private async Task WriteAsync(params OutgoingEmail[] emails)
    {
        await using var db = database.CreateDbContext();
        await new OutboxWriter(Options(), _clock).WriteAsync(db, emails);
    }

    private static readonly string[] Keys = ["a", "b", "c"];

    private int ReceivedWithId(string key) => _sink.Messages.Count(m => m.MessageId == Bare(Row(key).MessageId));

    [Fact]
    public async Task PendingMessages_AreSentOnceAndMarkedSent()
    {
        await WriteAsync(Outgoing("a"), Outgoing("b", "b@home.example"), Outgoing("c", "c@home.example"));

        var first = await Drain().RunAsync(CancellationToken.None);
        var second = await Drain().RunAsync(CancellationToken.None);

        Assert.Equal(new DrainOutboxResult(3, 0, 0, 0), first);
        Assert.Equal(new DrainOutboxResult(0, 0, 0, 0), second);
        Assert.Equal(3, _sink.Messages.Count);
        foreach (var key in Keys)
        {
            Assert.Equal(1, ReceivedWithId(key));
            var row = await LoadAsync(database, key);
            Assert.Equal(OutboxStatus.Sent, row.Status);
            Assert.Equal(_clock.GetUtcNow(), row.SentAt);
            Assert.Equal(1, row.Attempts);
            Assert.Null(row.ClaimedAt);
            Assert.Null(row.LastError);
        }
    }

    [Fact]
    public async Task EachBatch_GoesOverItsOwnSingleConnection()
    {
        await WriteAsync([.. Enumerable.Range(1, 5).Select(i => Outgoing($"batch:{i}", $"p{i}@home.example"))]);

        var result = await Drain(o => o.BatchSize = 2).RunAsync(CancellationToken.None);

        Assert.Equal(5, result.Sent);
        Assert.Equal(3, _sink.ConnectionCount);
        Assert.Equal(3, _sink.Messages.Select(m => m.ConnectionId).Distinct().Count());
    }

    [Fact]
    public async Task MessageNotYetDue_IsLeftAlone()
    {
        await WriteAsync(Outgoing("later") with { NotBefore = _clock.GetUtcNow().AddMinutes(10) });

        var before = await Drain().RunAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(10));
        var after = await Drain().RunAsync(CancellationToken.None);

        Assert.Equal((0, 1), (before.Sent, after.Sent));
    }

    [Fact]
    public async Task Deferred451_GoesBackToPendingWithBackoff_AndIsSentOnALaterRun()
    {
        _sink.DeferRecipientOnce("busy@home.example");
        await WriteAsync(Outgoing("deferred", "busy@home.example"));
        var claimedAt = _clock.GetUtcNow();

        var first = await Drain(o => o.RetryDelaySeconds = 60).RunAsync(CancellationToken.None);

        Assert.Equal(1, first.Retrying);
        var waiting = await LoadAsync(database, "deferred");
        Assert.Equal(OutboxStatus.Pending, waiting.Status);
        Assert.Equal(1, waiting.Attempts);
        Assert.Equal(claimedAt.AddSeconds(60), waiting.NextAttemptAt);
        Assert.StartsWith("451", waiting.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain("busy@home.example", waiting.LastError, StringComparison.Ordinal);

        var tooSoon = await Drain().RunAsync(CancellationToken.None);
        Assert.Equal(0, tooSoon.Claimed);

        _clock.Advance(TimeSpan.FromSeconds(60));
        var later = await Drain().RunAsync(CancellationToken.None);

        Assert.Equal(1, later.Sent);
        var sent = await LoadAsync(database, "deferred");
        Assert.Equal((OutboxStatus.Sent, 2), (sent.Status, sent.Attempts));
        Assert.Equal(1, ReceivedWithId("deferred"));
    }

    [Fact]
    public async Task Rejected550_IsFailedWithTheReason_AndNeverRetried()
    {
        _sink.RejectRecipient("gone@home.example");
        await WriteAsync(Outgoing("rejected", "gone@home.example"), Outgoing("fine"));

        var result = await Drain().RunAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromDays(1));
        var later = await Drain().RunAsync(CancellationToken.None);

        Assert.Equal((1, 1), (result.Sent, result.Failed));
        Assert.Equal(0, later.Claimed);
        var row = await LoadAsync(database, "rejected");
        Assert.Equal(OutboxStatus.Failed, row.Status);
        Assert.StartsWith("550", row.LastError, StringComparison.Ordinal);
        Assert.Contains("Mailbox unavailable", row.LastError, StringComparison.Ordinal);
        Assert.Equal(0, ReceivedWithId("rejected"));
    }

    [Fact]
    public async Task TransientFailures_BackOffExponentially_ThenFailAtMaxAttempts()
    {
        _sink.RejectRecipient("full@home.example", 452, "4.2.2 Mailbox full");
        await WriteAsync(Outgoing("full", "full@home.example"));
        void Configure(EmailOptions o)
        {
            o.MaxAttempts = 3;
            o.RetryDelaySeconds = 60;
        }

        var waits = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var now = _clock.GetUtcNow();
            await Drain(Configure).RunAsync(CancellationToken.None);
            var row = await LoadAsync(database, "full");
            Assert.Equal(attempt, row.Attempts);
            if (row.Status == OutboxStatus.Pending)
            {
                waits.Add(row.NextAttemptAt - now);
                _clock.SetUtcNow(row.NextAttemptAt);
            }
        }

        Assert.Equal([TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120)], waits);
        var failed = await LoadAsync(database, "full");
        Assert.Equal(OutboxStatus.Failed, failed.Status);
        Assert.StartsWith("Gave up after 3 attempts", failed.LastError, StringComparison.Ordinal);
        Assert.Contains("452", failed.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClaimAbandonedByADeadWorker_GoesBackAndIsSent_WhileAFreshClaimIsLeftAlone()
    {
        await WriteAsync(Outgoing("abandoned"), Outgoing("in-flight"));
        await using (var db = database.CreateDbContext())
        {
            await db.OutboxMessages.Where(m => m.BusinessKey == "abandoned").ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, OutboxStatus.Sending)
                .SetProperty(m => m.Attempts, 1)
                .SetProperty(m => m.ClaimedAt, _clock.GetUtcNow().AddMinutes(-16)));
            await db.OutboxMessages.Where(m => m.BusinessKey == "in-flight").ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, OutboxStatus.Sending)
                .SetProperty(m => m.Attempts, 1)
                .SetProperty(m => m.ClaimedAt, _clock.GetUtcNow().AddMinutes(-1)));
        }

        var result = await Drain(o => o.ClaimTimeoutMinutes = 15).RunAsync(CancellationToken.None);

        Assert.Equal((1, 1), (result.Released, result.Sent));
        var resent = await LoadAsync(database, "abandoned");
        Assert.Equal((OutboxStatus.Sent, 2), (resent.Status, resent.Attempts));
        Assert.Equal(OutboxStatus.Sending, (await LoadAsync(database, "in-flight")).Status);
        Assert.Equal(0, ReceivedWithId("in-flight"));
    }

    [Fact]
    public async Task MessagesClaimedByAWorkerThatWasKilled_GoBackAtTheNextRun_NotAfterTheClaimTimeout()
    {
        await WriteAsync(Outgoing("killed:1"), Outgoing("killed:2", "b@home.example"));
        // The dying worker: its own connections (as a process has), and a sender that never comes back.
        var dyingConnection = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = "dying-worker" };
        await using var dyingSource = Npgsql.NpgsqlDataSource.Create(dyingConnection.ConnectionString);
        var stuck = new TaskCompletionSource();
        var sending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dying = new DrainOutbox(dyingSource, new GatedSender(SmtpSender(_sink), async () =>
        {
            sending.TrySetResult();
            await stuck.Task;
        }), Options(_sink), _clock, NullLogger<DrainOutbox>.Instance);
        var dyingRun = Task.Run(() => dying.RunAsync(CancellationToken.None));
        await sending.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(OutboxStatus.Sending, (await LoadAsync(database, "killed:1")).Status);

        // kill -9: the process's sessions end (PostgreSQL sees the sockets close), whatever it was doing.
        await using (var kill = database.DataSource.CreateCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'dying-worker'"))
            Assert.True((long)(await kill.ExecuteScalarAsync())! > 0);
        await WaitUntilGoneAsync("dying-worker");

        _clock.Advance(TimeSpan.FromMinutes(1));
        var result = await Drain(o => o.ClaimTimeoutMinutes = 15).RunAsync(CancellationToken.None);

        Assert.Equal((2, 2), (result.Released, result.Sent));
        Assert.Equal(1, ReceivedWithId("killed:1"));
        Assert.Equal(OutboxStatus.Sent, (await LoadAsync(database, "killed:2")).Status);
        stuck.SetResult();
        await Assert.ThrowsAnyAsync<Exception>(() => dyingRun);
    }

    [Fact]
    public async Task AClaimHeldByAWorkerStillSending_IsLeftAlone()
    {
        await WriteAsync(Outgoing("busy"));
        var release = new TaskCompletionSource();
        var sending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var busy = Drain(sender: new GatedSender(SmtpSender(_sink), async () =>
        {
            sending.TrySetResult();
            await release.Task;
        }));
        var busyRun = Task.Run(() => busy.RunAsync(CancellationToken.None));
        await sending.Task.WaitAsync(TimeSpan.FromSeconds(60));

        var meanwhile = await Drain().RunAsync(CancellationToken.None);

        Assert.Equal((0, 0), (meanwhile.Released, meanwhile.Sent));
        release.SetResult();
        Assert.Equal(1, (await busyRun).Sent);
        Assert.Equal(1, ReceivedWithId("busy"));
    }

    [Fact]
    public async Task ASecret_IsStoredSealed_SentInTheMessage_AndWipedOnceSent()
    {
        const string token = "Zm9vYmFyYmF6cXV4LXNlY3JldC10b2tlbi0xMjM0NTY";
        await WriteAsync(Outgoing("sealed") with
        {
            TextBody = $"Your link: https://example.org/s/{token}",
            HtmlBody = $"<a href=\"https://example.org/s/{token}\">Answer</a>",
            Secrets = [token],
        });
        var stored = await LoadAsync(database, "sealed");
        Assert.DoesNotContain(token, stored.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(token, stored.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain(token, stored.SealedSecrets, StringComparison.Ordinal);
        Assert.NotNull(stored.SealedSecrets);

        await Drain().RunAsync(CancellationToken.None);

        var message = Assert.Single(_sink.Messages).Message;
        Assert.Contains($"https://example.org/s/{token}", message.TextBody, StringComparison.Ordinal);
        Assert.Contains($"https://example.org/s/{token}", message.HtmlBody, StringComparison.Ordinal);
        var sent = await LoadAsync(database, "sealed");
        Assert.Equal(OutboxStatus.Sent, sent.Status);
        Assert.Null(sent.SealedSecrets);
    }

    private async Task WaitUntilGoneAsync(string applicationName)
    {
        for (var i = 0; i < 200; i++)
        {
            await using var cmd = database.DataSource.CreateCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1");
            cmd.Parameters.AddWithValue(applicationName);
            if ((long)(await cmd.ExecuteScalarAsync())! == 0) return;
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"The sessions of {applicationName} did not end.");
    }

    [Fact]
    public async Task TwoRunsInParallel_SendEachOf200MessagesExactlyOnce()
    {
        await WriteAsync([.. Enumerable.Range(1, 200).Select(i => Outgoing($"parallel:{i}", $"parent{i}@home.example"))]);
        // Each run holds its first batch until the other has claimed one too, so both really work at once.
        var gate = new TwoPartyGate();
        var first = Drain(o => o.BatchSize = 10, new GatedSender(SmtpSender(_sink), gate.ArriveAsync));
        var second = Drain(o => o.BatchSize = 10, new GatedSender(SmtpSender(_sink), gate.ArriveAsync));

        var results = await Task.WhenAll(Task.Run(() => first.RunAsync(CancellationToken.None)), Task.Run(() => second.RunAsync(CancellationToken.None)));

        Assert.All(results, r => Assert.True(r.Sent >= 10, "Both runs should have sent at least one batch."));
        Assert.Equal(200, results.Sum(r => r.Sent));
        Assert.Equal(200, _sink.Messages.Count);
        Assert.Equal(200, _sink.Messages.Select(m => m.MessageId).Distinct().Count());
        await using var db = database.CreateDbContext();
        Assert.Equal(200, await db.OutboxMessages.CountAsync(m => m.Status == OutboxStatus.Sent && m.Attempts == 1));
    }

    [Fact]
    public async Task MessageThatCannotBeBuilt_FailsWithoutStoppingTheBatch()
    {
        await WriteAsync(Outgoing("good"), Outgoing("bad-type") with { Attachments = [new EmailAttachment("x.bin", "application/octet-stream", new byte[] { 1 })] });
        await using (var db = database.CreateDbContext())
            await db.Set<OutboxAttachment>().ExecuteUpdateAsync(s => s.SetProperty(a => a.ContentType, "not a content type"));

        var result = await Drain().RunAsync(CancellationToken.None);

        Assert.Equal((1, 1), (result.Sent, result.Failed));
        Assert.Equal(OutboxStatus.Failed, (await LoadAsync(database, "bad-type")).Status);
    }

    /// <summary>Lets two parties through only once both have arrived; the first to arrive is held.</summary>
    private sealed class TwoPartyGate
    {
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
        private readonly TaskCompletionSource _both = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _arrived;

        public Task ArriveAsync()
        {
            if (Interlocked.Increment(ref _arrived) == 2) _both.TrySetResult();
            return _both.Task.WaitAsync(Patience);
        }
    }

    /// <summary>Waits at the gate before its first batch, then sends as the real sender does.</summary>
    private sealed class GatedSender(IEmailSender inner, Func<Task> gate) : IEmailSender
    {
        private int _calls;

        public async Task<IReadOnlyList<SendOutcome>> SendAsync(IReadOnlyList<MimeMessage> messages, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _calls) == 1) await gate();
            return await inner.SendAsync(messages, cancellationToken);
        }
    }
}
