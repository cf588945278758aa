using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ConsentHub.Email;

/// <summary>
/// Wakes this process's <see cref="OutboxDrainWorker"/>: setting a flag in memory, where enqueuing a Hangfire job costs
/// several synchronous round trips to the job storage. Raising it many times while a drain runs asks for one more
/// drain, not many. Nothing depends on it for delivery: the outbox rows are the durable record, and the recurring
/// "outbox-drain" job (every minute, on every host) sends whatever a lost signal or a dead host left behind.
/// </summary>
public sealed class OutboxDrainSignal : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    private volatile bool _listening;

    /// <summary>True while a worker in this process is waiting for the signal.</summary>
    public bool IsListening => _listening;

    public void Raise()
    {
        if (_wake.CurrentCount > 0) return;
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Raised at the same moment by another caller: one drain is asked for either way.
        }
    }

    internal Task WaitAsync(CancellationToken cancellationToken) => _wake.WaitAsync(cancellationToken);

    internal void SetListening(bool listening) => _listening = listening;

    public void Dispose() => _wake.Dispose();
}

/// <summary>
/// Runs <see cref="DrainOutbox"/> in this process whenever <see cref="OutboxDrainSignal"/> is raised (after a feature
/// committed outbox rows), one run at a time. A drain is safe beside any other run on any host (rows are claimed
/// with FOR UPDATE SKIP LOCKED), so it sends each message once however many hosts and jobs drain at once. A failed
/// run is logged and left to the next signal or the minutely job.
/// </summary>
public sealed partial class OutboxDrainWorker(OutboxDrainSignal signal, IServiceScopeFactory scopes, ILogger<OutboxDrainWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        signal.SetListening(true);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await signal.WaitAsync(stoppingToken);
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<DrainOutbox>().RunAsync(stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
#pragma warning disable CA1031 // the worker outlives any one failed run; the minutely job is the retry
                catch (Exception e)
#pragma warning restore CA1031
                {
                    LogRunFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            signal.SetListening(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox: a drain asked for in this process failed; the minutely job will send what is due")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);
}
