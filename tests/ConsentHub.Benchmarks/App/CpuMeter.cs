using System.Globalization;

namespace ConsentHub.Benchmarks.App;

/// <summary>
/// CPU time (user + system, from /proc) of the host process, of the PostgreSQL cluster (postmaster, its live
/// children and the children it has reaped) and of the harness itself. On a shared machine the difference of two
/// readings says what a phase cost, which the latencies alone cannot: they also carry other people's builds.
/// </summary>
public sealed record CpuReading(TimeSpan Host, TimeSpan Postgres, TimeSpan Harness)
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    public static CpuReading Take(int hostPid, string clusterDataDirectory)
    {
        var host = Ticks(hostPid, children: false);
        double pg = 0;
        if (int.TryParse(File.ReadLines(Path.Combine(clusterDataDirectory, "postmaster.pid")).FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var postmaster))
        {
            pg = Ticks(postmaster, children: true);
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == postmaster) continue;
                if (Fields(pid) is { } f && f[1] == postmaster.ToString(CultureInfo.InvariantCulture)) pg += Ticks(f, children: false);
            }
        }
        return new CpuReading(TimeSpan.FromSeconds(host / TicksPerSecond), TimeSpan.FromSeconds(pg / TicksPerSecond),
            System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime);
    }

    public static CpuReading operator +(CpuReading a, CpuReading b) => new(a.Host + b.Host, a.Postgres + b.Postgres, a.Harness + b.Harness);

    public static CpuReading operator -(CpuReading a, CpuReading b) => new(a.Host - b.Host, a.Postgres - b.Postgres, a.Harness - b.Harness);

    /// <summary>The fields after "(comm)": [0] state, [1] ppid, … [11] utime, [12] stime, [13] cutime, [14] cstime.</summary>
    private static string[]? Fields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static double Ticks(int pid, bool children) => Fields(pid) is { } f ? Ticks(f, children) : 0;

    private static double Ticks(string[] f, bool children) =>
        long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture)
        + (children ? long.Parse(f[13], CultureInfo.InvariantCulture) + long.Parse(f[14], CultureInfo.InvariantCulture) : 0);
}
