using ConsentHub.Hosting;
using Npgsql;

namespace ConsentHub.Tests.Hosting;

/// <summary>The app's own private cluster: first start, restart with data kept, a second process, no binaries.</summary>
public sealed class PrivateClusterTests : IDisposable
{
    private readonly string _root;

    public PrivateClusterTests()
    {
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
        using (var cluster = PrivateCluster.Start(Settings))
        {
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
