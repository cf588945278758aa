using System.Globalization;
using ConsentHub.Audit;
using ConsentHub.Chasing;
using ConsentHub.Data;
using ConsentHub.Email;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Ordering;
using ConsentHub.Testing.Smtp;
using ConsentHub.Tests.Email;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit.Abstractions;

namespace ConsentHub.Tests.Chasing;

/// <summary>
/// Exactly-once delivery under faults: 1,000 reminders from a real chase, sent through MailKit to a sink that
/// answers 4xx at random, drops the connection after DATA, while the chase and the drain are cancelled part-way
/// and run again. Every reminder arrives and none twice, counted by Message-ID at the sink. A fake clock steps past
/// the backoff delays. Each run prints its seed; set CHASE_FAULT_SEED to replay one.
/// </summary>
[LongRunning(50)]
public sealed class ChaseDeliveryFaultTests(DatabaseFixture database, ITestOutputHelper output) : IClassFixture<DatabaseFixture>
{
    private const int Pupils = 1000;
    private const int Runs = 20;

    private async Task<TestTrust> ArrangeAsync()
    {
        var s = new ChasingTestSupport(database).Init();
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        for (var i = 0; i < Pupils; i++)
        {
            var pupil = new ConsentHub.Pupils.Pupil
            {
                Id = Guid.NewGuid(),
                AcademyId = t.NorthAcademyId,
                MisId = "F" + i.ToString("D5", CultureInfo.InvariantCulture),
                LegalFirstName = "Pupil" + i.ToString(CultureInfo.InvariantCulture),
                LegalLastName = "Fault",
                DateOfBirth = new DateOnly(2018, 1, 1).AddDays(i % 300),
                YearGroup = 2,
                RegistrationGroup = "2F",
            };
            var parent = new ConsentHub.Pupils.Contact { Id = Guid.NewGuid(), FirstName = "Parent", LastName = "Fault", Email = $"parent{i}@home.example" };
            db.Pupils.Add(pupil);
            db.Contacts.Add(parent);
            db.PupilContacts.Add(new ConsentHub.Pupils.PupilContact { PupilId = pupil.Id, ContactId = parent.Id, Relationship = "Mother", HasParentalResponsibility = true });
        }
        await db.SaveChangesAsync();
        s.Clock.SetUtcNow(ChasingTestSupport.IssuedAt);
        await s.IssueAsync(t, t.NorthAcademyId, deadlineDays: 60);
        return t;
    }

    [Fact]
    public async Task TwentyRandomisedRuns_OfAThousandReminders_DeliverEveryMessageExactlyOnce()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var t = await ArrangeAsync();
        output.WriteLine($"{Pupils} pupils issued in {started.Elapsed.TotalSeconds:F1} s");
        var seeds = Environment.GetEnvironmentVariable("CHASE_FAULT_SEED") is { Length: > 0 } replay
            ? [int.Parse(replay, CultureInfo.InvariantCulture)]
            : Enumerable.Range(0, Runs).Select(_ => Random.Shared.Next()).ToArray();
        foreach (var seed in seeds)
        {
            var run = System.Diagnostics.Stopwatch.StartNew();
            output.WriteLine($"seed {seed} (replay with CHASE_FAULT_SEED={seed})");
            // A fresh clock each run: the requests were issued at the same moment for every run.
            await OneRunAsync(new ChasingTestSupport(database).Init(), t, seed);
            output.WriteLine($"  done in {run.Elapsed.TotalSeconds:F1} s");
        }
    }

    private async Task OneRunAsync(ChasingTestSupport s, TestTrust t, int seed)
    {
        await EmailTestSupport.ClearOutboxAsync(database);
        var random = new Random(seed);
        var gate = new Lock();
        double Next() { lock (gate) return random.NextDouble(); }

        await using var sink = SmtpSink.Start();
        // A drain armed to be cancelled stops once the sink has taken cancelAt messages in all (mid-batch).
        CancellationTokenSource? armed = null;
        var cancelAt = int.MaxValue;
        sink.AddFault(c =>
        {
            if (c.Command == SmtpCommand.DataEnd && Volatile.Read(ref armed) is { } drain && sink.Messages.Count + 1 >= Volatile.Read(ref cancelAt))
                drain.Cancel();
            return null;
        });
        var deferRcpt = 0.02 + Next() * 0.08;   // 2–10 % of RCPTs get 451
        var deferData = 0.01 + Next() * 0.05;   // 1–6 % of messages get 452 after DATA
        var dropData = 0.005 + Next() * 0.02;   // 0.5–2.5 % of messages: connection dropped after DATA, no reply
        sink.AddFault(c => c.Command == SmtpCommand.RcptTo && Next() < deferRcpt ? new SmtpReply(451, "4.7.1 Greylisted, try again later") : null);
        sink.AddFault(c => c.Command == SmtpCommand.DataEnd && Next() < dropData ? SmtpReply.Disconnect : null);
        sink.AddFault(c => c.Command == SmtpCommand.DataEnd && Next() < deferData ? new SmtpReply(452, "4.3.1 Insufficient system storage") : null);

        // The chase, cancelled after its first chunk has committed, then run again.
        s.SetUkTime(3, 10);
        using (var cancelChase = new CancellationTokenSource())
        {
            var first = s.Chase(new CancelAfterFirstAppend(s.Audit, cancelChase));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RunAsync([t.NorthAcademyId], cancelChase.Token));
        }
        Assert.Equal(ChaseAcademies.ChunkSize, await CountAsync("SELECT count(*) FROM consenthub.outbox_messages WHERE business_key LIKE 'reminder:%'"));
        var rest = await s.Chase().RunAsync([t.NorthAcademyId], CancellationToken.None);
        Assert.Equal(Pupils - ChaseAcademies.ChunkSize, rest.RemindersWritten);
        Assert.Equal(0, (await s.Chase().RunAsync([t.NorthAcademyId], CancellationToken.None)).RemindersWritten);

        // Drains, some cancelled mid-batch when the sink has taken a random number of messages, until all are sent.
        var batchSize = 20 + random.Next(60);
        for (var round = 0; round < 200; round++)
        {
            if (await CountAsync("SELECT count(*) FROM consenthub.outbox_messages WHERE status <> 'Sent'") == 0) break;
            using var cts = new CancellationTokenSource();
            if (Next() < 0.5)
            {
                Volatile.Write(ref cancelAt, sink.Messages.Count + 1 + random.Next(batchSize * 3));
                Volatile.Write(ref armed, cts);
            }
            await s.Drain(sink, o => { o.BatchSize = batchSize; o.MaxAttempts = 30; }).RunAsync(cts.Token);
            Volatile.Write(ref armed, null);
            // Step past the backoff: to the earliest retry still waiting.
            var next = await NextAttemptAsync();
            if (next is { } at && at > s.Clock.GetUtcNow()) s.Clock.SetUtcNow(at);
        }

        output.WriteLine($"  {sink.Messages.Count} delivered over {sink.ConnectionCount} connections; batch {batchSize}, 451 RCPT {deferRcpt:P0}, 452 DATA {deferData:P0}, drop {dropData:P1}");
        var received = sink.Messages.GroupBy(m => m.MessageId).ToDictionary(g => g.Key!, g => g.Count());
        var expected = await ExpectedMessageIdsAsync();
        Assert.Equal(Pupils, expected.Count);
        var missing = expected.Where(id => !received.ContainsKey(id)).ToList();
        var twice = received.Where(kv => kv.Value > 1).Select(kv => kv.Key).ToList();
        Assert.True(missing.Count == 0 && twice.Count == 0,
            $"seed {seed}: {missing.Count} reminders never arrived, {twice.Count} arrived more than once (of {Pupils}); {sink.Messages.Count} received in all");
        Assert.Equal(Pupils, sink.Messages.Count);
        Assert.Equal(Pupils, await CountAsync("SELECT count(*) FROM consenthub.outbox_messages WHERE status = 'Sent'"));
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var cmd = database.DataSource.CreateCommand(sql);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task<DateTimeOffset?> NextAttemptAsync()
    {
        await using var cmd = database.DataSource.CreateCommand("SELECT min(next_attempt_at) FROM consenthub.outbox_messages WHERE status = 'Pending'");
        return await cmd.ExecuteScalarAsync() is DateTime dt ? new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)) : null;
    }

    private async Task<HashSet<string>> ExpectedMessageIdsAsync()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using var cmd = database.DataSource.CreateCommand("SELECT message_id FROM consenthub.outbox_messages WHERE business_key LIKE 'reminder:%'");
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(EmailTestSupport.Bare(reader.GetString(0)));
        return ids;
    }

    /// <summary>Passes audit entries through, and cancels the run once the first chunk has written its entry (it commits just after).</summary>
    private sealed class CancelAfterFirstAppend(IAuditLog inner, CancellationTokenSource cts) : IAuditLog
    {
        public async Task AppendAsync(ConsentHubDbContext db, AuditEvent auditEvent, CancellationToken ct = default)
        {
            await inner.AppendAsync(db, auditEvent, ct);
            cts.Cancel();
        }

        public void RecordRead(AuditEvent auditEvent) => inner.RecordRead(auditEvent);
    }
}
