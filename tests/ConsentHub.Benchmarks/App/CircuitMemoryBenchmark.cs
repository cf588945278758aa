using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ConsentHub.Access;
using ConsentHub.Staff;
using Microsoft.Playwright;

namespace ConsentHub.Benchmarks.App;

/// <summary>
/// <c>dotnet run -c Release --project tests/ConsentHub.Benchmarks -- circuits [--circuits 200]</c>: what one open staff
/// tab costs the host. The real host (separate process, the demo trust and its staff) and the machine's Chromium with
/// one tab per circuit, each signed in as the demo teacher on <c>/checks</c> with a search typed (results on screen,
/// as a teacher leaves it). The host's managed heap is read after a full garbage collection (dotnet-gcdump, which
/// forces one) and its resident memory from /proc, before the tabs open and with all of them open; the difference
/// divided by the tabs is the cost of a circuit. The circuit count is confirmed from the host's own metrics.
/// </summary>
public static partial class CircuitMemoryBenchmark
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var circuits = 200;
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            if (args[i] == "--circuits" && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0) circuits = n;
            else
            {
                await Console.Error.WriteLineAsync($"{args[i]}: not a known option. Usage: circuits [--circuits 200]");
                return 2;
            }
        }
        if (!File.Exists(CircuitBenchmark.ChromiumPath))
        {
            await Console.Error.WriteLineAsync($"The circuits benchmark needs Chromium at {CircuitBenchmark.ChromiumPath} (apt-get install -y chromium).");
            return 2;
        }

        Console.WriteLine("Starting a private PostgreSQL cluster...");
        using var cluster = BenchmarkCluster.Start();
        const string database = "bench_circuits";
        cluster.Cluster.EnsureDatabase(database);
        var cs = cluster.Cluster.ConnectionString(database);
        var watch = Stopwatch.StartNew();
        await using var app = await ConsentHubAppProcess.StartAsync(cs, ct, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["StaffSignIn__SecureCookies"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        Console.WriteLine($"  host (demo trust, demo staff) started in {watch.Elapsed.TotalSeconds:F1} s");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = CircuitBenchmark.ChromiumPath,
            Headless = true,
            // A few renderer processes for all the tabs: the browser's memory is not what is measured.
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic", "--no-first-run",
                "--renderer-process-limit=4", "--disable-background-timer-throttling", "--disable-renderer-backgrounding"],
        });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.Url.ToString(),
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            Locale = "en-GB",
        });
        // Sign in once (the cookie serves every tab), open one circuit and close it: the host's caches are warm and
        // the baseline holds everything but the circuits.
        var first = await context.NewPageAsync();
        await first.GotoAsync("/checks");
        await first.GetByLabel("Email").FillAsync(SeedDemoStaff.EmailFor(StaffRoles.Teacher));
        await first.GetByLabel("Password").FillAsync(SeedDemoStaff.DevelopmentPassword);
        await first.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await OpenCheckAsync(first, "a");
        await first.CloseAsync();
        await WaitForCircuitsAsync(app.Url, 0, ct);

        var before = await MeasureAsync(app.ProcessId, ct);
        Console.WriteLine(FormattableString.Invariant($"  baseline: heap {before.Heap / 1024.0 / 1024:F1} MB, resident {before.Resident / 1024.0 / 1024:F1} MB"));

        watch.Restart();
        var pages = new List<IPage>();
        var letters = "abcdefghijklmnoprstw";
        for (var i = 0; i < circuits; i++)
        {
            var page = await context.NewPageAsync();
            await OpenCheckAsync(page, letters[i % letters.Length].ToString());
            pages.Add(page);
            if ((i + 1) % 50 == 0) Console.WriteLine($"  {i + 1} circuits open ({watch.Elapsed.TotalSeconds:F0} s)");
        }
        var active = await WaitForCircuitsAsync(app.Url, circuits, ct);
        var after = await MeasureAsync(app.ProcessId, ct);

        var heapPer = (after.Heap - before.Heap) / (double)circuits;
        var residentPer = (after.Resident - before.Resident) / (double)circuits;
        Console.WriteLine();
        Console.WriteLine(FormattableString.Invariant($"Staff circuits: {circuits} tabs of /checks with a search on screen, {active?.ToString(CultureInfo.InvariantCulture) ?? "?"} circuits counted by the host; {Registry.MachineLoad()}"));
        Console.WriteLine("| | managed heap after a full GC | resident set |");
        Console.WriteLine("|:---|---:|---:|");
        Console.WriteLine(FormattableString.Invariant($"| no circuits | {before.Heap / 1024.0 / 1024:F1} MB | {before.Resident / 1024.0 / 1024:F1} MB |"));
        Console.WriteLine(FormattableString.Invariant($"| {circuits} circuits | {after.Heap / 1024.0 / 1024:F1} MB | {after.Resident / 1024.0 / 1024:F1} MB |"));
        Console.WriteLine(FormattableString.Invariant($"| **per circuit** | **{heapPer / 1024:F0} KB** | **{residentPer / 1024:F0} KB** |"));
        var budget = 1024.0 * 1024 * 1024; // 1 GiB of a host's memory given to circuits
        Console.WriteLine(FormattableString.Invariant($"Circuits one host holds in 1 GiB at the resident cost: {budget / Math.Max(residentPer, 1):F0}"));
        foreach (var page in pages) await page.CloseAsync();
        return 0;
    }

    /// <summary>Opens /checks and types a search, then waits for the results the circuit rendered.</summary>
    private static async Task OpenCheckAsync(IPage page, string query)
    {
        await page.GotoAsync("/checks");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Check consent", new() { Timeout = 60_000 });
        var box = page.GetByLabel("Pupil's name");
        // The prerendered box is replaced when the circuit starts: type until the circuit answers.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await box.FillAsync(query);
            try
            {
                await Assertions.Expect(page.Locator("ul.check-results button").First).ToBeVisibleAsync(new() { Timeout = 3_000 });
                return;
            }
            catch (PlaywrightException) when (DateTime.UtcNow < deadline)
            {
                await box.FillAsync("");
            }
        }
    }

    private sealed record Memory(long Heap, long Resident);

    private static async Task<Memory> MeasureAsync(int pid, CancellationToken ct)
    {
        var file = Path.Combine(Path.GetTempPath(), $"consenthub-circuits-{Guid.NewGuid():N}.gcdump");
        try
        {
            // dotnet-gcdump forces a full, compacting collection to walk the heap; its report gives the live bytes.
            await ToolAsync(["dotnet-gcdump", "collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "-o", file], ct);
            var report = await ToolAsync(["dotnet-gcdump", "report", file], ct);
            var heap = long.Parse(HeapBytes().Match(report).Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
            var status = await File.ReadAllLinesAsync($"/proc/{pid}/status", ct);
            var rss = long.Parse(status.Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            return new Memory(heap, rss);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [GeneratedRegex(@"([\d,]+)\s+GC Heap bytes")]
    private static partial Regex HeapBytes();

    private static async Task<string> ToolAsync(string[] args, CancellationToken ct)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        var error = await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"dotnet {string.Join(' ', args)} failed ({process.ExitCode}): {output}{error} (run `dotnet tool restore` first)");
        return output;
    }

    /// <summary>Waits until the host's own metric counts <paramref name="expected"/> circuits (null when it has no such metric).</summary>
    private static async Task<long?> WaitForCircuitsAsync(Uri host, int expected, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = host };
        long? last = null;
        for (var i = 0; i < 120; i++)
        {
            var text = await http.GetStringAsync("/metrics", ct);
            var m = ActiveCircuits().Match(text);
            if (!m.Success) return null;
            last = (long)double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            if (last == expected) return last;
            await Task.Delay(500, ct);
        }
        return last;
    }

    [GeneratedRegex(@"^aspnetcore_components_circuit_active(?:_[a-z]+)?(?:\{[^}]*\})?\s+([\d.eE+]+)", RegexOptions.Multiline)]
    private static partial Regex ActiveCircuits();
}
