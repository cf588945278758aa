using ConsentHub.Chasing;
using ConsentHub.Email;
using ConsentHub.Monitoring;
using ConsentHub.Pauses;
using ConsentHub.Photos;
using ConsentHub.Renewals;
using ConsentHub.Retention;
using ConsentHub.Rollover;
using ConsentHub.Takedowns;
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
    public const string YearRollover = "rollover-year-start";
    public const string Renewals = "renewals";
    public const string TakedownNotices = "takedown-notices";
    public const string TakedownEscalations = "takedown-escalations";
    public const string Retention = "retention-purge";
    public const string PauseNotices = "posting-pause-notices";
    public const string PhotoRetention = "photo-retention";
    public const string IdempotencyKeys = "api-idempotency-keys";
    public const string PhotoBatchRetention = "photo-batch-retention";
    public const string MonitoringSnapshot = "monitoring-snapshot";
    public const string BoardReports = "monitoring-board-reports";

    /// <summary>The zone every recurring job's cron is evaluated in: the UK's (<see cref="ConsentHub.Consent.Rules.UkCalendar"/>).</summary>
    public static TimeZoneInfo TimeZone => ConsentHub.Consent.Rules.UkCalendar.TimeZone;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Every schedule is UK time (Europe/London, so 09:00 stays 09:00 across the clock changes), and the jobs
        // dashboard says so: one zone for the trust admin to read. Minutely and hourly schedules are the same in any zone.
        var uk = new RecurringJobOptions { TimeZone = TimeZone };
        jobs.AddOrUpdate<DrainOutbox>(OutboxDrain, job => job.RunAsync(CancellationToken.None), Cron.Minutely(), uk);
        // 09:00 UK time every day (the chase itself keeps weekends quiet when the trust asks).
        jobs.AddOrUpdate<RunChase>(ChaseRun, job => job.RunAsync(CancellationToken.None), Cron.Daily(9), uk);

        // Rollover, renewals, takedowns, retention. Dates are UK dates, so these run on London time. Each job is
        // idempotent and takes its own database lock, so overlapping runs on several instances do the work once.
        jobs.AddOrUpdate<StartYearRollover>(YearRollover, job => job.RunAsync(CancellationToken.None), Cron.Daily(2, 30), uk);
        jobs.AddOrUpdate<AskForRenewals>(Renewals, job => job.RunAsync(CancellationToken.None), Cron.Daily(3), uk);
        jobs.AddOrUpdate<SendTakedownNotices>(TakedownNotices, job => job.RunAsync(CancellationToken.None), "*/5 * * * *", uk);
        jobs.AddOrUpdate<EscalateOverdueTakedowns>(TakedownEscalations, job => job.RunAsync(CancellationToken.None), Cron.Hourly(15), uk);
        // Pauses set ahead: their start and end are told (and shown on open checks) within the minute.
        jobs.AddOrUpdate<SendPostingPauseNotices>(PauseNotices, job => job.RunAsync(CancellationToken.None), Cron.Minutely(), uk);
        jobs.AddOrUpdate<PurgeLeavers>(Retention, job => job.RunScheduledAsync(CancellationToken.None), Cron.Weekly(DayOfWeek.Sunday, 4), uk);
        jobs.AddOrUpdate<DeleteExpiredPhotos>(PhotoRetention, job => job.RunAsync(CancellationToken.None), Cron.Daily(4, 30), uk);
        jobs.AddOrUpdate<DeleteExpiredIdempotencyKeys>(IdempotencyKeys, job => job.RunAsync(CancellationToken.None), Cron.Daily(4, 55), uk);
        jobs.AddOrUpdate<DeleteFinishedPhotoBatches>(PhotoBatchRetention, job => job.RunAsync(CancellationToken.None), Cron.Daily(4, 45), uk);
        // Late evening, UK time: the day's coverage as it stood at the end of the school day.
        jobs.AddOrUpdate<TakeCoverageSnapshot>(MonitoringSnapshot, job => job.RunAsync(CancellationToken.None), Cron.Daily(23, 30), uk);
        // Board reports due within the week go to the regional directors in the early morning.
        jobs.AddOrUpdate<SendBoardReports>(BoardReports, job => job.RunAsync(CancellationToken.None), Cron.Daily(6), uk);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
