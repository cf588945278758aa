using System.Diagnostics;
using System.Globalization;
using ConsentHub.Access;
using ConsentHub.Staff;
using Microsoft.Playwright;
using Npgsql;

namespace ConsentHub.Benchmarks.App;

/// <summary>
/// <c>dotnet run -c Release --project tests/ConsentHub.Benchmarks -- circuit [--keystrokes 100]</c>: what a teacher
/// feels on a phone. The machine's Chromium (never a downloaded one), a 390×844 touch viewport, the network
/// throttled by the DevTools protocol to Chrome's "Fast 3G" profile, against the real host (separate process) with the
/// demo trust and its demo staff. Measured: the first render of <c>/checks</c> (navigation start to the heading on
/// screen, and to the circuit's first render applied), then, for every keystroke in the search box, the time from
/// the key being pressed to the browser saying it has applied the last render the key caused (Blazor's
/// "OnRenderCompleted" frame, sent by the page once a render batch is on screen; the circuit must then stay quiet for
/// a while before the next key), and the WebSocket bytes each way per keystroke (DevTools' frame events).
/// </summary>
public static class CircuitBenchmark
{
    public const string ChromiumPath = "/usr/bin/chromium";

    // Chrome DevTools' "Fast 3G" preset: 562.5 ms latency, 1.6 Mbit/s × 0.9 down, 750 kbit/s × 0.9 up.
    private const double Fast3GLatencyMs = 562.5;
    private const double Fast3GDownloadBytesPerSecond = 1.6 * 1024 * 1024 / 8 * 0.9;
    private const double Fast3GUploadBytesPerSecond = 750.0 * 1024 / 8 * 0.9;

    /// <summary>No further render for this long after a key means its results are on screen.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(400);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var keystrokes = 100;
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            if (args[i] == "--keystrokes" && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k > 0) keystrokes = k;
            else
            {
                await Console.Error.WriteLineAsync($"{args[i]}: not a known option. Usage: circuit [--keystrokes 100]");
                return 2;
            }
        }
        if (!File.Exists(ChromiumPath))
        {
            await Console.Error.WriteLineAsync($"The circuit benchmark needs Chromium at {ChromiumPath} (apt-get install -y chromium).");
            return 2;
        }

        Console.WriteLine("Starting a private PostgreSQL cluster...");
        using var cluster = BenchmarkCluster.Start();
        const string database = "bench_circuit";
        cluster.Cluster.EnsureDatabase(database);
        var cs = cluster.Cluster.ConnectionString(database);
        var watch = Stopwatch.StartNew();
        // Development seeds the demo trust and its demo staff (the accounts exist nowhere else); Production settings
        // otherwise: logging at Warning, plain HTTP on loopback.
        await using var app = await ConsentHubAppProcess.StartAsync(cs, ct, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["StaffSignIn__SecureCookies"] = "false",
        });
        Console.WriteLine($"  host (demo trust, demo staff) started in {watch.Elapsed.TotalSeconds:F1} s");
        var queries = await QueriesAsync(cs, keystrokes, ct);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic", "--no-first-run"],
        });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.Url.ToString(),
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
            Locale = "en-GB",
        });
        var page = await context.NewPageAsync();
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Network.enable");
        await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false,
            ["latency"] = Fast3GLatencyMs,
            ["downloadThroughput"] = Fast3GDownloadBytesPerSecond,
            ["uploadThroughput"] = Fast3GUploadBytesPerSecond,
            ["connectionType"] = "cellular3g",
        });
        long sent = 0, received = 0, framesSent = 0, framesReceived = 0;
        cdp.Event("Network.webSocketFrameSent").OnEvent += (_, e) =>
        {
            Interlocked.Add(ref sent, FrameBytes(e));
            Interlocked.Increment(ref framesSent);
        };
        cdp.Event("Network.webSocketFrameReceived").OnEvent += (_, e) =>
        {
            Interlocked.Add(ref received, FrameBytes(e));
            Interlocked.Increment(ref framesReceived);
        };

        // Sign in as the demo teacher (one academy), throttled like everything after it.
        await page.GotoAsync("/checks");
        await page.GetByLabel("Email").FillAsync(SeedDemoStaff.EmailFor(StaffRoles.Teacher));
        await page.GetByLabel("Password").FillAsync(SeedDemoStaff.DevelopmentPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Check consent", new() { Timeout = 60_000 });

        // First render of /checks, signed in, three times in fresh navigations (the browser's cache kept, as a phone would).
        var firstRenders = new List<(double Heading, double Interactive)>();
        for (var i = 0; i < 3; i++)
        {
            var renderCompleted = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
            var start = Stopwatch.StartNew();
            void OnSocket(object? _, IWebSocket socket) => socket.FrameSent += (_, frame) =>
            {
                if (IsRenderCompleted(frame)) renderCompleted.TrySetResult(start.Elapsed.TotalMilliseconds);
            };
            page.WebSocket += OnSocket;
            await page.GotoAsync("/checks", new() { WaitUntil = WaitUntilState.Commit });
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Check consent", new() { Timeout = 60_000 });
            var heading = start.Elapsed.TotalMilliseconds;
            var interactive = await renderCompleted.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
            page.WebSocket -= OnSocket;
            firstRenders.Add((heading, interactive));
        }
        await Assertions.Expect(page.GetByLabel("Pupil's name")).ToBeVisibleAsync();
        // Every render batch the page applies is acknowledged with "OnRenderCompleted": the time it is on screen.
        var clock = Stopwatch.StartNew();
        var renders = new RenderLog();
        page.WebSocket += (_, socket) => socket.FrameSent += (_, frame) =>
        {
            if (IsRenderCompleted(frame)) renders.Add(clock.Elapsed.TotalMilliseconds);
        };
        // The socket of the page already open was announced before this handler: reload once so it is watched.
        var watched = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        page.WebSocket += (_, _) => watched.TrySetResult();
        await page.ReloadAsync();
        await watched.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
        await Assertions.Expect(page.GetByLabel("Pupil's name")).ToBeVisibleAsync();
        await renders.QuietAsync(clock, 0, Quiet, ct);

        // The keystrokes: prefixes of real surnames at this academy, one key at a time, each measured on its own.
        var box = page.GetByLabel("Pupil's name");
        var times = new List<double>();
        var bytesSent = new List<long>();
        var bytesReceived = new List<long>();
        var found = 0;
        foreach (var query in queries)
        {
            await box.FocusAsync();
            foreach (var key in query)
            {
                if (times.Count >= keystrokes) break;
                var (s0, r0) = (Interlocked.Read(ref sent), Interlocked.Read(ref received));
                var pressedAt = clock.Elapsed.TotalMilliseconds;
                await page.Keyboard.PressAsync(key.ToString());
                times.Add(await renders.QuietAsync(clock, pressedAt, Quiet, ct) - pressedAt);
                bytesSent.Add(Interlocked.Read(ref sent) - s0);
                bytesReceived.Add(Interlocked.Read(ref received) - r0);
            }
            if (await page.Locator("ul.check-results button").CountAsync() > 0) found++;
            // Cleared without timing; the next query starts from an empty box.
            var clearedAt = clock.Elapsed.TotalMilliseconds;
            await box.FillAsync("");
            await renders.QuietAsync(clock, clearedAt, Quiet, ct);
            if (times.Count >= keystrokes) break;
        }

        times.Sort();
        Console.WriteLine();
        Console.WriteLine(FormattableString.Invariant($"Teacher's circuit: Chromium, 390×844 touch, DevTools \"Fast 3G\" (latency {Fast3GLatencyMs} ms, {Fast3GDownloadBytesPerSecond / 1024:F0} KB/s down, {Fast3GUploadBytesPerSecond / 1024:F0} KB/s up); {Registry.MachineLoad()}"));
        Console.WriteLine("| first render of /checks | heading on screen ms | circuit's first render applied ms |");
        Console.WriteLine("|:---|---:|---:|");
        for (var i = 0; i < firstRenders.Count; i++)
            Console.WriteLine(FormattableString.Invariant($"| navigation {i + 1} | {firstRenders[i].Heading:F0} | {firstRenders[i].Interactive:F0} |"));
        Console.WriteLine();
        Console.WriteLine(FormattableString.Invariant(
            $"Keystroke to results on screen, {times.Count} keystrokes ({queries.Count} surnames, {found} with results shown): p50 {P(times, 0.50):F0} ms, p95 {P(times, 0.95):F0} ms, p99 {P(times, 0.99):F0} ms, max {times[^1]:F0} ms"));
        Console.WriteLine(FormattableString.Invariant(
            $"WebSocket bytes per keystroke: sent mean {bytesSent.Average():F0} (max {bytesSent.Max()}), received mean {bytesReceived.Average():F0} (max {bytesReceived.Max()}); frames in all {framesSent} sent, {framesReceived} received"));
        return 0;
    }

    private static bool IsRenderCompleted(IWebSocketFrame frame) =>
        frame.Text?.Contains("OnRenderCompleted", StringComparison.Ordinal) == true
        || (frame.Binary is { } bytes && bytes.AsSpan().IndexOf("OnRenderCompleted"u8) >= 0);

    /// <summary>When the page acknowledged each applied render batch (harness clock, ms).</summary>
    private sealed class RenderLog
    {
        private readonly List<double> _at = [];

        public void Add(double ms)
        {
            lock (_at) _at.Add(ms);
        }

        /// <summary>
        /// Waits for a render after <paramref name="after"/> followed by <paramref name="quiet"/> without another;
        /// returns the time of the last one.
        /// </summary>
        public async Task<double> QuietAsync(Stopwatch clock, double after, TimeSpan quiet, CancellationToken ct)
        {
            while (clock.Elapsed.TotalMilliseconds - after < 30_000)
            {
                double last;
                lock (_at) last = _at.Count == 0 ? double.MinValue : _at[^1];
                if (last > after && clock.Elapsed.TotalMilliseconds - last >= quiet.TotalMilliseconds) return last;
                await Task.Delay(20, ct);
            }
            throw new TimeoutException("No render reached the page within 30 s of a keystroke.");
        }
    }

    private static long FrameBytes(System.Text.Json.JsonElement? e)
    {
        if (e is not { } ev || !ev.TryGetProperty("response", out var response)) return 0;
        var payload = response.GetProperty("payloadData").GetString() ?? "";
        var opcode = response.TryGetProperty("opcode", out var op) ? op.GetDouble() : 1;
        // Text frames carry their text; binary ones (Blazor's MessagePack) come base64-encoded.
        return opcode == 2 ? payload.Length / 4 * 3 - payload.Count(c => c == '=') : System.Text.Encoding.UTF8.GetByteCount(payload);
    }

    private static double P(List<double> sorted, double q) =>
        sorted.Count == 0 ? 0 : sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(q * sorted.Count) - 1)];

    /// <summary>Enough surname prefixes (up to six letters) from the pupils of the demo teacher's academy.</summary>
    private static async Task<List<string>> QueriesAsync(string cs, int keystrokes, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            SELECT lower(left(p.legal_last_name, 6)) FROM consenthub.pupils p
            WHERE p.academy_id = (SELECT a.id FROM consenthub.academies a ORDER BY a.code LIMIT 1)
              AND p.left_on IS NULL AND p.legal_last_name ~ '^[A-Za-z]{4,}$'
            GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 60
            """, conn);
        var queries = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var total = 0;
        while (await reader.ReadAsync(ct) && total < keystrokes)
        {
            var q = reader.GetString(0);
            queries.Add(q);
            total += q.Length;
        }
        return queries;
    }
}
