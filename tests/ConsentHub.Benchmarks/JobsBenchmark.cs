using System.Diagnostics;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Data;
using ConsentHub.Email;
using ConsentHub.Hosting;
using ConsentHub.Requests;
using ConsentHub.Retention;
using ConsentHub.Rollover;
using ConsentHub.Signing;
using ConsentHub.Trust;
using ConsentHub.Trust.Demo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ConsentHub.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/ConsentHub.Benchmarks -- jobs</c>: times the rollover at the academy of the
/// large demo trust nearest 1,500 pupils on roll that has both Year 6 and Year 11 pupils (after issuing it a new form version, every pupil moves up a year
/// group, as the September MIS import does), its second run (must change nothing), then the retention dry run and
/// purge over the whole trust with one pupil in ten marked as having left seven years ago, and the verification of
/// every audit chain afterwards (must pass).
/// </summary>
public static class JobsBenchmark
{
    public static async Task<int> RunAsync(CancellationToken ct)
    {
        Console.WriteLine("Starting a private PostgreSQL cluster...");
        using var cluster = BenchmarkCluster.Start();
        const string database = "bench_jobs";
        cluster.Cluster.EnsureDatabase(database);
        var cs = cluster.Cluster.ConnectionString(database);

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton(TimeProvider.System);
        services.AddConsentHubData(cs);
        services.AddConsentHubAudit();
        services.AddConsentHubEmail();
        services.AddConsentHubSeeding();
        services.AddConsentHubSigning();
        services.AddConsentHubRequests();
        services.AddConsentHubRollover();
        services.AddConsentHubRetention();
        services.AddSingleton(_ => new VerifyAuditChain(_.GetRequiredService<NpgsqlDataSource>()));
        await using var provider = services.BuildServiceProvider();
        await DatabaseBootstrap.MigrateAsync(provider, ct);
        await provider.GetRequiredService<SeedReferenceData>().HandleAsync(ct);

        var dataSource = provider.GetRequiredService<NpgsqlDataSource>();
        var watch = Stopwatch.StartNew();
        Guid academyId;
        Guid formId;
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        {
            await LargeTrustLoad.LoadAsync(conn, ct);
            formId = await LargeTrustLoad.PublishFormVersionAsync(conn, ct);
            await LargeTrustLoad.SettleAsync(conn, ct);
            await using var pick = new NpgsqlCommand("""
                SELECT academy_id FROM consenthub.pupils WHERE left_on IS NULL OR left_on > current_date
                GROUP BY academy_id ORDER BY count(*) FILTER (WHERE year_group = 6) > 0 AND count(*) FILTER (WHERE year_group = 11) > 0 DESC,
                                             abs(count(*) - 1500), academy_id LIMIT 1
                """, conn);
            academyId = (Guid)(await pick.ExecuteScalarAsync(ct))!;
        }

        var today = UkCalendar.DateOf(DateTimeOffset.UtcNow);
        var issued = ((IssueConsentRequests.Result.Issued)await provider.GetRequiredService<IssueConsentRequests>().HandleAsync(AccessScope.Academy(academyId, "benchmark"),
            new IssueConsentRequests.Request(academyId, formId, IssueAudience.WholeAcademy, today.AddDays(14), IssueDelivery.EmailWherePossible), ct)).Summary;
        Console.WriteLine($"  issued the form to academy {academyId}: {issued.Pupils:N0} pupils, {issued.RequestsCreated:N0} requests");
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        {
            // The September import: everyone moves up a year (the demo's Year 13s stay, as if they had just rejoined).
            await Exec(conn, "UPDATE consenthub.pupils SET year_group = year_group + 1 WHERE academy_id = @a AND year_group < 13", ct, ("a", academyId));
            await Exec(conn, "ANALYZE consenthub.pupils; ANALYZE consenthub.signature_requests;", ct);
        }

        var rollover = provider.GetRequiredService<RunRollover>();
        watch.Restart();
        var first = ((RunRollover.Result.Done)await rollover.HandleAsync(academyId, RolloverTrigger.Manual, "benchmark", ct)).Report;
        Console.WriteLine(FormattableString.Invariant(
            $"[rollover, one academy] {watch.Elapsed.TotalSeconds:F2} s: {first.PupilsOnRoll:N0} pupils checked; {first.PupilNowAsked.Count:N0} new Year 7s asked, {first.ParentNowAsked.Count:N0} parents newly asked, {first.ParentNoLongerAsked.Count:N0} parents no longer asked; {first.RequestsCreated:N0} requests created ({first.EmailsQueued:N0} emails), {first.RequestsClosed:N0} closed"));
        watch.Restart();
        var second = ((RunRollover.Result.Done)await rollover.HandleAsync(academyId, RolloverTrigger.Manual, "benchmark", ct)).Report;
        Console.WriteLine(FormattableString.Invariant($"[rollover again] {watch.Elapsed.TotalSeconds:F2} s: {second.RequestsCreated:N0} created, {second.RequestsClosed:N0} closed"));

        long leavers;
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        {
            await Exec(conn, "UPDATE consenthub.pupils SET left_on = current_date - interval '7 years' WHERE abs(hashtext(id::text)) % 10 = 0", ct);
            await Exec(conn, "ANALYZE consenthub.pupils;", ct);
            await using var count = new NpgsqlCommand("SELECT count(*) FROM consenthub.pupils WHERE left_on < current_date - interval '6 years'", conn);
            leavers = (long)(await count.ExecuteScalarAsync(ct))!;
        }
        var purge = provider.GetRequiredService<PurgeLeavers>();
        watch.Restart();
        var dry = (await purge.HandleAsync(dryRun: true, "benchmark", ct))!;
        Console.WriteLine(FormattableString.Invariant($"[retention dry run, whole trust] {watch.Elapsed.TotalSeconds:F2} s: {dry.Pupils:N0} pupils, {dry.Contacts:N0} contacts, {dry.Answers:N0} answers at {dry.PupilsByAcademy.Count} academies"));
        watch.Restart();
        var run = (await purge.HandleAsync(dryRun: false, "benchmark", ct))!;
        Console.WriteLine(FormattableString.Invariant($"[retention purge, whole trust] {watch.Elapsed.TotalSeconds:F2} s: {run.Pupils:N0} pupils, {run.Contacts:N0} contacts, {run.Answers:N0} answers ({run.Pupils / Math.Max(watch.Elapsed.TotalSeconds, 0.001):F0} pupils/s, batches of {new RetentionOptions().BatchSize})"));
        watch.Restart();
        var chains = await provider.GetRequiredService<VerifyAuditChain>().HandleAsync(new VerifyAuditChain.Request(), ct);
        Console.WriteLine(FormattableString.Invariant($"[verify every audit chain] {watch.Elapsed.TotalSeconds:F2} s: {chains.Count} chains, {chains.Sum(c => c.EntriesChecked):N0} entries, {chains.Count(c => !c.IsValid)} broken"));

        var ok = first.RequestsCreated > 0 && second.RequestsCreated == 0 && second.RequestsClosed == 0
            && dry.Pupils == leavers && run.Pupils == leavers && chains.All(c => c.IsValid);
        Console.WriteLine(ok ? "OK" : "FAILED: a second rollover changed something, the purge did not match its dry run, or an audit chain broke.");
        return ok ? 0 : 1;
    }

    private static async Task Exec(NpgsqlConnection conn, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 600 };
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
