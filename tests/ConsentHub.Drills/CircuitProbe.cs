using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace ConsentHub.Drills;

/// <summary>
/// A teacher's Check page through nginx while the drill kills the host it is pinned to. Reports each step as a
/// <c>DRILL {json}</c> line with the time (Unix milliseconds, the drill's clock): <c>ready</c> (signed in, photo session
/// open, the route cookie that pins it), <c>usable</c> (after the kill: the page reloaded and its new circuit took
/// input), <c>current</c> (the reloaded page shows the answer changed while the host was dead), <c>live</c> (a later
/// change appears on it by itself), <c>done</c> (what the page went through, recorded inside it), or <c>failed</c>.
/// </summary>
public sealed class CircuitProbe(CircuitProbeOptions options, TextWriter output, TextReader input)
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly byte[] RenderCompleted = Encoding.UTF8.GetBytes("OnRenderCompleted");

    // Runs in every document before its own scripts. What the page goes through is kept in sessionStorage, which
    // survives the reload: the reconnect modal's states, when it opened, when the page unloaded and loaded.
    private const string Recorder = """
        (() => {
          const record = (kind, detail) => {
            try {
              const events = JSON.parse(sessionStorage.getItem('drill.events') || '[]');
              events.push({ kind, detail: String(detail ?? ''), at: Date.now() });
              sessionStorage.setItem('drill.events', JSON.stringify(events));
            } catch { }
          };
          record('load', location.pathname);
          document.addEventListener('components-reconnect-state-changed', e => record('reconnect-state', e.detail && e.detail.state), true);
          addEventListener('beforeunload', () => record('unload', location.pathname));
          addEventListener('DOMContentLoaded', () => {
            const modal = document.getElementById('components-reconnect-modal');
            if (!modal) return;
            let open = false;
            new MutationObserver(() => {
              if (modal.open && !open) record('reconnect-modal-open', modal.className);
              open = modal.open;
            }).observe(modal, { attributes: true, attributeFilter: ['open'] });
          });
        })();
        """;

    private readonly List<Circuit> _circuits = [];
    private readonly JsonSerializerOptions _json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public async Task<int> RunAsync()
    {
        var stage = "start";
        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic", "--no-first-run"],
            });
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = options.BaseAddress.ToString(),
                ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
                Locale = "en-GB",
            });
            await context.AddInitScriptAsync(Recorder);
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout(60_000);
            page.WebSocket += (_, socket) => Watch(socket);

            stage = "sign in";
            await page.GotoAsync("checks");
            await page.GetByLabel("Email").FillAsync(options.Email);
            await page.GetByLabel("Password").FillAsync(options.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Check consent", new() { Timeout = 60_000 });
            stage = "first circuit";
            await FirstCircuitAfterAsync(0, TimeSpan.FromSeconds(60));

            stage = "photo session before the kill";
            var row = await OpenSessionAsync(page);
            await Assertions.Expect(row).ToContainTextAsync(options.WordsBefore, new() { Timeout = 60_000 });
            await ScreenshotAsync(page, "circuit-1-before-kill");
            var route = (await context.CookiesAsync()).FirstOrDefault(c => c.Name == "consenthub_route")?.Value;
            Report("ready", new { route });

            stage = "waiting for the kill";
            var killedAt = long.Parse(await ReadCommandAsync("killed", TimeSpan.FromMinutes(5)), CultureInfo.InvariantCulture);
            var changed = ReadCommandAsync("changed", TimeSpan.FromMinutes(3));

            stage = "reload onto a live host";
            var usableAt = await FirstCircuitAfterAsync(killedAt, TimeSpan.FromSeconds(150));
            var signedIn = await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).TextContentAsync() == "Check consent";
            Report("usable", new { seconds = (usableAt - killedAt) / 1000.0, signedIn, url = page.Url });
            if (!signedIn) throw new InvalidOperationException("The reloaded page is not the Check page: the teacher was signed out.");

            stage = "current data after the reload";
            await changed;
            row = await OpenSessionAsync(page);
            await Assertions.Expect(row).ToContainTextAsync(options.WordsAfter, new() { Timeout = 60_000 });
            Report("current", new { seconds = (Now - killedAt) / 1000.0 });
            await ScreenshotAsync(page, "circuit-2-reloaded");

            stage = "a live change on the new circuit";
            await ReadCommandAsync("changed-again", TimeSpan.FromMinutes(3));
            var changedAgainAt = Now;
            await Assertions.Expect(row).ToContainTextAsync(options.WordsAgain, new() { Timeout = 60_000 });
            Report("live", new { seconds = (Now - changedAgainAt) / 1000.0 });

            stage = "what the page went through";
            var events = await page.EvaluateAsync<JsonElement>("() => JSON.parse(sessionStorage.getItem('drill.events') || '[]')");
            Report("done", new { events, circuits = CircuitTimes() });
            return 0;
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or InvalidOperationException or FormatException)
        {
            Report("failed", new { stage, error = e.Message.Split('\n')[0], circuits = CircuitTimes() });
            return 1;
        }
    }

    /// <summary>Chooses the class and purpose (again after a reload: the choices are remembered, but the grid is not open).</summary>
    private async Task<ILocator> OpenSessionAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Photo session" }).ClickAsync();
        await page.GetByLabel("Class or year group").SelectOptionAsync(new SelectOptionValue { Label = "Class " + options.ClassName });
        await page.GetByLabel("Purpose").SelectOptionAsync(new SelectOptionValue { Label = options.PurposeName });
        return page.Locator($"li.check-grid-row[data-pupil='{options.PupilId}']");
    }

    private void Watch(IWebSocket socket)
    {
        if (!socket.Url.Contains("/_blazor", StringComparison.Ordinal)) return;
        var circuit = new Circuit(Now);
        lock (_circuits) _circuits.Add(circuit);
        socket.FrameSent += (_, frame) =>
        {
            if (circuit.RenderedAt is null && IsRenderCompleted(frame)) circuit.RenderedAt = Now;
        };
        socket.Close += (_, _) => circuit.ClosedAt ??= Now;
    }

    /// <summary>
    /// Waits for a circuit opened after <paramref name="after"/> that has applied its first render and said so to its
    /// host ("OnRenderCompleted"): from then on the page takes input. Reconnect attempts that a host rejects never
    /// get that far.
    /// </summary>
    private async Task<long> FirstCircuitAfterAsync(long after, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            lock (_circuits)
            {
                if (_circuits.FirstOrDefault(c => c.OpenedAt >= after && c.RenderedAt is not null) is { RenderedAt: { } at }) return at;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"No circuit took input within {timeout.TotalSeconds:F0} s.");
    }

    private object[] CircuitTimes()
    {
        lock (_circuits) return [.. _circuits.Select(c => new { opened = c.OpenedAt, rendered = c.RenderedAt, closed = c.ClosedAt })];
    }

    private async Task<string> ReadCommandAsync(string command, TimeSpan timeout)
    {
        var line = await input.ReadLineAsync().WaitAsync(timeout)
            ?? throw new InvalidOperationException($"The drill closed the probe's input before '{command}'.");
        var parts = line.Trim().Split(' ', 2);
        if (parts[0] != command) throw new InvalidOperationException($"Expected '{command}' from the drill, got '{line}'.");
        return parts.Length > 1 ? parts[1] : "";
    }

    private void Report(string name, object details)
    {
        var json = JsonSerializer.SerializeToElement(details, _json);
        var fields = new Dictionary<string, object?> { ["event"] = name, ["at"] = Now };
        foreach (var p in json.EnumerateObject()) fields[p.Name] = p.Value;
        output.WriteLine("DRILL " + JsonSerializer.Serialize(fields, _json));
        output.Flush();
    }

    private async Task ScreenshotAsync(IPage page, string name)
    {
        if (options.ScreenshotDirectory is not { } dir) return;
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name + ".png"), FullPage = true });
    }

    private static bool IsRenderCompleted(IWebSocketFrame frame) =>
        frame.Text?.Contains("OnRenderCompleted", StringComparison.Ordinal) == true
        || (frame.Binary is { } bytes && bytes.AsSpan().IndexOf(RenderCompleted) >= 0);

    private sealed class Circuit(long openedAt)
    {
        public long OpenedAt { get; } = openedAt;

        public long? RenderedAt { get; set; }

        public long? ClosedAt { get; set; }
    }
}
