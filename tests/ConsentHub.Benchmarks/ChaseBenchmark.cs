using System.Diagnostics;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Chasing;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Data;
using ConsentHub.Email;
using ConsentHub.Hosting;
using ConsentHub.Requests;
using ConsentHub.Signing;
using ConsentHub.Testing.Smtp;
using ConsentHub.Trust;
using ConsentHub.Trust.Demo;
using ConsentHub.Web.Hosting;
using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ConsentHub.Benchmarks;

/// <summary>
/// <c>-- chase</c>: the large demo trust (30 academies, 30,000 pupils) issued a new form at every academy, the
/// requests made three days old, then one chase run through real Hangfire (PostgreSQL storage, an in-process server
/// with the app's worker count): timed from enqueueing the daily job until it and every batch job it fanned out
/// have succeeded, with the jobs counted in Hangfire's own tables and the reminders counted in the outbox.
/// A second run must write nothing.
/// <c>-- send</c>: the same trust issued at the academy nearest 1,500 pupils, chased, then the outbox drained
/// through MailKit to the in-process SMTP sink (real SMTP on loopback), timed and counted by Message-ID at the sink.
/// </summary>
public static class ChaseBenchmark
{
    public static async Task<int> RunAsync(bool send, CancellationToken ct)
    {
        Console.WriteLine("Starting a private PostgreSQL cluster...");
        using var cluster = BenchmarkCluster.Start();
        const string database = "bench_chase";
        cluster.Cluster.EnsureDatabase(database);
        var cs = cluster.Cluster.ConnectionString(database);
        await using var sink = SmtpSink.Start();

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Email:FromAddress"] = "consent@trust.example",
            ["Email:MessageIdDomain"] = "trust.example",
            ["Email:Smtp:Host"] = sink.Host,
            ["Email:Smtp:Port"] = sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:Smtp:Security"] = "None",
            ["Signing:PublicBaseUrl"] = "https://consent.trust.example/",
        });
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddConsentHubData(cs);
        services.AddConsentHubAudit();
        services.AddConsentHubEmail();
        services.AddConsentHubSeeding();
        services.AddConsentHubSigning();
        services.AddConsentHubRequests();
        services.AddConsentHubChasing();
        services.AddConsentHubHangfire(cs);
        services.AddHangfireServer(o => o.WorkerCount = Math.Max(4, Environment.ProcessorCount * 2));
        using var host = builder.Build();
        var provider = host.Services;
        await DatabaseBootstrap.MigrateAsync(provider, ct);
        await provider.GetRequiredService<SeedReferenceData>().HandleAsync(ct);
        await host.StartAsync(ct);
        try
        {
            var dataSource = provider.GetRequiredService<NpgsqlDataSource>();
            var academies = await LoadAndIssueAsync(provider, dataSource, allAcademies: !send, ct);
            return send ? await SendAsync(provider, dataSource, sink, academies, ct) : await ChaseAsync(provider, dataSource, ct);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<List<Guid>> LoadAndIssueAsync(IServiceProvider provider, NpgsqlDataSource dataSource, bool allAcademies, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        Guid formId;
        var academies = new List<Guid>();
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        {
            await LargeTrustLoad.LoadAsync(conn, ct);
            formId = await LargeTrustLoad.PublishFormVersionAsync(conn, ct);
            await using var pick = new NpgsqlCommand("""
                SELECT academy_id FROM consenthub.pupils WHERE left_on IS NULL OR left_on > current_date
                GROUP BY academy_id ORDER BY abs(count(*) - 1500), academy_id
                """, conn);
            await using var reader = await pick.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) academies.Add(reader.GetGuid(0));
        }
        if (!allAcademies) academies = academies.Take(1).ToList();

        watch.Restart();
        var issue = provider.GetRequiredService<IssueConsentRequests>();
        var today = UkCalendar.DateOf(DateTimeOffset.UtcNow);
        int requests = 0, emails = 0;
        foreach (var academyId in academies)
        {
            var summary = ((IssueConsentRequests.Result.Issued)await issue.HandleAsync(AccessScope.Academy(academyId, "benchmark"),
                new IssueConsentRequests.Request(academyId, formId, IssueAudience.WholeAcademy, today.AddDays(21), IssueDelivery.EmailWherePossible), ct)).Summary;
            requests += summary.RequestsCreated;
            emails += summary.EmailsQueued;
        }
        Console.WriteLine($"  issued at {academies.Count} academies in {watch.Elapsed.TotalSeconds:F1} s: {requests:N0} requests, {emails:N0} request emails");

        // The request emails count as sent; the requests were issued three days and an hour ago, so the first reminder is due.
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        await using (var age = new NpgsqlCommand("""
            UPDATE consenthub.outbox_messages SET status = 'Sent', sent_at = now() WHERE status = 'Pending';
            UPDATE consenthub.signature_requests SET issued_at = issued_at - interval '3 days 1 hour' WHERE status = 'Open';
            """, conn) { CommandTimeout = 600 })
        {
            await age.ExecuteNonQueryAsync(ct);
        }
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        {
            await using (var vacuum = new NpgsqlCommand("VACUUM (ANALYZE)", conn) { CommandTimeout = 600 }) await vacuum.ExecuteNonQueryAsync(ct);
            await using var checkpoint = new NpgsqlCommand("CHECKPOINT", conn) { CommandTimeout = 600 };
            await checkpoint.ExecuteNonQueryAsync(ct);
        }
        return academies;
    }

    private static async Task<int> ChaseAsync(IServiceProvider provider, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var expected = await ScalarAsync(dataSource, """
            SELECT count(*) FROM consenthub.signature_requests r
            LEFT JOIN consenthub.contacts c ON c.id = r.contact_id
            JOIN consenthub.pupils p ON p.id = r.pupil_id
            WHERE r.status = 'Open' AND r.expires_at > now()
              AND CASE WHEN r.party_kind = 'Pupil' THEN coalesce(btrim(p.school_email), '') <> '' ELSE coalesce(btrim(c.email), '') <> '' AND c.email_failing_since IS NULL END
            """, ct);
        var open = await ScalarAsync(dataSource, "SELECT count(*) FROM consenthub.signature_requests WHERE status = 'Open' AND expires_at > now()", ct);
        Console.WriteLine($"  {open:N0} open requests, {expected:N0} with an email address to remind");

        var ok = true;
        for (var run = 1; run <= 2; run++)
        {
            var (seconds, jobs, drains) = await OneRunAsync(provider, dataSource, ct);
            var reminders = await ScalarAsync(dataSource, "SELECT count(*) FROM consenthub.outbox_messages WHERE business_key LIKE 'reminder:%'", ct);
            var followUps = await ScalarAsync(dataSource, "SELECT count(*) FROM consenthub.follow_ups", ct);
            Console.WriteLine(FormattableString.Invariant(
                $"[chase run {run}] {seconds:F2} s, {jobs} Hangfire jobs (1 daily + {jobs - 1 - drains} batches + {drains} outbox drains the batches asked for): {reminders:N0} reminders in the outbox, {followUps:N0} on the follow-up list"));
            // Every party with a usable address gets reminder 1 (the outbox validates addresses a little more strictly than "not empty").
            ok &= jobs <= RunChase.MaxBatchJobs + 1 && reminders >= expected * 0.98 && reminders <= expected;
        }
        Console.WriteLine(ok ? "OK" : "FAILED: too many jobs, or the reminders written do not match the open requests.");
        return ok ? 0 : 1;
    }

    private static async Task<(double Seconds, long Jobs, long Drains)> OneRunAsync(IServiceProvider provider, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var before = await ScalarAsync(dataSource, $"SELECT coalesce(max(id), 0) FROM {HangfireSetup.Schema}.job", ct);
        var watch = Stopwatch.StartNew();
        provider.GetRequiredService<IBackgroundJobClient>().Enqueue<RunChase>(j => j.RunAsync(CancellationToken.None));
        while (true)
        {
            await Task.Delay(50, ct);
            await using var cmd = dataSource.CreateCommand($"""
                SELECT count(*), count(*) FILTER (WHERE statename = 'Succeeded'), count(*) FILTER (WHERE statename = 'Failed'),
                       count(*) FILTER (WHERE invocationdata::text LIKE '%DrainOutbox%')
                FROM {HangfireSetup.Schema}.job WHERE id > @before
                """);
            cmd.Parameters.AddWithValue("before", before);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var (all, done, failed, drains) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
            if (failed > 0) throw new InvalidOperationException($"{failed} chase job(s) failed; see the Hangfire tables.");
            // The daily job succeeds only after it has enqueued its batches, so all > 1 and all done means finished.
            if (all > 1 && done == all) return (watch.Elapsed.TotalSeconds, all, drains);
            if (watch.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException("The chase did not finish within 10 minutes.");
        }
    }

    private static async Task<int> SendAsync(IServiceProvider provider, NpgsqlDataSource dataSource, SmtpSink sink, List<Guid> academies, CancellationToken ct)
    {
        var chased = await provider.GetRequiredService<ChaseAcademies>().RunAsync([.. academies], ct);
        var due = await ScalarAsync(dataSource, "SELECT count(*) FROM consenthub.outbox_messages WHERE status = 'Pending' AND next_attempt_at <= now()", ct);
        Console.WriteLine($"  chase wrote {chased.RemindersWritten:N0} reminders; {due:N0} due now{(due == 0 ? " (quiet hours: they wait for the morning)" : "")}");
        if (due == 0)
        {
            // Run in quiet hours: the reminders wait for 07:00. Make them due now, which is what the morning does.
            await using var cmd = dataSource.CreateCommand("UPDATE consenthub.outbox_messages SET next_attempt_at = now() WHERE status = 'Pending'");
            due = await cmd.ExecuteNonQueryAsync(ct);
        }

        var ok = true;
        foreach (var drains in new[] { 1, 2 })
        {
            if (drains == 2)
            {
                await using var reset = dataSource.CreateCommand("UPDATE consenthub.outbox_messages SET status = 'Pending', attempts = 0, sent_at = NULL, next_attempt_at = now() WHERE business_key LIKE 'reminder:%'");
                await reset.ExecuteNonQueryAsync(ct);
            }
            var start = sink.Messages.Count;
            var watch = Stopwatch.StartNew();
            var results = await Task.WhenAll(Enumerable.Range(0, drains).Select(_ => Task.Run(() => provider.GetRequiredService<DrainOutbox>().RunAsync(ct), ct)));
            var seconds = watch.Elapsed.TotalSeconds;
            var received = sink.Messages.Skip(start).ToList();
            var distinct = received.Select(m => m.MessageId).Distinct().Count();
            var sent = results.Sum(r => r.Sent);
            Console.WriteLine(FormattableString.Invariant(
                $"[send, {drains} drain(s) in parallel] {sent:N0} sent in {seconds:F2} s = {sent / seconds:F0} messages/s; sink received {received.Count:N0} ({distinct:N0} distinct Message-IDs) over {sink.ConnectionCount} connections so far"));
            ok &= sent == due && received.Count == due && distinct == due;
        }
        Console.WriteLine(ok ? "OK" : "FAILED: not every reminder arrived exactly once.");
        return ok ? 0 : 1;
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}
