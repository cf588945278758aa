using ConsentHub.Email;
using Hangfire;

namespace ConsentHub.Web.Hosting;

/// <summary>
/// Every recurring job, in one place. Registered on start through the DI job manager, so each deployment's
/// schedule matches its code; AddOrUpdate is idempotent, so several hosts starting together is harmless.
/// </summary>
/// <remarks>
/// Takes the job client too, so it is built while this host starts: Hangfire's logger lookup is process-wide
/// (the last host to start), and a client first built later, after another host in the same process stopped,
/// would fail on that host's disposed logger factory. Features then enqueue on a client that already exists.
/// </remarks>
internal sealed class RecurringJobs(IRecurringJobManager jobs, IBackgroundJobClient client) : IHostedService
{
    public const string OutboxDrain = "outbox-drain";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(client);
        var utc = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        jobs.AddOrUpdate<DrainOutbox>(OutboxDrain, job => job.RunAsync(CancellationToken.None), Cron.Minutely(), utc);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
