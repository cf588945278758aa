using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ConsentHub.Testing.Database;

/// <summary>
/// A fresh, migrated database for one test class (use as <c>IClassFixture&lt;DatabaseFixture&gt;</c>), copied
/// from the template so classes run in parallel and never see each other's rows. Dropped afterwards.
/// </summary>
public sealed class DatabaseFixture : IAsyncLifetime
{
    private NpgsqlDataSource? _dataSource;

    public string DatabaseName { get; } = "t_" + Guid.NewGuid().ToString("N");

    /// <summary>
    /// The database this one is copied from: the migrated template unless a fixture names another one made from it
    /// (say, the template with the demo trust already loaded); set before <see cref="InitializeAsync"/>.
    /// </summary>
    public string Template { get; set; } = TestCluster.TemplateDatabase;
    public string ConnectionString { get; private set; } = "";
    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("Fixture not initialised.");

    public async Task InitializeAsync()
    {
        var cluster = await TestCluster.GetAsync();
        await using (var conn = new NpgsqlConnection(cluster.ConnectionString("postgres", maxPoolSize: 4)))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{DatabaseName}\" TEMPLATE \"{Template}\"", conn);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await cmd.ExecuteNonQueryAsync();
                    break;
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 20)
                {
                    // Another class is copying the template at this instant.
                    await Task.Delay(50 * attempt);
                }
            }
        }
        ConnectionString = cluster.ConnectionString(DatabaseName);
        _dataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public ConsentHubDbContext CreateDbContext()
    {
        var options = new DbContextOptionsBuilder<ConsentHubDbContext>();
        DataServiceCollectionExtensions.Configure(options, DataSource);
        return new ConsentHubDbContext(options.Options);
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is not null) await _dataSource.DisposeAsync();
        var cluster = await TestCluster.GetAsync();
        await using var conn = new NpgsqlConnection(cluster.ConnectionString("postgres", maxPoolSize: 4));
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
