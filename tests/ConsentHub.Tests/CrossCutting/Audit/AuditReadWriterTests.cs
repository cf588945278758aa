using ConsentHub.Audit;
using ConsentHub.Testing.Database;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static ConsentHub.Tests.Audit.AuditTestSupport;

namespace ConsentHub.Tests.Audit;

/// <summary>
/// Reads recorded without holding up the reader, written in batches by the hosted writer. The clock is fake, so a
/// batch never closes on its own interval: what is written, and when, follows only from size, flush and stop.
/// </summary>
public sealed class AuditReadWriterTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private const string TransactionsSql =
        "SELECT count(DISTINCT xmin::text) FROM consenthub.audit_entries WHERE chain_id = $1";

    [Fact]
    public void Registration_SharesOneLogAndOneWriter()
    {
        using var services = Services(database, StillClock());

        Assert.Same(services.GetRequiredService<AuditLog>(), services.GetRequiredService<IAuditLog>());
        Assert.Same(services.GetRequiredService<AuditReadWriter>(), Assert.Single(services.GetServices<IHostedService>().OfType<AuditReadWriter>()));
        Assert.NotNull(services.GetRequiredService<VerifyAuditChain>());
    }

    [Fact]
    public async Task RecordedReads_AppearAfterFlush_InRecordingOrder_StampedWhenRead()
    {
        var northfield = Guid.NewGuid();
        var southbank = Guid.NewGuid();
        var clock = StillClock();
        await using var services = Services(database, clock);
        var writer = services.GetRequiredService<AuditReadWriter>();
        var log = services.GetRequiredService<IAuditLog>();
        await writer.StartAsync(CancellationToken.None);

        var stamps = new List<DateTimeOffset>();
        for (var n = 0; n < 10; n++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(7));
            stamps.Add(AuditChain.Normalise(clock.GetUtcNow()));
            log.RecordRead(Check(n % 2 == 0 ? northfield : southbank, n));
        }
        await writer.FlushAsync().OrHang();

        var north = await EntriesAsync(database, northfield);
        var south = await EntriesAsync(database, southbank);
        Assert.Equal(["pupil-0", "pupil-2", "pupil-4", "pupil-6", "pupil-8"], north.Select(e => e.EntityId));
        Assert.Equal(["pupil-1", "pupil-3", "pupil-5", "pupil-7", "pupil-9"], south.Select(e => e.EntityId));
        Assert.Equal([1L, 2, 3, 4, 5], north.Select(e => e.Sequence));
        // The time each read happened, not the time it was written.
        Assert.Equal(stamps.Where((_, i) => i % 2 == 0), north.Select(e => e.At));
        Assert.Equal(stamps.Where((_, i) => i % 2 == 1), south.Select(e => e.At));
        Assert.All(north.Concat(south), e => Assert.Equal(("consent.checked", Teacher), (e.Action, e.Actor)));
        Assert.True((await VerifyAsync(database, northfield)).IsValid);
        Assert.True((await VerifyAsync(database, southbank)).IsValid);

        await writer.StopAsync(CancellationToken.None).OrHang();
    }

    [Fact]
    public async Task ABatch_IsOneTransactionPerChain_ClosedEveryMaxBatchSizeReads()
    {
        var academy = Guid.NewGuid();
        await using var services = Services(database, StillClock(), o => o.MaxBatchSize = 500);
        var writer = services.GetRequiredService<AuditReadWriter>();
        var log = services.GetRequiredService<IAuditLog>();
        await writer.StartAsync(CancellationToken.None);

        for (var n = 0; n < 1_200; n++) log.RecordRead(Check(academy, n));
        await writer.FlushAsync().OrHang();

        // 500 + 500 closed by size, the last 200 by the flush.
        Assert.Equal(1_200, (await EntriesAsync(database, academy)).Count);
        Assert.Equal(3, await ScalarAsync(database, TransactionsSql, academy));
        var result = await VerifyAsync(database, academy);
        Assert.Equal((true, 1_200L), (result.IsValid, result.EntriesChecked));

        await writer.StopAsync(CancellationToken.None).OrHang();
    }

    [Fact]
    public async Task QueuedReads_AreWrittenWhenTheWriterStops()
    {
        var academy = Guid.NewGuid();
        await using var services = Services(database, StillClock());
        var writer = services.GetRequiredService<AuditReadWriter>();
        var log = services.GetRequiredService<IAuditLog>();
        await writer.StartAsync(CancellationToken.None);

        for (var n = 0; n < 7; n++) log.RecordRead(Check(academy, n));
        // Fewer than a batch and the (fake) interval never passes: nothing is written until the stop.
        Assert.Empty(await EntriesAsync(database, academy));

        await writer.StopAsync(CancellationToken.None).OrHang();

        Assert.Equal(Enumerable.Range(0, 7).Select(n => $"pupil-{n}"), (await EntriesAsync(database, academy)).Select(e => e.EntityId));
        Assert.True((await VerifyAsync(database, academy)).IsValid);
    }

    [Fact]
    public async Task ReadsQueuedBeforeTheWriterStarted_AreWrittenWhenItIsStoppedWithoutStarting()
    {
        var academy = Guid.NewGuid();
        await using var services = Services(database, StillClock());
        var writer = services.GetRequiredService<AuditReadWriter>();

        for (var n = 0; n < 3; n++) services.GetRequiredService<IAuditLog>().RecordRead(Check(academy, n));
        await writer.StopAsync(CancellationToken.None).OrHang();

        Assert.Equal(3, (await EntriesAsync(database, academy)).Count);
        Assert.True((await VerifyAsync(database, academy)).IsValid);
    }

    [Fact]
    public async Task ReadsRecordedAfterTheWriterStopped_AreWrittenDirectly()
    {
        var academy = Guid.NewGuid();
        await using var services = Services(database, StillClock());
        var writer = services.GetRequiredService<AuditReadWriter>();
        var log = services.GetRequiredService<AuditLog>();
        await writer.StartAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None).OrHang();

        log.RecordRead(Check(academy, 1));

        Assert.Equal("pupil-1", Assert.Single(await EntriesAsync(database, academy)).EntityId);
        Assert.Equal(1, log.DirectWrites);
    }

    [Fact]
    public async Task AFullQueue_FallsBackToDirectWrites_AndLosesNothing()
    {
        var academy = Guid.NewGuid();
        await using var services = Services(database, StillClock(), o =>
        {
            o.QueueCapacity = 3;
            o.FullQueueWait = TimeSpan.Zero;
        });
        var writer = services.GetRequiredService<AuditReadWriter>();
        var log = services.GetRequiredService<AuditLog>();

        // Writer not started: the first three wait in the queue, the other five are written on this thread.
        for (var n = 0; n < 8; n++) log.RecordRead(Check(academy, n));

        Assert.Equal(5, log.DirectWrites);
        Assert.Equal(["pupil-3", "pupil-4", "pupil-5", "pupil-6", "pupil-7"], (await EntriesAsync(database, academy)).Select(e => e.EntityId));

        await writer.FlushAsync().OrHang();

        var entries = await EntriesAsync(database, academy);
        Assert.Equal(Enumerable.Range(0, 8).Select(n => $"pupil-{n}").Order(StringComparer.Ordinal), entries.Select(e => e.EntityId!).Order(StringComparer.Ordinal));
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), entries.Select(e => e.Sequence));
        Assert.True((await VerifyAsync(database, academy)).IsValid);
    }

    [Fact]
    public async Task AFullQueue_WaitsForRoomWhileTheWriterCatchesUp()
    {
        var academy = Guid.NewGuid();
        // A real clock here: the wait for room is measured in real time.
        await using var services = Services(database, TimeProvider.System, o =>
        {
            o.QueueCapacity = 2;
            o.MaxBatchSize = 2;
            o.FullQueueWait = TimeSpan.FromSeconds(10);
        });
        var writer = services.GetRequiredService<AuditReadWriter>();
        var log = services.GetRequiredService<AuditLog>();
        await writer.StartAsync(CancellationToken.None);

        for (var n = 0; n < 40; n++) log.RecordRead(Check(academy, n));
        await writer.FlushAsync().OrHang();

        Assert.Equal(0, log.DirectWrites);
        Assert.Equal(Enumerable.Range(0, 40).Select(n => $"pupil-{n}"), (await EntriesAsync(database, academy)).Select(e => e.EntityId));
        Assert.True((await VerifyAsync(database, academy)).IsValid);
        await writer.StopAsync(CancellationToken.None).OrHang();
    }

    [Fact]
    public async Task AReadWhoseDataWentBadAfterRecording_IsStillWritten_WithANote()
    {
        var academy = Guid.NewGuid();
        await using var services = Services(database, StillClock());
        var writer = services.GetRequiredService<AuditReadWriter>();
        var data = new Dictionary<string, object?> { ["n"] = 1 };

        services.GetRequiredService<IAuditLog>().RecordRead(Check(academy, 1) with { Data = data });
        data["later"] = new object();
        await writer.FlushAsync().OrHang();

        var entry = Assert.Single(await EntriesAsync(database, academy));
        Assert.Equal(("consent.checked", "pupil-1"), (entry.Action, entry.EntityId));
        Assert.Contains("\"unrecordableData\":", entry.Payload, StringComparison.Ordinal);
        Assert.True((await VerifyAsync(database, academy)).IsValid);
    }

    [Fact]
    public void AnEventThatCannotBeStored_IsRefusedOnTheCallingThread()
    {
        var log = Log(database);

        Assert.Throws<ArgumentException>(() => log.RecordRead(new AuditEvent(null, "", "consent.checked")));
        Assert.Throws<ArgumentException>(() => log.RecordRead(Check(null, 1) with { Data = new Dictionary<string, object?> { ["x"] = new object() } }));
    }
}
