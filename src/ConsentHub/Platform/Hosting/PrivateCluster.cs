using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace ConsentHub.Hosting;

/// <summary>How to run a private PostgreSQL cluster.</summary>
public sealed record PrivateClusterSettings
{
    /// <summary>Where the cluster keeps its files; created by initdb on first start.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Folder with initdb and pg_ctl; null finds them (see <see cref="PostgresBinaries.Locate"/>).</summary>
    public string? BinDirectory { get; init; }

    /// <summary>Names the socket file (.s.PGSQL.&lt;port&gt;); no TCP port is opened.</summary>
    public int Port { get; init; } = 5432;

    /// <summary>Tests and benchmarks trade durability for speed; the app never does.</summary>
    public bool Durable { get; init; } = true;

    public int MaxConnections { get; init; } = 200;

    /// <summary>Further server settings passed as <c>-c name=value</c> (e.g. a profiling extension to preload).</summary>
    public IReadOnlyDictionary<string, string> ServerSettings { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// A PostgreSQL cluster owned by this process: initdb on first use, started on a private unix socket only
/// (no TCP), stopped on dispose. Holds an exclusive lock beside the data directory so a second process
/// gets a clear message instead of sharing or damaging the cluster. See Hosting/README.md.
/// </summary>
public sealed class PrivateCluster : IDisposable
{
    public const string SuperUser = "consenthub";
    private const string ServiceAccount = "postgres";

    private readonly PrivateClusterSettings _settings;
    private readonly string _bin;
    private readonly bool _asServiceAccount;
    private FileStream? _lock;
    private bool _startedByUs;

    private PrivateCluster(PrivateClusterSettings settings, string bin)
    {
        _settings = settings with { DataDirectory = Path.GetFullPath(settings.DataDirectory) };
        _bin = bin;
        _asServiceAccount = IsRoot();
        SocketDirectory = Path.Combine(Path.GetTempPath(), "consenthub-pg-" + ShortHash(_settings.DataDirectory));
    }

    public string DataDirectory => _settings.DataDirectory;
    public string SocketDirectory { get; }
    public int Port => _settings.Port;

    /// <summary>True when this start ran initdb (a brand-new, empty cluster).</summary>
    public bool Created { get; private set; }

    /// <summary>Starts (initialising first if needed) the cluster, or throws <see cref="PostgresNotAvailableException"/>.</summary>
    public static PrivateCluster Start(PrivateClusterSettings settings)
    {
        var bin = PostgresBinaries.Locate(settings.BinDirectory)
                  ?? throw new PostgresNotAvailableException(PostgresBinaries.InstallHint);
        var cluster = new PrivateCluster(settings, bin);
        try
        {
            cluster.StartCore();
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    public string ConnectionString(string database, int? maxPoolSize = null)
    {
        var b = new NpgsqlConnectionStringBuilder
        {
            Host = SocketDirectory,
            Port = Port,
            Username = SuperUser,
            Database = database,
        };
        if (maxPoolSize is not null) b.MaxPoolSize = maxPoolSize.Value;
        return b.ConnectionString;
    }

    /// <summary>Creates the database if it does not exist yet.</summary>
    public void EnsureDatabase(string database)
    {
        using var conn = new NpgsqlConnection(ConnectionString("postgres", maxPoolSize: 2));
        conn.Open();
        using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @n", conn);
        exists.Parameters.AddWithValue("n", database);
        if (exists.ExecuteScalar() is not null) return;
        using var create = new NpgsqlCommand($"CREATE DATABASE {QuoteIdent(database)}", conn);
        try
        {
            create.ExecuteNonQuery();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Created concurrently: fine.
        }
    }

    internal static string QuoteIdent(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private void StartCore()
    {
        var dataDir = DataDirectory;
        var parent = Path.GetDirectoryName(dataDir)!;
        Directory.CreateDirectory(parent);
        AcquireLock(parent);

        if (!File.Exists(Path.Combine(dataDir, "PG_VERSION")))
        {
            if (Directory.Exists(dataDir) && Directory.EnumerateFileSystemEntries(dataDir).Any())
                throw new PostgresNotAvailableException(
                    $"The database directory {dataDir} exists but does not hold a PostgreSQL cluster. " +
                    "Move it aside or set Database:DataDirectory to an empty or new folder.");
            Initialise(dataDir);
            Created = true;
        }

        PrepareDirectory(SocketDirectory);
        if (IsRunning())
        {
            // Left running by an earlier process of ours that died without stopping it (we hold the lock now).
            _startedByUs = true;
            return;
        }

        var options = new StringBuilder()
            .Append(CultureInfoInvariant($"-k {SocketDirectory} -p {Port} -c max_connections={_settings.MaxConnections}"));
        if (!_settings.Durable)
            options.Append(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        foreach (var (name, value) in _settings.ServerSettings)
            options.Append(CultureInfoInvariant($" -c {name}={value}"));

        var (code, output) = Run("pg_ctl", "start", "-D", dataDir, "-w", "-t", "60", "-s",
            "-l", Path.Combine(dataDir, "server.log"), "-o", options.ToString());
        if (code != 0)
        {
            var log = TailOfLog(dataDir);
            throw new PostgresNotAvailableException(
                $"PostgreSQL did not start from {dataDir} (pg_ctl exit {code}).\n{output}\n{log}".TrimEnd());
        }
        _startedByUs = true;
    }

    private static string CultureInfoInvariant(FormattableString s) => FormattableString.Invariant(s);

    private void Initialise(string dataDir)
    {
        PrepareDirectory(dataDir);
        var (code, output) = Run("initdb", "-D", dataDir, "-U", SuperUser, "-A", "trust", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-instructions", "--no-sync");
        if (code != 0)
        {
            // Some systems lack the C.UTF-8 locale; fall back to the plain C locale with UTF-8 encoding.
            (code, output) = Run("initdb", "-D", dataDir, "-U", SuperUser, "-A", "trust", "-E", "UTF8",
                "--no-locale", "--no-instructions", "--no-sync");
        }
        if (code != 0)
        {
            var hint = _asServiceAccount
                ? $" As root the cluster runs as the '{ServiceAccount}' user, which must be able to reach {dataDir} (every parent folder needs o+x)."
                : "";
            throw new PostgresNotAvailableException($"initdb failed for {dataDir}.{hint}\n{output}".TrimEnd());
        }
        // Unix socket only: the cluster is private to this machine's user (or the postgres account as root).
        File.AppendAllText(Path.Combine(dataDir, "postgresql.conf"),
            "\n# ConsentHub private cluster\nlisten_addresses = ''\nunix_socket_permissions = 0700\n");
    }

    private void PrepareDirectory(string dir)
    {
        Directory.CreateDirectory(dir);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (_asServiceAccount)
        {
            var (code, output) = RunDirect("chown", ServiceAccount + ":" + ServiceAccount, dir);
            if (code != 0)
                throw new PostgresNotAvailableException(
                    $"Running as root, ConsentHub runs PostgreSQL as the '{ServiceAccount}' user, but could not give it {dir}: {output}. " +
                    "Install the postgresql package (it creates that user) or run as an ordinary user.");
        }
    }

    private bool IsRunning() => Run("pg_ctl", "status", "-D", DataDirectory).code == 0;

    private void AcquireLock(string parent)
    {
        var lockPath = Path.Combine(parent, Path.GetFileName(DataDirectory) + ".lock");
        try
        {
            // .NET takes an advisory flock for FileShare.None, so the lock dies with the process.
            _lock = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            _lock.SetLength(0);
            var pid = Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            _lock.Write(pid);
            _lock.Flush();
        }
        catch (IOException)
        {
            var holder = TryRead(lockPath);
            throw new PostgresNotAvailableException(
                $"Another ConsentHub process{(string.IsNullOrWhiteSpace(holder) ? "" : " (pid " + holder.Trim() + ")")} is using the database in {DataDirectory}.\n" +
                "Stop it first (Ctrl+C in its terminal), or give this one its own folder with --Database:DataDirectory=<path>,\n" +
                "or run both against one PostgreSQL server with ConnectionStrings:ConsentHub.");
        }
    }

    private static string? TryRead(string path)
    {
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(fs);
            return reader.ReadToEnd();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string TailOfLog(string dataDir)
    {
        try
        {
            var lines = File.ReadAllLines(Path.Combine(dataDir, "server.log"));
            return string.Join('\n', lines.TakeLast(10));
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    public void Stop()
    {
        if (_startedByUs)
        {
            _startedByUs = false;
            // A throwaway (non-durable) cluster need not checkpoint on the way out.
            Run("pg_ctl", "stop", "-D", DataDirectory, "-m", _settings.Durable ? "fast" : "immediate", "-w", "-t", "30", "-s");
            NpgsqlConnection.ClearAllPools();
            try
            {
                Directory.Delete(SocketDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        _lock?.Dispose();
        _lock = null;
    }

    public void Dispose() => Stop();

    private (int code, string output) Run(string tool, params string[] args)
    {
        var exe = Path.Combine(_bin, tool);
        return _asServiceAccount
            ? RunDirect("runuser", ["-u", ServiceAccount, "--", exe, .. args])
            : RunDirect(exe, args);
    }

    private static (int code, string output) RunDirect(string exe, params string[] args)
    {
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // Messages from the PostgreSQL tools in English whatever the machine's locale.
        psi.Environment["LC_MESSAGES"] = "C";
        try
        {
            using var p = Process.Start(psi)!;
            p.StandardInput.Close();
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(120_000))
            {
                p.Kill(entireProcessTree: true);
                return (-1, $"{exe} did not finish in 120 s");
            }
            // The postmaster must not inherit our pipes; if it did, stop waiting once the tool itself exited.
            Task.WaitAll([stdout, stderr], TimeSpan.FromSeconds(5));
            var text = (stdout.IsCompletedSuccessfully ? stdout.Result : "") + (stderr.IsCompletedSuccessfully ? stderr.Result : "");
            return (p.ExitCode, text.Trim());
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"{exe}: {e.Message}");
        }
    }

    private static string ShortHash(string s) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)))[..12];

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();

    private static bool IsRoot()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return false;
        try
        {
            return GetEffectiveUserId() == 0;
        }
        catch (DllNotFoundException)
        {
            return Environment.UserName == "root";
        }
    }
}
