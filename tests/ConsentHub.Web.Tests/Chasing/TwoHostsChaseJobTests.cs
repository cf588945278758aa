using ConsentHub.Chasing;
using ConsentHub.Consent.Rules;
using ConsentHub.Email;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Smtp;
using ConsentHub.Web.Hosting;
using ConsentHub.Web.Tests.Infrastructure;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ConsentHub.Web.Tests.Chasing;

/// <summary>
/// Two real hosts (each with its Hangfire server) on one database: the daily chase fired on both and the office's
/// button pressed at the same time still run each Hangfire job on one server only, and send each reminder once,
/// over real SMTP to the sink.
/// </summary>
public sealed class TwoHostsChaseJobTests : IAsyncLifetime
{
    private const int Pupils = 20;
    private readonly DatabaseFixture _database = new();
    private readonly SmtpSink _sink = SmtpSink.Start();
    private ConsentHubWebFactory _a = null!;
    private ConsentHubWebFactory _b = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _a = Host();
        _b = Host();
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _sink.DisposeAsync();
        await _database.DisposeAsync();
    }

    private ConsentHubWebFactory Host()
    {
        var host = new ConsentHubWebFactory(_database);
        host.Settings["Email:FromAddress"] = "consent@trust.example";
        host.Settings["Email:MessageIdDomain"] = "trust.example";
        host.Settings["Email:Smtp:Host"] = _sink.Host;
        host.Settings["Email:Smtp:Port"] = _sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        host.Settings["Email:Smtp:Security"] = "None";
        return host;
    }

    [Fact]
    public async Task TheDailyChaseOnBothHosts_AndTheOfficesButton_SendEachReminderOnce_AndEachJobRunsOnOneServer()
    {
        _ = _a.Server;
        _ = _b.Server;
        TestTrust t;
        await using (var db = _database.CreateDbContext())
        {
            t = await TestTrust.CreateAsync(db);
            for (var i = 0; i < Pupils; i++)
            {
                var (pupil, parent) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 5, "5T", "Pupil" + i, "Twohost");
                await TestRequests.IssueAsync(db, pupil, parent);
            }
            await db.SignatureRequests.Where(r => r.AcademyId == t.NorthAcademyId)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.IssuedAt, DateTimeOffset.UtcNow.AddDays(-3).AddHours(-1)));
            // Quiet hours far from now, so the test does not depend on the time of day it runs at.
            var quiet = TimeOnly.FromDateTime(UkCalendar.ToLocal(DateTimeOffset.UtcNow).DateTime).AddHours(12);
            var trust = await db.Trusts.SingleAsync();
            (trust.ChaseQuietFrom, trust.ChaseQuietUntil, trust.ChaseSkipWeekends) = (quiet, quiet.AddMinutes(1), false);
            await db.SaveChangesAsync();
        }

        _a.Services.GetRequiredService<IRecurringJobManager>().Trigger(RecurringJobs.ChaseRun);
        _b.Services.GetRequiredService<IRecurringJobManager>().Trigger(RecurringJobs.ChaseRun);
        _b.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<ChaseAcademies>(j => j.RunAsync(new[] { t.NorthAcademyId }, CancellationToken.None));

        await _sink.WaitForMessagesAsync(Pupils, TimeSpan.FromSeconds(60));
        await WaitForJobsAsync();

        Assert.Equal(Pupils, _sink.Messages.Count);
        Assert.Equal(Pupils, _sink.Messages.Select(m => m.MessageId).Distinct().Count());
        await using var conn = await _database.DataSource.OpenConnectionAsync();
        await using var twice = new NpgsqlCommand($"""
            SELECT count(*) FROM (SELECT jobid FROM {HangfireSetup.Schema}.state WHERE name = 'Processing' GROUP BY jobid HAVING count(*) > 1) x
            """, conn);
        Assert.Equal(0L, (long)(await twice.ExecuteScalarAsync())!);
        await using var chaseJobs = new NpgsqlCommand($"""
            SELECT count(*) FROM {HangfireSetup.Schema}.job WHERE invocationdata::text LIKE '%ChaseAcademies%' AND statename = 'Succeeded'
            """, conn);
        Assert.Equal(3L, (long)(await chaseJobs.ExecuteScalarAsync())!); // one per daily run, one from the button
    }

    /// <summary>Until no job is enqueued, scheduled or processing (the drains the chases asked for included).</summary>
    private async Task WaitForJobsAsync()
    {
        for (var i = 0; i < 300; i++)
        {
            await using var cmd = _database.DataSource.CreateCommand($"""
                SELECT count(*) FROM {HangfireSetup.Schema}.job WHERE statename IN ('Enqueued', 'Processing', 'Scheduled', 'Awaiting')
                """);
            if ((long)(await cmd.ExecuteScalarAsync())! == 0) return;
            await Task.Delay(100);
        }
        throw new TimeoutException("Hangfire jobs were still running after 30 s.");
    }
}
