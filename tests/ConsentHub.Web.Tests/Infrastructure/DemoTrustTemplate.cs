using ConsentHub.Testing.Database;
using Npgsql;

namespace ConsentHub.Web.Tests.Infrastructure;

/// <summary>
/// The demo trust (about 3,000 pupils) and its staff accounts, loaded once per test process by the real host in
/// Development, exactly as a developer's first run loads them, into a database that Development journeys copy
/// (<see cref="DatabaseFixture.Template"/>) instead of each loading the demo trust again.
/// </summary>
public static class DemoTrustTemplate
{
    private static readonly Lazy<Task<string>> Instance = new(CreateAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The name of the database to copy; loaded on first use.</summary>
    public static Task<string> GetAsync() => Instance.Value;

    private static async Task<string> CreateAsync()
    {
        // Never dropped: it goes with the test process's cluster.
        var database = new DatabaseFixture();
        await database.InitializeAsync();
        await using (var factory = new ConsentHubWebFactory(database, environment: "Development"))
        {
            // Starting the host runs its first-run seeding: reference data, the demo trust, the demo staff.
            _ = factory.Services;
        }
        await database.DataSource.DisposeAsync();

        // CREATE DATABASE … TEMPLATE needs a template nobody is connected to: close whatever the host's pools left.
        var cluster = await TestCluster.GetAsync();
        await using var conn = new NpgsqlConnection(cluster.ConnectionString("postgres", maxPoolSize: 2));
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @name AND pid <> pg_backend_pid()", conn);
        cmd.Parameters.AddWithValue("name", database.DatabaseName);
        await cmd.ExecuteScalarAsync();
        await using var check = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = @name", conn);
        check.Parameters.AddWithValue("name", database.DatabaseName);
        for (var attempt = 0; (long)(await check.ExecuteScalarAsync())! > 0; attempt++)
        {
            if (attempt > 100) throw new InvalidOperationException("Connections to the demo template did not close.");
            await Task.Delay(50);
        }
        return database.DatabaseName;
    }
}
