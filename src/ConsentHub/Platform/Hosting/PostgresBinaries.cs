using System.Diagnostics;

namespace ConsentHub.Hosting;

/// <summary>Finds the machine's own PostgreSQL server binaries (initdb, pg_ctl, postgres).</summary>
public static class PostgresBinaries
{
    public const string InstallHint =
        "ConsentHub needs PostgreSQL server binaries (initdb, pg_ctl) to run its private database, and none were found.\n" +
        "  Install them:   sudo apt-get install -y postgresql      (Debian/Ubuntu; or run ./build.sh run as root)\n" +
        "  or point at one: set Database:PostgresBinDirectory to the folder holding initdb and pg_ctl\n" +
        "  or use a server: set ConnectionStrings:ConsentHub (e.g. environment variable ConnectionStrings__ConsentHub=\"Host=...;Database=consenthub;Username=...;Password=...\")";

    /// <summary>
    /// Returns the folder holding initdb and pg_ctl: the configured one, then PATH, then <c>pg_config --bindir</c>,
    /// then <c>/usr/lib/postgresql/*/bin</c> newest version first. Null when there is none.
    /// </summary>
    public static string? Locate(string? configured = null)
    {
        if (!string.IsNullOrWhiteSpace(configured))
            return HasServerBinaries(configured) ? Path.GetFullPath(configured) : null;

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var initdb = Path.Combine(dir, "initdb");
            if (File.Exists(initdb))
            {
                // Debian links only some tools into PATH; follow the link to the real bin folder.
                var real = new FileInfo(initdb).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb;
                var realDir = Path.GetDirectoryName(real)!;
                if (HasServerBinaries(realDir)) return realDir;
                if (HasServerBinaries(dir)) return dir;
            }
        }

        var fromPgConfig = BinDirFromPgConfig();
        if (fromPgConfig is not null && HasServerBinaries(fromPgConfig)) return fromPgConfig;

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.GetDirectories(debianRoot)
                .Select(d => (dir: Path.Combine(d, "bin"), version: ParseVersion(Path.GetFileName(d))))
                .Where(x => x.version is not null && HasServerBinaries(x.dir))
                .OrderByDescending(x => x.version)
                .FirstOrDefault();
            if (newest.dir is not null) return newest.dir;
        }
        return null;
    }

    private static bool HasServerBinaries(string dir) =>
        File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")) && File.Exists(Path.Combine(dir, "postgres"));

    private static Version? ParseVersion(string name) =>
        Version.TryParse(name.Contains('.', StringComparison.Ordinal) ? name : name + ".0", out var v) ? v : null;

    private static string? BinDirFromPgConfig()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("pg_config", "--bindir")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (p is null) return null;
            var output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit(5000);
            return p.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // pg_config is not installed
        }
    }
}
