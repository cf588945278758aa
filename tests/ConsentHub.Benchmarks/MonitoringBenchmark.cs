using System.Diagnostics;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Data;
using ConsentHub.Hosting;
using ConsentHub.Monitoring;
using ConsentHub.Takedowns;
using ConsentHub.Trust;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConsentHub.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/ConsentHub.Benchmarks -- monitoring</c>: on the large trust with a year of
/// history (<see cref="MonitoringHistory"/>), the server time of a regional director's dashboard (the academies in
/// scope, the figures for the period and the period before, every chart drawn as SVG, as the page does) for this term
/// and for the whole year, p50/p95 over 20 runs each; then the trust's Regional Performance Board PDF for the year,
/// three builds. Reads its figures back (non-zero history) so a broken generator cannot pass as fast.
/// </summary>
public static class MonitoringBenchmark
{
    private const int Runs = 20;

    public static async Task<int> RunAsync(CancellationToken ct)
    {
        Console.WriteLine("Starting a private PostgreSQL cluster...");
        using var cluster = BenchmarkCluster.Start();
        const string database = "bench_monitoring";
        cluster.Cluster.EnsureDatabase(database);
        var cs = cluster.Cluster.ConnectionString(database);

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton(TimeProvider.System);
        services.AddConsentHubData(cs);
        services.AddConsentHubAudit();
        services.AddConsentHubSeeding();
        services.TryAddSingleton<ConsentReferenceCache>();
        services.TryAddSingleton<ConsentStatusReader>();
        services.AddConsentHubTakedowns();
        services.AddConsentHubMonitoring();
        await using var provider = services.BuildServiceProvider();
        await DatabaseBootstrap.MigrateAsync(provider, ct);
        await provider.GetRequiredService<SeedReferenceData>().HandleAsync(ct);

        var dataSource = provider.GetRequiredService<NpgsqlDataSource>();
        Guid regionId;
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        {
            await LargeTrustLoad.LoadAsync(conn, ct);
            await LargeTrustLoad.SettleAsync(conn, ct);
        }
        await provider.GetRequiredService<TakeCoverageSnapshot>().RunAsync(ct);
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        {
            var history = await MonitoringHistory.GenerateAsync(conn, ct);
            if (history.Reminders == 0 || history.Takedowns == 0 || history.Snapshots < 365) throw new InvalidOperationException("The history generator wrote nothing to measure.");
            await LargeTrustLoad.SettleAsync(conn, ct);
            // The region with the most pupils: the heaviest regional dashboard.
            await using var pick = new NpgsqlCommand("SELECT a.region_id FROM consenthub.pupils p JOIN consenthub.academies a ON a.id = p.academy_id GROUP BY a.region_id ORDER BY count(*) DESC, a.region_id LIMIT 1", conn);
            regionId = (Guid)(await pick.ExecuteScalarAsync(ct))!;
        }

        var figures = provider.GetRequiredService<LoadMonitoringFigures>();
        var overdue = provider.GetRequiredService<IOptions<TakedownOptions>>().Value.OverdueAfter;
        var region = AccessScope.Region(regionId, "benchmark");
        var today = UkCalendar.DateOf(DateTimeOffset.UtcNow);
        var term = new MonitoringFilter(SchoolTerms.Of(today).Start, today);
        var year = new MonitoringFilter(today.AddDays(-364), today);

        var chartMs = new List<double>();
        async Task<(double Ms, MonitoringFigures Figures)> DashboardAsync(MonitoringFilter filter)
        {
            var watch = Stopwatch.StartNew();
            await figures.AcademiesInScopeAsync(region, ct);
            var f = await figures.HandleAsync(region, filter, overdue, ct);
            await figures.HandleAsync(region, filter.Previous(), overdue, ct);
            var charts = watch.Elapsed;
            foreach (var chart in MonitoringCharts.All(f))
                if (!chart.IsEmpty) MonitoringCharts.Svg(chart);
            chartMs.Add((watch.Elapsed - charts).TotalMilliseconds);
            return (watch.Elapsed.TotalMilliseconds, f);
        }

        var ok = true;
        foreach (var (name, filter) in new[] { ("this term", term), ("the last year", year) })
        {
            await DashboardAsync(filter); // warm: plans, the chart library
            chartMs.Clear();
            var times = new List<double>();
            MonitoringFigures? last = null;
            for (var i = 0; i < Runs; i++)
            {
                var (ms, f) = await DashboardAsync(filter);
                times.Add(ms);
                last = f;
            }
            times.Sort();
            var p95 = times[(int)Math.Ceiling(0.95 * times.Count) - 1];
            Console.WriteLine(FormattableString.Invariant(
                $"[region dashboard, {name}] p50 {times[times.Count / 2]:F0} ms, p95 {p95:F0} ms over {Runs} runs; {last!.Academies.Count} academies, {last.Chasing.Issued:N0} requests issued, {last.Takedowns.Opened:N0} takedowns opened; of which drawing the charts p50 {chartMs.Order().ElementAt(chartMs.Count / 2):F0} ms ({Registry.MachineLoad()})"));
            if (last.Chasing.Issued == 0 || last.Academies.Count == 0) ok = false;
        }

        var build = provider.GetRequiredService<BuildBoardReport>();
        var report = new MonitoringReport { Id = Guid.CreateVersion7(), RegionId = null, From = year.From, To = year.To, Status = MonitoringReportStatus.Queued, RequestedBy = "benchmark", RequestedAt = DateTimeOffset.UtcNow };
        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            var output = await build.BuildAsync(report, null, ct);
            Console.WriteLine(FormattableString.Invariant(
                $"[trust board report PDF, a year] {watch.Elapsed.TotalSeconds:F2} s: {output.Pages} pages, {output.Pdf.Length / 1024.0:F0} KB ({Registry.MachineLoad()})"));
            if (output.Pages < 30) ok = false;
        }
        Console.WriteLine(ok ? "OK" : "FAILED: the figures or the report came out empty.");
        return ok ? 0 : 1;
    }
}
