using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Hosting;

/// <summary>
/// Decides where the database is before the host is built: the configured server, or the private cluster
/// started here. Runs at the composition root, so it reads configuration directly.
/// </summary>
public sealed class DatabaseBootstrap : IDisposable
{
    public const string ConnectionStringName = "ConsentHub";

    private DatabaseBootstrap(string connectionString, bool migrate, PrivateCluster? cluster)
    {
        ConnectionString = connectionString;
        Migrate = migrate;
        Cluster = cluster;
    }

    public string ConnectionString { get; }
    public bool Migrate { get; }
    public PrivateCluster? Cluster { get; }

    /// <summary>
    /// With ConnectionStrings:ConsentHub: use it; migrate only when asked (<paramref name="migrateRequested"/>,
    /// Database:MigrateOnStartup). Without: start the private cluster, create the database, always migrate.
    /// Throws <see cref="PostgresNotAvailableException"/> with guidance for the terminal.
    /// </summary>
    public static DatabaseBootstrap Prepare(IConfiguration configuration, bool migrateRequested)
    {
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var configured = configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured))
            return new DatabaseBootstrap(configured, migrateRequested || options.MigrateOnStartup, null);

        var cluster = PrivateCluster.Start(new PrivateClusterSettings
        {
            DataDirectory = options.ResolveDataDirectory(),
            BinDirectory = string.IsNullOrWhiteSpace(options.PostgresBinDirectory) ? null : options.PostgresBinDirectory,
        });
        try
        {
            cluster.EnsureDatabase(options.DatabaseName);
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
        var cs = cluster.ConnectionString(options.DatabaseName);
        configuration[$"ConnectionStrings:{ConnectionStringName}"] = cs;
        return new DatabaseBootstrap(cs, migrate: true, cluster);
    }

    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var factory = services.GetRequiredService<IDbContextFactory<ConsentHubDbContext>>();
        await using var db = await factory.CreateDbContextAsync(ct);
        // The history table lives in our schema. Creating both first (EF's own layout) keeps EF from logging a
        // failed probe as an error on a brand-new database, which would alarm whoever reads the first start's log.
        await db.Database.ExecuteSqlRawAsync(HistoryTableSql, ct);
        await db.Database.MigrateAsync(ct);
    }

    public const string HistoryTableSql = """
        CREATE SCHEMA IF NOT EXISTS consenthub;
        CREATE TABLE IF NOT EXISTS consenthub.__ef_migrations_history (
            migration_id character varying(150) NOT NULL PRIMARY KEY,
            product_version character varying(32) NOT NULL);
        """;

    public void Dispose() => Cluster?.Dispose();
}
