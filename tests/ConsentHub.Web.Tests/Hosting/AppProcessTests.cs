using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using ConsentHub.Testing.Ordering;

namespace ConsentHub.Web.Tests.Hosting;

/// <summary>
/// The app as a newcomer runs it: a real process with no connection string, so it starts its own private
/// PostgreSQL. Ctrl+C must leave no database server behind, and the data must be there next time.
/// </summary>
[LongRunning(31)]
public sealed class AppProcessTests : IDisposable
{
    private readonly string _root;
    private readonly List<Process> _started = [];

    public AppProcessTests()
    {
        _root = Path.Combine(Path.GetTempPath(), "consenthub-apptest-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_root);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(_root, (UnixFileMode)0b111_101_101);
    }

    private string DataDirectory => Path.Combine(_root, "pgdata");

    [Fact]
    public async Task RunWithoutAServer_StartsAPrivateDatabase_StopsItOnCtrlC_AndKeepsTheDataNextTime()
    {
        var first = await StartAppAsync();
        using (var http = new HttpClient { BaseAddress = first.Url })
        {
            Assert.Contains("<h1>ConsentHub</h1>", await http.GetStringAsync("/"), StringComparison.Ordinal);
            Assert.Contains("Healthy", await http.GetStringAsync("/health"), StringComparison.Ordinal);
        }
        Assert.Contains("ConsentHub is running at", first.Output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Loaded the demo trust", first.Output.ToString(), StringComparison.Ordinal);
        // The demo photos: faces found by the detector in the host itself, two tagged, one post recorded.
        Assert.Contains("Loaded 4 demo photos", first.Output.ToString(), StringComparison.Ordinal);
        Assert.Contains("2 tagged, 1 post)", first.Output.ToString(), StringComparison.Ordinal);
        await InterruptAsync(first.Process);
        Assert.False(File.Exists(Path.Combine(DataDirectory, "postmaster.pid")), "PostgreSQL was left running after Ctrl+C.");

        var second = await StartAppAsync();
        Assert.DoesNotContain("initdb", second.Output.ToString(), StringComparison.OrdinalIgnoreCase);
        // The demo trust from the first run is still there, so it is not loaded again.
        Assert.DoesNotContain("Loaded the demo trust", second.Output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("demo photos", second.Output.ToString(), StringComparison.Ordinal);
        using (var http = new HttpClient { BaseAddress = second.Url })
            Assert.Contains("Healthy", await http.GetStringAsync("/health"), StringComparison.Ordinal);
        await InterruptAsync(second.Process);
        Assert.False(File.Exists(Path.Combine(DataDirectory, "postmaster.pid")));
    }

    [Fact]
    public async Task ASecondAppOnTheSameDataDirectory_ExitsWithAClearMessage()
    {
        // What is asked here needs no demo trust; the first test loads it on a real first run.
        var first = await StartAppAsync(seedDemo: false);
        var (code, output) = await RunToExitAsync(Environment(FreePort(), seedDemo: false));
        Assert.NotEqual(0, code);
        Assert.Contains("Another ConsentHub process", output, StringComparison.Ordinal);

        using (var http = new HttpClient { BaseAddress = first.Url })
            Assert.Contains("Healthy", await http.GetStringAsync("/health"), StringComparison.Ordinal);
        await InterruptAsync(first.Process);
    }

    [Fact]
    public async Task NoPostgresBinaries_PrintsHowToInstallThem_AndExitsNonZero()
    {
        var env = Environment(FreePort());
        env["Database__PostgresBinDirectory"] = Directory.CreateDirectory(Path.Combine(_root, "no-binaries")).FullName;
        var (code, output) = await RunToExitAsync(env);
        Assert.NotEqual(0, code);
        Assert.Contains("apt-get install -y postgresql", output, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:ConsentHub", output, StringComparison.Ordinal);
    }

    private sealed record RunningApp(Process Process, Uri Url, StringBuilder Output);

    private Dictionary<string, string> Environment(int port, bool seedDemo = true) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
        ["ConnectionStrings__ConsentHub"] = "",
        ["Database__DataDirectory"] = DataDirectory,
        ["Demo__Seed"] = seedDemo ? "true" : "false",
    };

    private static ProcessStartInfo StartInfo(Dictionary<string, string> env)
    {
        // A runner started in the background by a non-interactive shell ignores SIGINT, and an ignored signal is
        // inherited: the app would never see the Ctrl+C this test sends. `env --default-signal` gives it back the
        // disposition a terminal gives (and execs, so the process id stays the app's).
        var psi = new ProcessStartInfo("env")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--default-signal=INT");
        psi.ArgumentList.Add("dotnet");
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ConsentHub.Web.dll"));
        foreach (var (k, v) in env) psi.Environment[k] = v;
        return psi;
    }

    private async Task<RunningApp> StartAppAsync(bool seedDemo = true)
    {
        var port = FreePort();
        var output = new StringBuilder();
        var p = new Process { StartInfo = StartInfo(Environment(port, seedDemo)) };
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        p.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            if (e.Data.Contains("ConsentHub is running at", StringComparison.Ordinal)) ready.TrySetResult();
        };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.Start();
        _started.Add(p);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var exited = p.WaitForExitAsync();
        // A limit, not a wait: it ends as soon as the app says it is running. A cold start (initdb, migrations) on a
        // loaded CI machine can take minutes.
        var done = await Task.WhenAny(ready.Task, exited, Task.Delay(TimeSpan.FromMinutes(5)));
        Assert.True(done == ready.Task, $"The app did not start:\n{output}");
        return new RunningApp(p, new Uri($"http://127.0.0.1:{port}"), output);
    }

    private async Task<(int code, string output)> RunToExitAsync(Dictionary<string, string> env)
    {
        using var p = Process.Start(StartInfo(env))!;
        _started.Add(p);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout + await stderr);
    }

    private static async Task InterruptAsync(Process p)
    {
        using (var kill = Process.Start("kill", ["-INT", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(cts.Token);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        foreach (var p in _started)
        {
            try
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
            p.Dispose();
        }
        // A killed app cannot stop its cluster; stop it here so no server outlives the test.
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            try
            {
                using var cluster = ConsentHub.Hosting.PrivateCluster.Start(new() { DataDirectory = DataDirectory, Durable = false });
            }
            catch (ConsentHub.Hosting.PostgresNotAvailableException)
            {
            }
        }
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
