using Hangfire;

namespace ConsentHub.Email;

/// <summary>
/// Asks for a drain now instead of at the next minute, e.g. right after a feature committed its outbox rows.
/// Cheap to call often: a drain with nothing due does one query.
/// </summary>
public sealed class RequestOutboxDrain(IBackgroundJobClient jobs)
{
    /// <summary>Call after the transaction that wrote the rows has committed, or the job may find nothing yet.</summary>
    public string Now() => jobs.Enqueue<DrainOutbox>(job => job.RunAsync(CancellationToken.None));
}
