using ConsentHub.Chasing;
using ConsentHub.Email;
using Hangfire;

namespace ConsentHub.Web.Hosting;

/// <summary>
/// Every recurring job, in one place. Registered on start through the DI job manager, so each deployment's
/// schedule matches its code; AddOrUpdate is idempotent, so several hosts starting together is harmless.
/// </summary>
internal sealed class RecurringJobs(IRecurringJobManager jobs) : IHostedService
{
    public const string OutboxDrain = "outbox-drain";
    public const string ChaseRun = "chase-run";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var utc = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        jobs.AddOrUpdate<DrainOutbox>(OutboxDrain, job => job.RunAsync(CancellationToken.None), Cron.Minutely(), utc);
        // 09:00 UK time every day (the chase itself keeps weekends quiet when the trust asks).
        var uk = new RecurringJobOptions { TimeZone = UkTime() };
        jobs.AddOrUpdate<RunChase>(ChaseRun, job => job.RunAsync(CancellationToken.None), Cron.Daily(9), uk);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static TimeZoneInfo UkTime()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Utc;
        }
    }
}
