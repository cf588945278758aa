using Hangfire;

namespace ConsentHub.Email;

/// <summary>
/// Asks for a drain now instead of at the next minute, e.g. right after a feature committed its outbox rows.
/// Cheap to call often: where this process runs an <see cref="OutboxDrainWorker"/> (the web host), it only raises
/// <see cref="OutboxDrainSignal"/> in memory; elsewhere it enqueues a Hangfire job. Either way a drain with nothing
/// due does one query, and a request that is lost (the process dies) is covered by the minutely job.
/// </summary>
public sealed class RequestOutboxDrain(IBackgroundJobClient jobs, OutboxDrainSignal? signal = null)
{
    /// <summary>Call after the transaction that wrote the rows has committed, or the drain may find nothing yet.</summary>
    public void Now()
    {
        if (signal is { IsListening: true })
        {
            signal.Raise();
            return;
        }
        jobs.Enqueue<DrainOutbox>(job => job.RunAsync(CancellationToken.None));
    }
}
