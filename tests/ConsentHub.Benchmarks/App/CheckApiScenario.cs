using System.Diagnostics;
using System.Globalization;
using ConsentHub.Access;
using ConsentHub.Checks;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Benchmarks.App;

/// <summary>
/// The single-pupil check, GET /api/v1/pupils/{id}/consent with a trust-wide API key, against the large trust
/// through the real host: auth, the batch query, the rule engine for every purpose, JSON, and the audit entry.
/// Before the load it also times the roster query (30 pupils × all purposes) in-process: server time only.
/// </summary>
public sealed class CheckApiScenario : IScenario
{
    public string Name => "check-api";

    public string Description => "GET /api/v1/pupils/{id}/consent on the 30k-pupil trust, real host (+ roster query server time)";

    public async Task<WrkTarget> SetupAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var large = await LargeTrust.GetAsync(context, cancellationToken);
        await TimeRosterAsync(large, cancellationToken);
        await TimePupilAsync(large, cancellationToken);
        await JobPickupProbe.RunAsync(large.ConnectionString, 20, cancellationToken);
        var ids = large.Trust.Pupils.Where(p => p.LeftOn is null).Select(p => p.Id.ToString()).ToList();
        var headers = new Dictionary<string, string> { ["X-Api-Key"] = large.ApiKey };
        await WarmUpHostAsync(large, ids, cancellationToken);
        return new WrkTarget(large.App.Url, WrkScript.RandomListRequest("/api/v1/pupils/", ids, "/consent", headers));
    }

    /// <summary>Server time of one roster read for classes of about 30, over many different classes.</summary>
    private static async Task TimeRosterAsync(LargeTrust large, CancellationToken ct)
    {
        var reader = large.Services.GetRequiredService<ConsentStatusReader>();
        var classes = large.Trust.Pupils.Where(p => p.LeftOn is null && p.RegistrationGroup is not null)
            .GroupBy(p => (p.AcademyId, p.RegistrationGroup))
            .Where(g => g.Count() is >= 25 and <= 35)
            .Select(g => g.Key)
            .OrderBy(k => k.AcademyId).ThenBy(k => k.RegistrationGroup, StringComparer.Ordinal)
            .ToList();
        if (classes.Count == 0)
        {
            Console.WriteLine("  roster: no class of 25–35 pupils in the generated trust");
            return;
        }
        var scope = AccessScope.Trust("benchmark");
        // Warm-up (JIT through all tiers, prepared statements, caches): by time, not count, as tiering is time-based.
        await RepeatForAsync(WarmUpTime, i => reader.ForRosterAsync(scope, new RosterFilter(classes[i % classes.Count].AcademyId, classes[i % classes.Count].RegistrationGroup), null, ct));

        var times = new List<double>();
        var pupils = 0;
        for (var i = 0; i < 500; i++)
        {
            var (academy, group) = classes[(i * 7) % classes.Count];
            var watch = Stopwatch.StartNew();
            var roster = await reader.ForRosterAsync(scope, new RosterFilter(academy, group), null, ct);
            times.Add(watch.Elapsed.TotalMilliseconds);
            pupils += roster.Count;
        }
        times.Sort();
        double P(double q) => times[(int)Math.Min(times.Count - 1, Math.Ceiling(q * times.Count) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  roster query (in-process, {classes.Count} classes, avg {pupils / 500.0:F1} pupils × all purposes, 500 reads): p50 {P(0.50):F2} ms, p95 {P(0.95):F2} ms, p99 {P(0.99):F2} ms"));
    }

    /// <summary>
    /// The host has just started. A thousand real checks first: any failure (a bad key, a broken endpoint) stops
    /// the scenario here rather than showing up as wrk "status" errors; the wrk warm-up then brings the host to
    /// the steady state a long-running server has.
    /// </summary>
    private static async Task WarmUpHostAsync(LargeTrust large, List<string> ids, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = large.App.Url };
        http.DefaultRequestHeaders.Add("X-Api-Key", large.ApiKey);
        await Parallel.ForAsync(0, 1000, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
        {
            using var response = await http.GetAsync($"/api/v1/pupils/{ids[i * 7 % ids.Count]}/consent", token);
            response.EnsureSuccessStatusCode();
        });
    }

    /// <summary>Server time of one single-pupil read (all purposes), in-process: the part of a check that is ours.</summary>
    private static async Task TimePupilAsync(LargeTrust large, CancellationToken ct)
    {
        var reader = large.Services.GetRequiredService<ConsentStatusReader>();
        var scope = AccessScope.Trust("benchmark");
        var ids = large.Trust.Pupils.Select(p => p.Id).ToList();
        await RepeatForAsync(WarmUpTime, i => reader.ForPupilAsync(scope, ids[i * 131 % ids.Count], null, ct));
        var times = new List<double>();
        for (var i = 0; i < 2000; i++)
        {
            var watch = Stopwatch.StartNew();
            await reader.ForPupilAsync(scope, ids[i * 7919 % ids.Count], null, ct);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  single-pupil read (in-process, 2000 reads, one at a time): p50 {times[1000]:F2} ms, p95 {times[1900]:F2} ms, p99 {times[1980]:F2} ms"));
    }

    /// <summary>In-process warm-up per timed read: tiered JIT promotes hot methods over seconds, not calls.</summary>
    private static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(8);

    private static async Task RepeatForAsync<T>(TimeSpan time, Func<int, Task<T>> read)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; watch.Elapsed < time; i++) await read(i);
    }

    public Task TeardownAsync() => Task.CompletedTask;
}
