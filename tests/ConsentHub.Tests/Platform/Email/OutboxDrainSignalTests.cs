using ConsentHub.Email;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Smtp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static ConsentHub.Tests.Email.EmailTestSupport;

namespace ConsentHub.Tests.Email;

/// <summary>
/// A requested drain runs in process when a worker listens (no Hangfire job per request), falls back to a Hangfire
/// job where none does, and still sends each message exactly once however many drains are asked for at once.
/// </summary>
public sealed class OutboxDrainSignalTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly SmtpSink _sink = SmtpSink.Start();
    private readonly FakeTimeProvider _clock = Clock();

    public Task InitializeAsync() => ClearOutboxAsync(database);

    public async Task DisposeAsync() => await _sink.DisposeAsync();

    private ServiceProvider Services(OutboxDrainSignal signal)
    {
        var services = new ServiceCollection();
        services.AddSingleton(signal);
        services.AddTransient(_ => new DrainOutbox(database.DataSource, SmtpSender(_sink), Options(_sink), _clock, NullLogger<DrainOutbox>.Instance));
        return services.BuildServiceProvider();
    }

    private async Task WriteAsync(params OutgoingEmail[] emails)
    {
        await using var db = database.CreateDbContext();
        await new OutboxWriter(Options(), _clock).WriteAsync(db, emails);
    }

    [Fact]
    public async Task WithAWorkerListening_ADrainRequest_SendsInProcess_AndEnqueuesNoJob()
    {
        using var signal = new OutboxDrainSignal();
        await using var services = Services(signal);
        using var worker = new OutboxDrainWorker(signal, services.GetRequiredService<IServiceScopeFactory>(), NullLogger<OutboxDrainWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);
        await WaitForAsync(() => signal.IsListening);
        var jobs = new Chasing.ChasingTestSupport.RecordingJobs();

        await WriteAsync(Outgoing("signal:1"));
        new RequestOutboxDrain(jobs, signal).Now();

        await _sink.WaitForMessagesAsync(1, TimeSpan.FromSeconds(30));
        Assert.Empty(jobs.Enqueued);
        // The outcome is written just after the message leaves.
        for (var i = 0; i < 300 && (await LoadAsync(database, "signal:1")).Status != OutboxStatus.Sent; i++) await Task.Delay(50);
        Assert.Equal(OutboxStatus.Sent, (await LoadAsync(database, "signal:1")).Status);
        await worker.StopAsync(CancellationToken.None);
        Assert.False(signal.IsListening);
    }

    [Fact]
    public async Task ManySigningsAskingAtOnce_EachMessageIsSentExactlyOnce()
    {
        using var signal = new OutboxDrainSignal();
        await using var services = Services(signal);
        using var worker = new OutboxDrainWorker(signal, services.GetRequiredService<IServiceScopeFactory>(), NullLogger<OutboxDrainWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);
        await WaitForAsync(() => signal.IsListening);
        var drain = new RequestOutboxDrain(new Chasing.ChasingTestSupport.RecordingJobs(), signal);

        // 40 writers, each committing its message and asking for a drain, while a Hangfire-style run drains beside them.
        await Task.WhenAll(Enumerable.Range(1, 40).Select(async i =>
        {
            await WriteAsync(Outgoing($"many:{i}", $"p{i}@home.example"));
            drain.Now();
            if (i % 10 == 0) await services.GetRequiredService<DrainOutbox>().RunAsync(CancellationToken.None);
        }));

        await _sink.WaitForMessagesAsync(40, TimeSpan.FromSeconds(60));
        // Whatever the worker still runs finds nothing left: one more run beside it claims nothing.
        Assert.Equal(0, (await services.GetRequiredService<DrainOutbox>().RunAsync(CancellationToken.None)).Claimed);
        Assert.Equal(40, _sink.Messages.Count);
        Assert.Equal(40, _sink.Messages.Select(m => m.MessageId).Distinct().Count());
        await worker.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void WithNoWorker_ADrainRequest_EnqueuesTheHangfireJob()
    {
        var jobs = new Chasing.ChasingTestSupport.RecordingJobs();

        using var idle = new OutboxDrainSignal();
        new RequestOutboxDrain(jobs, idle).Now();
        new RequestOutboxDrain(jobs).Now();

        Assert.Equal(2, jobs.Enqueued.Count);
        Assert.All(jobs.Enqueued, j => Assert.Equal(typeof(DrainOutbox), j.Type));
    }

    /// <summary>Polls for a fact the worker brings about; a generous bound proves it happens, it measures nothing.</summary>
    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 300 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition());
    }
}
