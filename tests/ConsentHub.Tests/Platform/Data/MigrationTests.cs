using System.Diagnostics;
using System.Text.RegularExpressions;
using ConsentHub.Hosting;
using ConsentHub.Testing.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace ConsentHub.Tests.Data;

/// <summary>
/// The migrations build the schema that was reviewed (migrations/ConsentHub.Migrations/schema.sql, a
/// <c>pg_dump --schema-only</c> of a freshly migrated database), the model has no change without a migration,
/// every SQL function has one definition, and a development database made by the squashed chain is adopted or
/// refused with what to do.
/// </summary>
public sealed partial class MigrationTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private const string WriteSchemaVariable = "CONSENTHUB_WRITE_SCHEMA";

    [Fact]
    public async Task FreshDatabase_Migrated_IsTheReviewedSchema()
    {
        var actual = await DumpSchemaAsync(database.ConnectionString);
        var path = Path.Combine(RepositoryRoot(), "migrations", "ConsentHub.Migrations", "schema.sql");
        if (Environment.GetEnvironmentVariable(WriteSchemaVariable) == "1")
            await File.WriteAllTextAsync(path, actual);
        var expected = File.Exists(path) ? (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n") : "";
        if (expected == actual) return;

        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        var first = Enumerable.Range(0, Math.Max(expectedLines.Length, actualLines.Length))
            .First(i => i >= expectedLines.Length || i >= actualLines.Length || expectedLines[i] != actualLines[i]);
        Assert.Fail($"""
            The migrated schema differs from migrations/ConsentHub.Migrations/schema.sql at line {first + 1}:
              reviewed: {(first < expectedLines.Length ? expectedLines[first] : "(end)")}
              migrated: {(first < actualLines.Length ? actualLines[first] : "(end)")}
            If the change is intended (a new migration), rewrite the file and review its diff:
              {WriteSchemaVariable}=1 dotnet test tests/ConsentHub.Tests --filter FullyQualifiedName~MigrationTests
            """);
    }

    [Fact]
    public async Task Model_HasNoChangeWithoutAMigration()
    {
        await using var db = database.CreateDbContext();
        Assert.False(db.Database.HasPendingModelChanges(),
            "The entity model changed without a migration: dotnet ef migrations add <IntentName> (see migrations/README.md).");
    }

    [Fact]
    public void SqlFolder_DefinesEachFunctionOnce()
    {
        var folder = Path.Combine(RepositoryRoot(), "migrations", "ConsentHub.Migrations", "Sql");
        var definitions = Directory.EnumerateFiles(folder, "*.cs")
            .SelectMany(f => FunctionDefinition().Matches(File.ReadAllText(f)).Select(m => (Function: m.Groups[1].Value, File: Path.GetFileName(f))))
            .ToList();
        Assert.NotEmpty(definitions);
        var twice = definitions.GroupBy(d => d.Function).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key} in {string.Join(", ", g.Select(d => d.File))}").ToList();
        Assert.True(twice.Count == 0, "Defined more than once: " + string.Join("; ", twice));
    }

    [Fact]
    public async Task DevelopmentDatabase_AtTheLastSquashedMigration_IsAdoptedByTheBaseline()
    {
        // A database the old chain made has the baseline's schema: take this one back to it first.
        await using (var db = database.CreateDbContext())
            await db.GetService<IMigrator>().MigrateAsync(db.Database.GetMigrations().First());
        var baseline = await ReplaceHistoryAsync(DatabaseBootstrap.SquashedMigrations);

        await using (var db = database.CreateDbContext())
            await DatabaseBootstrap.MigrateAsync(db);

        // The squashed ids are gone; the baseline stands for them, and the migrations after it ran as usual.
        await using var check = database.CreateDbContext();
        var applied = (await check.Database.GetAppliedMigrationsAsync()).ToList();
        Assert.Equal(baseline, applied[0]);
        Assert.Equal(check.Database.GetMigrations(), applied);
        Assert.Empty(await check.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task DevelopmentDatabase_PartWayAlongTheSquashedChain_IsRefusedWithWhatToDo()
    {
        await ReplaceHistoryAsync(DatabaseBootstrap.SquashedMigrations.Take(7).ToList());
        try
        {
            await using var db = database.CreateDbContext();
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => DatabaseBootstrap.MigrateAsync(db));
            Assert.Contains("20261124211751_AddPupilSearch", e.Message, StringComparison.Ordinal);
            Assert.Contains("delete it", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            await ReplaceHistoryAsync([]);
        }
    }

    /// <summary>Makes the history say these migrations were applied (none: every migration of this assembly). Returns the baseline's id.</summary>
    private async Task<string> ReplaceHistoryAsync(IReadOnlyList<string> ids)
    {
        await using var db = database.CreateDbContext();
        var baseline = db.Database.GetMigrations().First();
        await using var conn = new NpgsqlConnection(database.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            DELETE FROM consenthub.__ef_migrations_history;
            INSERT INTO consenthub.__ef_migrations_history (migration_id, product_version)
            SELECT id, '10.0.0' FROM unnest(@ids) AS t(id);
            INSERT INTO consenthub.__ef_migrations_history (migration_id, product_version)
            SELECT id, '10.0.0' FROM unnest(@all) AS t(id) WHERE cardinality(@ids) = 0;
            """, conn);
        cmd.Parameters.AddWithValue("ids", ids.ToArray());
        cmd.Parameters.AddWithValue("all", db.Database.GetMigrations().ToArray());
        await cmd.ExecuteNonQueryAsync();
        return baseline;
    }

    /// <summary>pg_dump's schema of our objects (Hangfire's schema left out), without comments and blank lines.</summary>
    private static async Task<string> DumpSchemaAsync(string connectionString)
    {
        var cluster = await TestCluster.GetAsync();
        var bin = PostgresBinaries.Locate() ?? throw new InvalidOperationException(PostgresBinaries.InstallHint);
        var cs = new NpgsqlConnectionStringBuilder(connectionString);
        var psi = new ProcessStartInfo(Path.Combine(bin, "pg_dump"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--schema-only", "--no-owner", "--exclude-schema=hangfire", "-h", cluster.SocketDirectory, "-p", cluster.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", PrivateCluster.SuperUser, cs.Database! })
            psi.ArgumentList.Add(arg);
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, "pg_dump failed: " + await error);
        // pg_dump's \restrict key is random on every run.
        var lines = (await output).ReplaceLineEndings("\n").Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith("--", StringComparison.Ordinal)
                        && !l.StartsWith("\\restrict ", StringComparison.Ordinal) && !l.StartsWith("\\unrestrict ", StringComparison.Ordinal));
        return string.Join("\n", lines) + "\n";
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ConsentHub.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("ConsentHub.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"CREATE (?:OR REPLACE )?FUNCTION (consenthub\.\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex FunctionDefinition();
}
