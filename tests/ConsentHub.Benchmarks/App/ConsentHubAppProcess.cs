using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace ConsentHub.Benchmarks.App;

/// <summary>
/// ConsentHub's real host as a separate process (Production environment, Release build, logging at Warning),
/// as it runs for users: the load goes through the whole pipeline, auth and all.
/// </summary>
public sealed class ConsentHubAppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ConsentHubAppProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>The host's process id (for its CPU time).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts the host on a free loopback port against <paramref name="connectionString"/> and waits for /health.</summary>
    /// <param name="settings">Further configuration (environment-variable form, <c>Section__Key</c>) for this host only.</param>
    public static async Task<ConsentHubAppProcess> StartAsync(string connectionString, CancellationToken ct, IReadOnlyDictionary<string, string>? settings = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ConsentHub.Web.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"ConsentHub.Web.dll is not beside the harness ({AppContext.BaseDirectory}).");
        var port = FreePort();
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add("--migrate");
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        psi.Environment["ConnectionStrings__ConsentHub"] = connectionString;
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        psi.Environment["Email__PickupDirectory"] = Path.Combine(Path.GetTempPath(), "consenthub-bench-maildrop");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) psi.Environment[key] = value;

        var app = new ConsentHubAppProcess(Process.Start(psi)!, new Uri($"http://127.0.0.1:{port}"));
        app._process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (app._output) app._output.AppendLine(e.Data); };
        app._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (app._output) app._output.AppendLine(e.Data); };
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = app.Url, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            ct.ThrowIfCancellationRequested();
            if (app._process.HasExited) break;
            try
            {
                using var r = await http.GetAsync("/health", ct);
                if (r.IsSuccessStatusCode) return app;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
            }
            await Task.Delay(250, ct);
        }
        var output = app.Output;
        await app.DisposeAsync();
        throw new InvalidOperationException("ConsentHub did not become healthy:\n" + output);
    }

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM: the host shuts down cleanly (flushes its audit writer, stops Hangfire).
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var l = new TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }
}
