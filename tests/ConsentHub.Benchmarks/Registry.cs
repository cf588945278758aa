using System.Globalization;
using ConsentHub.Benchmarks.App;

namespace ConsentHub.Benchmarks;

/// <summary>How a scenario runs: under wrk against an HTTP endpoint, or as its own in-process program.</summary>
public enum BenchmarkKind
{
    Wrk,
    InProcess,
}

/// <summary>One benchmark the harness can run: its name on the command line, what it measures and its goal.</summary>
/// <param name="Run">For in-process scenarios, the program (arguments after the name, cancellation); null for wrk ones.</param>
public sealed record BenchmarkEntry(
    string Name,
    BenchmarkKind Kind,
    string Measures,
    string Goal,
    Func<IReadOnlyList<string>, CancellationToken, Task<int>>? Run = null);

/// <summary>
/// Every benchmark, in the order <c>all</c> runs them: the cheap in-process ones first, then the wrk scenarios,
/// which share one cluster and the large trust. <c>list</c> prints this table; docs/BENCHMARKS.md has the figures.
/// </summary>
public static class Registry
{
    public static IReadOnlyList<BenchmarkEntry> All { get; } =
    [
        new("forms", BenchmarkKind.InProcess,
            "printed consent forms and an academy's pack, in process, no database",
            "academy pack <= 6 s; one form <= 100 KB",
            (_, _) => Task.FromResult(FormsBenchmark.Run())),
        new("import", BenchmarkKind.InProcess,
            "MIS import of a 2,000-pupil academy file, first import and re-import",
            "first import and re-import <= 20 s each",
            (_, ct) => ImportBenchmark.RunAsync(ct)),
        new("issue", BenchmarkKind.InProcess,
            "issuing the form to a whole academy of the large trust",
            "no numeric goal; reported for trend",
            (_, ct) => IssueBenchmark.RunAsync(ct)),
        new("signing", BenchmarkKind.InProcess,
            "signing POSTs by 50 concurrent in-process signers against the real host",
            "p95 <= 250 ms at 50 signers, >= 200 POST/s, host CPU <= 3 ms per POST, 0 errors",
            (args, ct) => SigningBenchmark.RunAsync(["signing", .. args], ct)),
        new("chase", BenchmarkKind.InProcess,
            "one chase run of the 30k trust (select and write the reminders)",
            "<= 20 s for the whole trust",
            (_, ct) => ChaseBenchmark.RunAsync(send: false, ct)),
        new("send", BenchmarkKind.InProcess,
            "a chase run and sending every reminder over SMTP to the sink",
            "no numeric goal; messages/s reported",
            (_, ct) => ChaseBenchmark.RunAsync(send: true, ct)),
        new("jobs", BenchmarkKind.InProcess,
            "rollover of a large academy, retention dry run and purge, audit chains verified",
            "no numeric goal; reported for trend",
            (_, ct) => JobsBenchmark.RunAsync(ct)),
        new("check", BenchmarkKind.InProcess,
            "the teacher's check: search as you type, the 30-pupil grid, a withdrawal reaching an open grid",
            "search p95 <= 10 ms; grid p95 <= 2 ms server side",
            (_, ct) => CheckBenchmark.RunAsync(ct)),
        new("circuit", BenchmarkKind.InProcess,
            "the teacher's circuit in Chromium: 390x844 phone, DevTools 'Fast 3G', first render of /checks, keystroke to results, bytes per keystroke",
            "keystroke to results p95 <= 300 ms over 100 keystrokes; first render of /checks <= 1.5 s",
            (args, ct) => CircuitBenchmark.RunAsync(args, ct)),
        new("circuits", BenchmarkKind.InProcess,
            "memory of one open staff circuit: 200 Chromium tabs of /checks with results on screen against the real host, heap after a full GC and resident set",
            "<= 300 KB per circuit at 200 open circuits",
            (args, ct) => CircuitMemoryBenchmark.RunAsync(args, ct)),
        new("photos", BenchmarkKind.InProcess,
            "one 256 px tile; a 12-megapixel photo with EXIF: decode, tiled face detection, hiding faces, metadata-free encode; a 200-photo batch through the Hangfire job",
            "one 256 x 256 tile p95 <= 40 ms; 12 MP end to end p95 <= 1.5 s; 200-photo batch <= 3 min",
            (args, ct) => PhotosBenchmark.RunAsync(args, ct)),
        new("monitoring", BenchmarkKind.InProcess,
            "a regional director's dashboard and the trust's board report PDF on the 30k trust with a year of history",
            "region dashboard <= 500 ms server time; trust board report PDF <= 10 s",
            (_, ct) => MonitoringBenchmark.RunAsync(ct)),
        new("raw-baseline", BenchmarkKind.Wrk,
            "Kestrel plus one raw Npgsql query: the floor every HTTP goal is measured against",
            "none: the baseline itself"),
        new("raw-baseline-audited", BenchmarkKind.Wrk,
            "the same work a check must do in raw Npgsql: API key by hash (cached), the facts row, one batched audit row",
            "none: the fair floor the check API is compared with"),
        new("check-api", BenchmarkKind.Wrk,
            "GET /api/v1/pupils/{id}/consent on the 30k trust, real host",
            "req/s >= 0.85x raw-baseline-audited in the same run, p95 <= 10 ms at 16 connections"),
    ];

    public static BenchmarkEntry? Find(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    public static string ListText()
    {
        var lines = All.Select(e => string.Create(CultureInfo.InvariantCulture,
            $"{e.Name,-21} {(e.Kind == BenchmarkKind.Wrk ? "wrk" : "in-process"),-11} {e.Measures}\n{"",-34}goal: {e.Goal}"));
        return string.Join('\n', lines) + "\n\n'all' runs every one of them in this order, printing the machine's load beside each.\n";
    }

    /// <summary>The 1, 5 and 15-minute load averages: the box is shared, so every figure is read next to them.</summary>
    public static string MachineLoad()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"load {parts[0]} {parts[1]} {parts[2]} on {Environment.ProcessorCount} cores";
        }
        catch (IOException)
        {
            return "load unknown";
        }
    }
}
