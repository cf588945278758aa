using ConsentHub.Hosting;
using ConsentHub.Testing.Ordering;
using Npgsql;

namespace ConsentHub.Tests.Hosting;

/// <summary>
/// A cluster made by initdb once for the class, stopped cleanly: tests about stopping, a second process or a deleted
/// folder start from a copy of it instead of running initdb (the slow part) again. Tests about creating a cluster
/// still run initdb themselves.
/// </summary>
public sealed class InitialisedClusterFixture : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "consenthub-clustertest-" + Guid.NewGuid().ToString("N")[..8]);

    public InitialisedClusterFixture()
    {
        Directory.CreateDirectory(_root);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(_root, (UnixFileMode)0b111_101_101);
        using var cluster = PrivateCluster.Start(new PrivateClusterSettings { DataDirectory = DataDirectory, Durable = true });
        cluster.EnsureDatabase("app");
    }

    private string DataDirectory => Path.Combine(_root, "pgdata");

    /// <summary>Copies the stopped cluster to <paramref name="dataDirectory"/>, owner and modes kept (as initdb left them).</summary>
    public void CopyTo(string dataDirectory)
    {
        using var cp = System.Diagnostics.Process.Start("cp", ["-a", DataDirectory, dataDirectory])!;
        cp.WaitForExit();
        Assert.Equal(0, cp.ExitCode);
        Assert.True(File.Exists(Path.Combine(dataDirectory, "PG_VERSION")));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The app's own private cluster: first start, restart with data kept, a second process, no binaries.</summary>
[LongRunning(45)]
public sealed class PrivateClusterTests : IDisposable, IClassFixture<InitialisedClusterFixture>
{
    private readonly string _root;
    private readonly InitialisedClusterFixture _initialised;

    public PrivateClusterTests(InitialisedClusterFixture initialised)
    {
        _initialised = initialised;
        _root = Path.Combine(Path.GetTempPath(), "consenthub-clustertest-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_root);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(_root, (UnixFileMode)0b111_101_101);
    }

    // Durable as the app runs it: a restart must find what was committed.
    private PrivateClusterSettings Settings => new() { DataDirectory = Path.Combine(_root, "pgdata"), Durable = true };

    [Fact]
    public void FirstStart_CreatesTheCluster_AndARestartKeepsTheData()
    {
        // Durable as the app runs it: the non-durable test mode stops with -m immediate after commits that were
        // not flushed (synchronous_commit=off), so its data is not expected to survive a restart.
        var settings = Settings with { Durable = true };
        using (var cluster = PrivateCluster.Start(settings))
        {
            Assert.True(cluster.Created);
            cluster.EnsureDatabase("app");
            Execute(cluster, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
        }

        using (var again = PrivateCluster.Start(settings))
        {
            Assert.False(again.Created);
            Assert.Equal("still here", Scalar(again, "SELECT v FROM kept"));
        }
    }

    [Fact]
    public void Stop_LeavesNoServerRunning()
    {
        _initialised.CopyTo(Settings.DataDirectory);
        var cluster = PrivateCluster.Start(Settings);
        cluster.EnsureDatabase("app");
        var pidFile = Path.Combine(Settings.DataDirectory, "postmaster.pid");
        Assert.True(File.Exists(pidFile));
        cluster.Dispose();
        Assert.False(File.Exists(pidFile));
        Assert.ThrowsAny<NpgsqlException>(() => Scalar(cluster, "SELECT 1"));
    }

    [Fact]
    public void ASecondStartOnTheSameDataDirectory_GetsAClearMessage_AndTheFirstKeepsWorking()
    {
        _initialised.CopyTo(Settings.DataDirectory);
        using var first = PrivateCluster.Start(Settings);
        first.EnsureDatabase("app");

        var e = Assert.Throws<PostgresNotAvailableException>(() => PrivateCluster.Start(Settings));
        Assert.Contains("Another ConsentHub process", e.Message, StringComparison.Ordinal);
        Assert.Contains(Settings.DataDirectory, e.Message, StringComparison.Ordinal);

        Assert.Equal(1, Scalar(first, "SELECT 1"));
    }

    [Fact]
    public void DeletingTheDataDirectory_RecreatesAnEmptyCluster()
    {
        _initialised.CopyTo(Settings.DataDirectory);
        using (var cluster = PrivateCluster.Start(Settings))
        {
            Assert.False(cluster.Created);
            cluster.EnsureDatabase("app");
            Execute(cluster, "CREATE TABLE gone (v int)");
        }
        Directory.Delete(Settings.DataDirectory, recursive: true);

        using var fresh = PrivateCluster.Start(Settings);
        Assert.True(fresh.Created);
        fresh.EnsureDatabase("app");
        Assert.Null(Scalar(fresh, "SELECT to_regclass('gone')::text"));
    }

    [Fact]
    public void NoServerBinaries_ExplainsHowToInstallOrPointAtAServer()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_root, "nobin")).FullName;
        var e = Assert.Throws<PostgresNotAvailableException>(() =>
            PrivateCluster.Start(Settings with { BinDirectory = empty }));
        Assert.Contains("apt-get install -y postgresql", e.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:ConsentHub", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADirectoryThatIsNotACluster_IsNeverOverwritten()
    {
        Directory.CreateDirectory(Settings.DataDirectory);
        var precious = Path.Combine(Settings.DataDirectory, "precious.txt");
        File.WriteAllText(precious, "keep me");

        var e = Assert.Throws<PostgresNotAvailableException>(() => PrivateCluster.Start(Settings));
        Assert.Contains("does not hold a PostgreSQL cluster", e.Message, StringComparison.Ordinal);
        Assert.Equal("keep me", File.ReadAllText(precious));
    }

    [Fact]
    public void Binaries_AreFoundOnThisMachine()
    {
        var bin = PostgresBinaries.Locate();
        Assert.NotNull(bin);
        Assert.True(File.Exists(Path.Combine(bin, "initdb")));
    }

    private static void Execute(PrivateCluster cluster, string sql)
    {
        using var conn = new NpgsqlConnection(cluster.ConnectionString("app", maxPoolSize: 2));
        conn.Open();
        using var cmd = new NpgsqlCommand(sql, conn);
        cmd.ExecuteNonQuery();
    }

    private static object? Scalar(PrivateCluster cluster, string sql)
    {
        using var conn = new NpgsqlConnection(cluster.ConnectionString("app", maxPoolSize: 2));
        conn.Open();
        using var cmd = new NpgsqlCommand(sql, conn);
        var v = cmd.ExecuteScalar();
        return v is DBNull ? null : v;
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
