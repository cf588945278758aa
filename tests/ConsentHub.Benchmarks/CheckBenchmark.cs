using System.Diagnostics;
using System.Globalization;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Data;
using ConsentHub.Email;
using ConsentHub.Hosting;
using ConsentHub.PaperReturns;
using ConsentHub.Trust;
using ConsentHub.Trust.Demo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace ConsentHub.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/ConsentHub.Benchmarks -- check</c>: the teacher's check on the large
/// trust (30 academies, 30,000 pupils, fixed seed), in process (the page calls the same handlers):
/// <list type="bullet">
/// <item>search as you type: the server time of <see cref="SearchCheckablePupils"/> for every 1–4 letter prefix of the
/// names of one academy's pupils (p50 / p95 / max), with EXPLAIN ANALYZE of a short and a longer prefix;</item>
/// <item>the session grid: <see cref="CheckSession"/> for a class of about 30 pupils (one round trip);</item>
/// <item>live: a withdrawal committed through <see cref="RecordConsentAnswer"/> by a second instance (its own
/// services and connections), until the first instance's listener has delivered it and the grid's re-read shows
/// "No".</item>
/// </list>
/// </summary>
public static class CheckBenchmark
{
    private const string Purpose = "academy-website";

    public static async Task<int> RunAsync(CancellationToken ct)
    {
        Console.WriteLine("Starting a private PostgreSQL cluster...");
        using var cluster = BenchmarkCluster.Start();
        const string database = "bench_check";
        cluster.Cluster.EnsureDatabase(database);
        var cs = cluster.Cluster.ConnectionString(database);

        await using var a = Instance(cs);
        await using var b = Instance(cs);
        await DatabaseBootstrap.MigrateAsync(a, ct);
        await a.GetRequiredService<SeedReferenceData>().HandleAsync(ct);

        var dataSource = a.GetRequiredService<NpgsqlDataSource>();
        var watch = Stopwatch.StartNew();
        Guid academyId;
        string group;
        int classSize;
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        {
            await LargeTrustLoad.LoadAsync(conn, ct);
            await LargeTrustLoad.SettleAsync(conn, ct);
            await using var pick = new NpgsqlCommand("""
                SELECT academy_id, registration_group, count(*)::int FROM consenthub.pupils
                WHERE registration_group IS NOT NULL AND (left_on IS NULL OR left_on > current_date)
                GROUP BY academy_id, registration_group ORDER BY abs(count(*) - 30), academy_id, registration_group LIMIT 1
                """, conn);
            await using var reader = await pick.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            (academyId, group, classSize) = (reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2));
        }
        var scope = AccessScope.Academy(academyId, "benchmark:teacher");
        Console.WriteLine($"  academy {academyId}, class {group} ({classSize} pupils)");

        var ok = await SearchAsync(a, dataSource, scope, academyId, ct);
        ok &= await GridAsync(a, scope, academyId, group, ct);
        ok &= await LiveAsync(a, b, dataSource, scope, academyId, group, ct);
        Console.WriteLine(ok ? "OK" : "FAILED");
        return ok ? 0 : 1;
    }

    private static ServiceProvider Instance(string cs)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton(TimeProvider.System);
        services.AddConsentHubData(cs);
        services.AddConsentHubAudit();
        services.AddConsentHubEmail();
        services.AddConsentHubSeeding();
        services.AddSingleton<ConsentReferenceCache>();
        services.AddSingleton<ConsentStatusReader>();
        services.AddSingleton<RecordConsentAnswer>();
        services.AddConsentHubChecks(cs);
        return services.BuildServiceProvider();
    }

    private static async Task<bool> SearchAsync(IServiceProvider services, NpgsqlDataSource dataSource, AccessScope scope, Guid academyId, CancellationToken ct)
    {
        var prefixes = new SortedSet<string>(StringComparer.Ordinal);
        await using (var cmd = dataSource.CreateCommand("""
            SELECT DISTINCT left(w, n) FROM consenthub.pupils p,
                 regexp_split_to_table(btrim(p.search_text), ' ') AS w, generate_series(1, 4) AS n
            WHERE p.academy_id = $1 AND length(w) >= n
            """))
        {
            cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = academyId });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) prefixes.Add(r.GetString(0));
        }
        var search = services.GetRequiredService<SearchCheckablePupils>();
        var ordered = prefixes.ToList();
        var next = 0;
        await WarmUpAsync(() => search.HandleAsync(scope, academyId, ordered[next++ % ordered.Count], ct));

        var times = new List<double>();
        var byLength = new Dictionary<int, List<double>>();
        var empty = 0;
        for (var round = 0; round < 3; round++)
        {
            foreach (var prefix in prefixes)
            {
                var sw = Stopwatch.StartNew();
                var hits = await search.HandleAsync(scope, academyId, prefix, ct);
                var ms = sw.Elapsed.TotalMilliseconds;
                times.Add(ms);
                if (!byLength.TryGetValue(prefix.Length, out var list)) byLength[prefix.Length] = list = [];
                list.Add(ms);
                if (hits.Count == 0) empty++;
            }
        }
        Console.WriteLine(Invariant($"[search-as-you-type] {prefixes.Count:N0} prefixes x 3: {Summary(times)}; misses {empty}"));
        foreach (var (length, list) in byLength.OrderBy(kv => kv.Key))
            Console.WriteLine(Invariant($"  {length} letter(s): {Summary(list)}"));
        foreach (var prefix in new[] { "s", "mo", "harr" })
        {
            await using var explain = dataSource.CreateCommand($"""
                EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
                SELECT p.id FROM consenthub.pupils p
                WHERE p.academy_id = $1 AND p.search_text LIKE '% ' || consenthub.search_fold($2) || '%'
                  AND (p.left_on IS NULL OR p.left_on > current_date)
                ORDER BY coalesce(p.preferred_last_name, p.legal_last_name), coalesce(p.preferred_first_name, p.legal_first_name), p.id
                LIMIT {SearchCheckablePupils.MaxResults}
                """);
            explain.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = academyId });
            explain.Parameters.Add(new NpgsqlParameter<string> { TypedValue = prefix });
            var plan = new List<string>();
            await using var r = await explain.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) plan.Add(r.GetString(0));
            Console.WriteLine($"  EXPLAIN ANALYZE '{prefix}': {string.Join(" | ", plan.Where(l => l.Contains("Scan", StringComparison.Ordinal) || l.Contains("Execution Time", StringComparison.Ordinal)).Select(l => l.Trim()))}");
        }
        var ok = Percentile(times, 0.95) <= 10;
        if (!ok) Console.WriteLine("  goal missed: search p95 over 10 ms");
        return ok;
    }

    /// <summary>
    /// Runs the handler for <see cref="WarmUp"/> before anything is timed: with tiered compilation and dynamic PGO a
    /// method runs quick-jitted, then instrumented, before its optimised code is installed, and a profile of the
    /// first hundreds of calls is mostly the JIT (as the other in-process timers found).
    /// </summary>
    private static async Task WarmUpAsync<T>(Func<Task<T>> call)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < WarmUp) await call();
    }

    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(8);

    private static async Task<bool> GridAsync(IServiceProvider services, AccessScope scope, Guid academyId, string group, CancellationToken ct)
    {
        var session = services.GetRequiredService<CheckSession>();
        var request = new CheckSession.Request(academyId, Purpose, group);
        await WarmUpAsync(() => session.HandleAsync(scope, request, "benchmark", ct));
        var times = new List<double>();
        CheckSession.Result? last = null;
        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < 300; i++)
        {
            var sw = Stopwatch.StartNew();
            last = await session.HandleAsync(scope, request, "benchmark", ct);
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        // The app's own CPU per read (reading 30 documents, the rules, the audit entry), apart from waiting for a core.
        var cpuPerRead = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / 300;
        Console.WriteLine(Invariant($"[session grid, {last!.Pupils.Count} pupils, one purpose] 300 reads: {Summary(times)}; app CPU {cpuPerRead:F2} ms per read; {last.CannotBeFeatured} cannot be featured"));

        // Without the audit entry: the read itself (one statement, 30 documents, the rules).
        var reader = services.GetRequiredService<ConsentStatusReader>();
        var readTimes = new List<double>();
        cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < 300; i++)
        {
            var sw = Stopwatch.StartNew();
            await reader.ForRosterAsync(scope, new RosterFilter(academyId, group), Purpose, ct);
            readTimes.Add(sw.Elapsed.TotalMilliseconds);
        }
        var readCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / 300;
        Console.WriteLine(Invariant($"  the roster read alone (no audit entry): {Summary(readTimes)}; app CPU {readCpu:F2} ms per read"));

        // The database's share: the one statement the grid sends.
        await using (var explain = services.GetRequiredService<NpgsqlDataSource>().CreateCommand("""
            EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
            SELECT f.pupil_id, f.academy_id, f.facts, f.changed_at
            FROM consenthub.pupils p JOIN consenthub.pupil_consent_facts f ON f.pupil_id = p.id
            WHERE p.academy_id = $1 AND p.registration_group = $2 AND (p.left_on IS NULL OR p.left_on > current_date)
            ORDER BY coalesce(p.preferred_last_name, p.legal_last_name), coalesce(p.preferred_first_name, p.legal_first_name), p.id
            """))
        {
            explain.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = academyId });
            explain.Parameters.Add(new NpgsqlParameter<string> { TypedValue = group });
            var plan = new List<string>();
            await using var r = await explain.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) plan.Add(r.GetString(0).Trim());
            Console.WriteLine($"  EXPLAIN ANALYZE roster: {string.Join(" | ", plan.Where(l => l.Contains("Scan", StringComparison.Ordinal) || l.Contains("Execution Time", StringComparison.Ordinal)))}");
        }
        var ok = Percentile(times, 0.95) <= 5;
        if (!ok) Console.WriteLine("  goal missed: grid p95 over 5 ms");
        return ok;
    }

    private static async Task<bool> LiveAsync(IServiceProvider a, IServiceProvider b, NpgsqlDataSource dataSource, AccessScope scope, Guid academyId, string group, CancellationToken ct)
    {
        // Instance A has the grid open and its listener running; instance B records the answers.
        var listener = a.GetRequiredService<ConsentChangeListener>();
        await ((IHostedService)listener).StartAsync(ct);
        await listener.WaitUntilListeningAsync(ct);
        var session = a.GetRequiredService<CheckSession>();
        var request = new CheckSession.Request(academyId, Purpose, group);
        var grid = (await session.HandleAsync(scope, request, "benchmark", ct))!;

        // Pupils of the class and a parent of each whose answer counts (Nursery to Year 11 need a parent).
        var parents = new List<(Guid Pupil, Guid Contact)>();
        await using (var cmd = dataSource.CreateCommand("""
            SELECT DISTINCT ON (p.id) p.id, pc.contact_id FROM consenthub.pupils p
            JOIN consenthub.pupil_contacts pc ON pc.pupil_id = p.id AND pc.has_parental_responsibility AND NOT pc.no_contact_order
            WHERE p.academy_id = $1 AND p.registration_group = $2 AND p.year_group <= 6
              AND NOT EXISTS (SELECT 1 FROM consenthub.safeguarding_flags s WHERE s.pupil_id = p.id AND s.cleared_at IS NULL)
            ORDER BY p.id, pc.priority
            """))
        {
            cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = academyId });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = group });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) parents.Add((r.GetGuid(0), r.GetGuid(1)));
        }
        if (parents.Count == 0)
        {
            Console.WriteLine("[live] no primary pupil with a parent in the class; skipped");
            return false;
        }

        var record = b.GetRequiredService<RecordConsentAnswer>();
        var office = AccessScope.Academy(academyId, "benchmark:office");
        var latencies = new List<double>();
        var deliveries = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var (pupil, contact) = parents[i % parents.Count];
            // Grant first (so the withdrawal changes the answer), then wait for that to settle.
            await RecordAsync(record, office, pupil, contact, AnswerKind.Grant, ct);
            await Task.Delay(300, ct);

            var delivered = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
            var changed = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
            var sw = new Stopwatch();
            using var subscription = a.GetRequiredService<ConsentChangeNotifications>().Subscribe(academyId, change =>
            {
                if (!change.Affects(academyId, [pupil])) return;
                delivered.TrySetResult(sw.Elapsed.TotalMilliseconds);
                _ = Task.Run(async () =>
                {
                    var fresh = await session.HandleAsync(scope, request, "live-update", ct);
                    if (fresh!.Pupils.First(p => p.PupilId == pupil).Check.Answer == CheckAnswer.No) changed.TrySetResult(sw.Elapsed.TotalMilliseconds);
                }, ct);
            });
            sw.Start();
            await RecordAsync(record, office, pupil, contact, AnswerKind.Withdraw, ct);
            deliveries.Add(await delivered.Task.WaitAsync(TimeSpan.FromSeconds(10), ct));
            latencies.Add(await changed.Task.WaitAsync(TimeSpan.FromSeconds(10), ct));
        }
        Console.WriteLine(Invariant($"[withdrawal -> open grid changed] 20 withdrawals on instance B: delivered to instance A {Summary(deliveries)}; grid re-read shows No {Summary(latencies)} (the page adds its {Web.LiveRefreshWindowMs} ms coalescing window and the push to the browser)"));
        await ((IHostedService)listener).StopAsync(ct);
        _ = grid;
        return Percentile(latencies, 0.95) + Web.LiveRefreshWindowMs <= 3000;
    }

    private static async Task RecordAsync(RecordConsentAnswer record, AccessScope scope, Guid pupil, Guid contact, AnswerKind kind, CancellationToken ct)
    {
        var result = await record.HandleAsync(scope, new RecordConsentAnswer.Request(pupil, Purpose, PartyKind.Contact, contact, kind, AnswerMethod.RecordedByStaff, true, "benchmark office"), ct);
        if (result is not RecordConsentAnswer.Result.Recorded) throw new InvalidOperationException($"Recording the answer failed: {result}");
    }

    /// <summary>What the page adds on top (LiveRefresh.Window in the web project, which this harness does not reference).</summary>
    private static class Web
    {
        public const int LiveRefreshWindowMs = 200;
    }

    private static string Summary(List<double> ms)
    {
        var sorted = ms.OrderBy(x => x).ToList();
        return Invariant($"p50 {Percentile(sorted, 0.5):F2} ms, p95 {Percentile(sorted, 0.95):F2} ms, max {sorted[^1]:F2} ms");
    }

    private static double Percentile(List<double> ms, double q)
    {
        var sorted = ms.OrderBy(x => x).ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
