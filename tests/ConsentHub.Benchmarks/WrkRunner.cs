using System.Diagnostics;
using System.Globalization;

namespace ConsentHub.Benchmarks;

/// <summary>
/// Runs wrk (https://github.com/wg/wrk) against a <see cref="WrkTarget"/>. wrk is an external C load generator:
/// it is cheap per request, so on a small machine it leaves more CPU to the server under test than a .NET client.
/// </summary>
public sealed class WrkRunner
{
    public const string InstallHint = "wrk is needed to generate load. Install it with:  sudo apt-get install -y wrk";

    private readonly string _executable;

    private WrkRunner(string executable) => _executable = executable;

    /// <summary>
    /// Finds wrk; as root installs the Debian package when it is missing. Null (after printing how to install it)
    /// when there is no wrk to run.
    /// </summary>
    public static async Task<WrkRunner?> LocateOrInstallAsync(CancellationToken cancellationToken)
    {
        if (Locate() is { } found) return new WrkRunner(found);

        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            await Console.Error.WriteLineAsync(InstallHint);
            return null;
        }

        Console.WriteLine("wrk is not installed; installing it with apt-get...");
        var psi = new ProcessStartInfo("apt-get") { UseShellExecute = false };
        foreach (var a in new[] { "install", "-y", "wrk" }) psi.ArgumentList.Add(a);
        psi.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        try
        {
            using var apt = Process.Start(psi)!;
            await apt.WaitForExitAsync(cancellationToken);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            await Console.Error.WriteLineAsync($"Could not run apt-get: {e.Message}");
        }

        if (Locate() is { } installed) return new WrkRunner(installed);
        await Console.Error.WriteLineAsync("Installing wrk failed (try 'apt-get update' first). " + InstallHint);
        return null;
    }

    private static string? Locate()
    {
        const string debianPath = "/usr/bin/wrk";
        if (File.Exists(debianPath)) return debianPath;
        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "wrk"))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>Loads the target for <paramref name="duration"/> and returns what wrk's <c>done()</c> reported.</summary>
    public async Task<WrkResult> RunAsync(string scenario, WrkTarget target, BenchmarkOptions options, TimeSpan duration,
        CancellationToken cancellationToken)
    {
        // wrk only reads scripts from files.
        var script = Path.Combine(Path.GetTempPath(), $"consenthub-wrk-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(script, target.RequestScript + "\n" + WrkScript.Reporter, cancellationToken);
        try
        {
            var output = await RunWrkAsync(script, target.Url, options, duration, cancellationToken);
            return Parse(scenario, output);
        }
        finally
        {
            File.Delete(script);
        }
    }

    private async Task<string> RunWrkAsync(string script, Uri url, BenchmarkOptions options, TimeSpan duration,
        CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(_executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] args =
        [
            "-t", options.Threads.ToString(CultureInfo.InvariantCulture),
            "-c", options.Connections.ToString(CultureInfo.InvariantCulture),
            "-d", ((int)Math.Ceiling(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s",
            "-s", script,
            url.ToString(),
        ];
        foreach (var a in args) psi.ArgumentList.Add(a);

        using var wrk = Process.Start(psi)!;
        var stdout = wrk.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = wrk.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await wrk.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: do not leave wrk hammering a server that is about to be torn down.
            wrk.Kill(entireProcessTree: true);
            throw;
        }
        var output = await stdout;
        if (wrk.ExitCode != 0)
            throw new InvalidOperationException($"wrk exited with code {wrk.ExitCode}:\n{output}\n{await stderr}".TrimEnd());
        return output;
    }

    private static WrkResult Parse(string scenario, string output)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n'))
        {
            var parts = line.Trim().Split(' ');
            if (parts is ["@wrk", var key, var value] && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
                values[key] = n;
        }

        long Get(string key) => values.TryGetValue(key, out var v)
            ? v
            : throw new InvalidOperationException($"wrk did not report '{key}'; its output was:\n{output}");

        return new WrkResult(scenario,
            Requests: Get("requests"),
            DurationMicroseconds: Get("duration_us"),
            ConnectErrors: Get("errors_connect"),
            ReadErrors: Get("errors_read"),
            WriteErrors: Get("errors_write"),
            StatusErrors: Get("errors_status"),
            Timeouts: Get("errors_timeout"),
            P50Microseconds: Get("p50_us"),
            P95Microseconds: Get("p95_us"),
            P99Microseconds: Get("p99_us"));
    }
}
