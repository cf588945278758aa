using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Smtp;
using Npgsql;

namespace ConsentHub.Tests.Chasing;

/// <summary>Two app instances on one database run the same chase and drain the outbox at the same time.</summary>
public sealed class TwoHostsChaseTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task TwoHosts_RunningOneChaseAndDrainingTogether_SendEachReminderOnce()
    {
        const int pupils = 120;
        var a = new ChasingTestSupport(database).Init();
        await using var otherPool = NpgsqlDataSource.Create(database.ConnectionString);
        var b = new ChasingTestSupport(database, otherPool).Init();
        TestTrust t;
        await using (var db = database.CreateDbContext())
        {
            t = await TestTrust.CreateAsync(db);
            for (var i = 0; i < pupils; i++) await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 4, "4H", "Pupil" + i, "Host");
        }
        a.Clock.SetUtcNow(ChasingTestSupport.IssuedAt);
        await a.IssueAsync(t, t.NorthAcademyId);
        a.SetUkTime(3, 10);
        b.SetUkTime(3, 10);
        await using var sink = SmtpSink.Start();

        // Each host chases (both the daily run and the office's button) and drains, all at once.
        var work = new List<Task>();
        for (var round = 0; round < 2; round++)
        {
            foreach (var host in new[] { a, b })
            {
                work.Add(Task.Run(() => host.Chase().RunAsync([t.NorthAcademyId], CancellationToken.None)));
                work.Add(Task.Run(() => host.Drain(sink, o => o.BatchSize = 10).RunAsync(CancellationToken.None)));
            }
        }
        await Task.WhenAll(work);
        await a.Drain(sink).RunAsync(CancellationToken.None);
        await b.Drain(sink).RunAsync(CancellationToken.None);

        Assert.Equal(pupils, (await a.RemindersAsync(t.NorthAcademyId)).Count);
        Assert.Equal(pupils, sink.Messages.Count);
        Assert.Equal(pupils, sink.Messages.Select(m => m.MessageId).Distinct().Count());
    }
}
