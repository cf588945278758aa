using System.Diagnostics;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Data;
using ConsentHub.Email;
using ConsentHub.Hosting;
using ConsentHub.Requests;
using ConsentHub.Signing;
using ConsentHub.Trust;
using ConsentHub.Trust.Demo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ConsentHub.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/ConsentHub.Benchmarks -- issue</c>: times issuing the form to a whole
/// academy of the large demo trust, in process (no HTTP; the page calls the same handlers). The large trust (30
/// academies, 30,000 pupils, fixed seed) is loaded into an empty migrated database; the academy with the number of
/// pupils on roll nearest 1,500 gets a newly published form version (so every party is asked: last September's
/// requests have expired), previewed, issued, then issued again (which must create nothing).
/// </summary>
public static class IssueBenchmark
{
    public static async Task<int> RunAsync(CancellationToken ct)
    {
        Console.WriteLine("Starting a private PostgreSQL cluster...");
        using var cluster = BenchmarkCluster.Start();
        const string database = "bench_issue";
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
        await using var provider = services.BuildServiceProvider();
        await DatabaseBootstrap.MigrateAsync(provider, ct);
        await provider.GetRequiredService<SeedReferenceData>().HandleAsync(ct);

        var dataSource = provider.GetRequiredService<NpgsqlDataSource>();
        var watch = Stopwatch.StartNew();
        Guid academyId;
        int onRoll;
        Guid formId;
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        {
            await LargeTrustLoad.LoadAsync(conn, ct);
            formId = await LargeTrustLoad.PublishFormVersionAsync(conn, ct);
            await LargeTrustLoad.SettleAsync(conn, ct);
            await using var pick = new NpgsqlCommand("""
                SELECT academy_id, count(*)::int FROM consenthub.pupils WHERE left_on IS NULL OR left_on > current_date
                GROUP BY academy_id ORDER BY abs(count(*) - 1500), academy_id LIMIT 1
                """, conn);
            await using var reader = await pick.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            (academyId, onRoll) = (reader.GetGuid(0), reader.GetInt32(1));
        }
        Console.WriteLine($"  academy {academyId}: {onRoll:N0} pupils on roll");

        var scope = AccessScope.Academy(academyId, "benchmark");
        var today = UkCalendar.DateOf(DateTimeOffset.UtcNow);
        var request = new IssueConsentRequests.Request(academyId, formId, IssueAudience.WholeAcademy, today.AddDays(14), IssueDelivery.EmailWherePossible);

        watch.Restart();
        var preview = ((PreviewConsentRequests.Result.Previewed)await provider.GetRequiredService<PreviewConsentRequests>().HandleAsync(scope, request, ct)).Preview;
        Console.WriteLine(FormattableString.Invariant(
            $"[preview] {watch.Elapsed.TotalSeconds:F2} s: {preview.Pupils:N0} pupils, {preview.NewRequests:N0} to ask ({preview.ParentEmails:N0} parent emails, {preview.PupilEmails:N0} pupil emails, {preview.OnPaper:N0} on paper), {preview.AlreadyOpen:N0} open, {preview.WithoutParent.Count:N0} with no parent to ask"));

        var issue = provider.GetRequiredService<IssueConsentRequests>();
        watch.Restart();
        var first = ((IssueConsentRequests.Result.Issued)await issue.HandleAsync(scope, request, ct)).Summary;
        Console.WriteLine(FormattableString.Invariant(
            $"[issue, whole academy] {watch.Elapsed.TotalSeconds:F2} s: {first.RequestsCreated:N0} requests, {first.EmailsQueued:N0} emails queued, {first.OnPaper:N0} on paper"));

        watch.Restart();
        var again = ((IssueConsentRequests.Result.Issued)await issue.HandleAsync(scope, request, ct)).Summary;
        Console.WriteLine(FormattableString.Invariant(
            $"[issue again, same audience] {watch.Elapsed.TotalSeconds:F2} s: {again.RequestsCreated:N0} requests, {again.Skipped:N0} skipped"));

        long outbox;
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        await using (var count = new NpgsqlCommand("SELECT count(*) FROM consenthub.outbox_messages WHERE academy_id = @a", conn))
        {
            count.Parameters.AddWithValue("a", academyId);
            outbox = (long)(await count.ExecuteScalarAsync(ct))!;
        }
        var ok = first.RequestsCreated == preview.NewRequests && first.EmailsQueued == preview.ParentEmails + preview.PupilEmails
            && again.RequestsCreated == 0 && outbox == first.EmailsQueued;
        Console.WriteLine(ok ? "OK" : "FAILED: the issue did not create what the preview said, or the second issue created something.");
        return ok ? 0 : 1;
    }
}
