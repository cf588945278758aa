using System.Globalization;
using ConsentHub.Data;
using ConsentHub.Hosting;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ConsentHub.Testing.Database;

/// <summary>
/// One private PostgreSQL cluster per test process, in a temp folder, socket only, fsync off. A template
/// database is migrated once; each test class gets a copy (<see cref="DatabaseFixture"/>). The cluster is
/// stopped and its folder removed when the process exits; clusters left by a killed run are reaped on the
/// next start.
/// </summary>
public static class TestCluster
{
    public const string TemplateDatabase = "consenthub_template";
    private const string Prefix = "consenthub-test-";

    private static readonly Lazy<Task<PrivateCluster>> Instance = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    private static string? _root;

    public static Task<PrivateCluster> GetAsync() => Instance.Value;

    private static async Task<PrivateCluster> StartAsync()
    {
        ReapAbandonedClusters();
        _root = Path.Combine(Path.GetTempPath(), Prefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_root);
        // The postgres account (as root) must traverse this folder.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(_root, (UnixFileMode)0b111_101_101);
        var cluster = PrivateCluster.Start(new PrivateClusterSettings
        {
            DataDirectory = Path.Combine(_root, "pgdata"),
            Durable = false,
            MaxConnections = 500,
        });
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAndDelete(cluster, _root);

        cluster.EnsureDatabase(TemplateDatabase);
        var cs = cluster.ConnectionString(TemplateDatabase);
        var options = new DbContextOptionsBuilder<ConsentHubDbContext>();
        DataServiceCollectionExtensions.Configure(options, cs);
        await using (var db = new ConsentHubDbContext(options.Options))
        {
            await DatabaseBootstrap.MigrateAsync(db);
        }
        await using (var conn = new NpgsqlConnection(cs))
        {
            await conn.OpenAsync();
            // Hangfire's schema too, so hosts started on a copy do not each install it.
            Hangfire.PostgreSql.PostgreSqlObjectsInstaller.Install(conn, "hangfire");
        }
        // CREATE DATABASE … TEMPLATE needs the template to have no open connections.
        NpgsqlConnection.ClearAllPools();
        return cluster;
    }

    private static void StopAndDelete(PrivateCluster cluster, string root)
    {
        cluster.Dispose();
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>The folder is named for the process that made it: consenthub-test-{pid}-{random}.</summary>
    private static bool OwnerIsAlive(string dir)
    {
        var rest = Path.GetFileName(dir)[Prefix.Length..];
        var dash = rest.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || !int.TryParse(rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) return false;
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// A test run that was killed leaves its cluster running. Its lock died with it, so starting on that folder
    /// succeeds (and adopts the running server), and disposing stops it.
    /// </summary>
    private static void ReapAbandonedClusters()
    {
        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            // Another test process that is still alive (the test projects run side by side) owns it, even in the
            // moment between making its folder and locking it.
            if (OwnerIsAlive(dir)) continue;
            var pgdata = Path.Combine(dir, "pgdata");
            try
            {
                if (!File.Exists(Path.Combine(pgdata, "postmaster.pid")))
                {
                    // Stopped but not deleted (the test host was ended while cleaning up); delete if nobody holds it.
                    using (new FileStream(Path.Combine(dir, "pgdata.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
                    {
                    }
                    Directory.Delete(dir, recursive: true);
                    continue;
                }
                using var abandoned = PrivateCluster.Start(new PrivateClusterSettings { DataDirectory = pgdata, Durable = false });
                abandoned.Stop();
                Directory.Delete(dir, recursive: true);
            }
            catch (PostgresNotAvailableException)
            {
                // Locked: another test run is using it right now.
            }
            catch (IOException)
            {
            }
        }
    }
}
