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
        await MigrateAsync(db, ct);
    }

    /// <summary>
    /// Brings the database to the latest migration. A development database made by the migration chain that the
    /// baseline replaced is adopted when it reached the chain's last migration (its schema is the baseline's, which
    /// migrations/verify-baseline.sh proves); part-way along the chain it is refused with what to do.
    /// </summary>
    public static async Task MigrateAsync(ConsentHubDbContext db, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        // The history table lives in our schema. Creating both first (EF's own layout) keeps EF from logging a
        // failed probe as an error on a brand-new database, which would alarm whoever reads the first start's log.
        await db.Database.ExecuteSqlRawAsync(HistoryTableSql, ct);
        await AdoptSquashedChainAsync(db, ct);
        await db.Database.MigrateAsync(ct);
    }

    /// <summary>The migrations squashed into the baseline, oldest first. Never add to this list after a release.</summary>
    public static readonly IReadOnlyList<string> SquashedMigrations =
    [
        "20261124010436_InitialOutbox",
        "20261124013858_AddConsentCore",
        "20261124022929_FreezePublishedFormVersions",
        "20261124201853_AddPupilConsentFacts",
        "20261124210255_AddAffiliatedAccounts",
        "20261124210532_AddStaffIdentity",
        "20261124211751_AddPupilSearch",
        "20261201182905_AddSigningSecrets",
        "20261201184228_AddOnlineSigning",
        "20261201184411_AddRequestIssues",
        "20261201192220_AddFormPacksAndPaperScans",
        "20261201212342_AddLiveChecks",
        "20261201212733_AddChasing",
        "20261201213134_AddRolloverTakedownRetention",
    ];

    private static async Task AdoptSquashedChainAsync(ConsentHubDbContext db, CancellationToken ct)
    {
        var applied = (await db.Database.GetAppliedMigrationsAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var squashed = SquashedMigrations.Where(applied.Contains).ToList();
        if (squashed.Count == 0) return;
        var baseline = db.Database.GetMigrations().First();
        if (squashed.Count < SquashedMigrations.Count)
        {
            throw new InvalidOperationException(
                $"This database was made by the migrations that {baseline} replaced and stopped at {squashed[^1]}. " +
                "Only development databases were ever made that way: delete it (the private cluster's data folder, or DROP DATABASE) and start again to get a fresh one.");
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO consenthub.__ef_migrations_history (migration_id, product_version)
            SELECT {0}, product_version FROM consenthub.__ef_migrations_history WHERE migration_id = {1}
            ON CONFLICT DO NOTHING
            """, [baseline, SquashedMigrations[^1]], ct);
        await db.Database.ExecuteSqlRawAsync(
            "DELETE FROM consenthub.__ef_migrations_history WHERE migration_id = ANY ({0})", [SquashedMigrations.ToArray()], ct);
        await tx.CommitAsync(ct);
    }

    public const string HistoryTableSql = """
        CREATE SCHEMA IF NOT EXISTS consenthub;
        CREATE TABLE IF NOT EXISTS consenthub.__ef_migrations_history (
            migration_id character varying(150) NOT NULL PRIMARY KEY,
            product_version character varying(32) NOT NULL);
        """;

    public void Dispose() => Cluster?.Dispose();
}
