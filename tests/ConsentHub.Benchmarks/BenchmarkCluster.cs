using ConsentHub.Hosting;

namespace ConsentHub.Benchmarks;

/// <summary>
/// A throwaway private PostgreSQL cluster in a fresh temporary folder, shared by the scenarios of one run.
/// Dispose stops it and deletes the folder.
/// </summary>
public sealed class BenchmarkCluster : IDisposable
{
    private readonly string _root;

    private BenchmarkCluster(string root, PrivateCluster cluster)
    {
        _root = root;
        Cluster = cluster;
    }

    public PrivateCluster Cluster { get; }

    /// <param name="statementStatistics">
    /// Preloads <c>pg_stat_statements</c> (nested statements too, so a trigger's work is named) for a profile of
    /// where PostgreSQL's time goes; off by default, as it costs a little on every statement.
    /// </param>
    public static BenchmarkCluster Start(bool statementStatistics = false)
    {
        var root = Directory.CreateTempSubdirectory("consenthub-bench-").FullName;
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                // The folder is created 0700; as root the cluster runs as the postgres user, which must be able
                // to pass through it to reach its data directory.
                File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                                           | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            }
            // Durable=false: fsync and synchronous commit off. Benchmarks measure the app, not this machine's disk.
            var cluster = PrivateCluster.Start(new PrivateClusterSettings
            {
                DataDirectory = Path.Combine(root, "data"),
                Durable = false,
                ServerSettings = statementStatistics
                    ? new Dictionary<string, string>
                    {
                        ["shared_preload_libraries"] = "pg_stat_statements",
                        ["pg_stat_statements.track"] = "all",
                        ["track_functions"] = "all",
                    }
                    : new Dictionary<string, string>(),
            });
            return new BenchmarkCluster(root, cluster);
        }
        catch
        {
            DeleteQuietly(root);
            throw;
        }
    }

    public void Dispose()
    {
        Cluster.Dispose();
        DeleteQuietly(_root);
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Could not delete {path}: {e.Message}");
        }
    }
}
