using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ConsentHub.Benchmarks.Baseline;

/// <summary>
/// The floor for every later goal: Kestrel plus one keyed SELECT through a single NpgsqlDataSource, with no EF
/// Core, no ConsentHub middleware and no auth. ConsentHub's own endpoints are compared with this number, so
/// it should stay as plain as possible.
/// </summary>
public sealed class RawBaselineScenario : IScenario
{
    public const int RowCount = 30_000;
    private const string Database = "bench_raw";

    private NpgsqlDataSource? _dataSource;
    private WebApplication? _app;

    public string Name => "raw-baseline";

    public string Description => FormattableString.Invariant(
        $"GET /raw/{{id}}: one keyed SELECT (plain Npgsql) over {RowCount:N0} rows, random id per request");

    public async Task<WrkTarget> SetupAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        context.Cluster.EnsureDatabase(Database);
        _dataSource = NpgsqlDataSource.Create(context.Cluster.ConnectionString(Database));
        await SeedAsync(_dataSource, cancellationToken);

        var builder = LoopbackServer.CreateBuilder();
        builder.Services.AddSingleton(_dataSource);
        _app = builder.Build();
        _app.MapGet("/raw/{id:int}", GetPupilAsync);
        var url = await LoopbackServer.StartAsync(_app, cancellationToken);

        return new WrkTarget(url, WrkScript.RandomIdRequest("/raw/", 1, RowCount));
    }

    public async Task TeardownAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
            _dataSource = null;
        }
    }

    private static async Task<Results<Ok<RawPupil>, NotFound>> GetPupilAsync(int id, NpgsqlDataSource dataSource,
        CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, given_name, family_name, year_group, form FROM raw_pupil WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return TypedResults.NotFound();
        return TypedResults.Ok(new RawPupil(
            reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
    }

    /// <summary>
    /// Rows are generated inside PostgreSQL (one statement, well under a second) rather than sent from .NET;
    /// ANALYZE makes sure the planner uses the primary key from the first request on.
    /// </summary>
    private static async Task SeedAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(FormattableString.Invariant($"""
            DROP TABLE IF EXISTS raw_pupil;
            CREATE TABLE raw_pupil (
                id          integer PRIMARY KEY,
                given_name  text NOT NULL,
                family_name text NOT NULL,
                year_group  text NOT NULL,
                form        text NOT NULL
            );
            INSERT INTO raw_pupil (id, given_name, family_name, year_group, form)
            SELECT g,
                   'Given' || g,
                   'Family' || g,
                   'Year ' || (7 + g % 7),
                   (7 + g % 7) || chr(65 + g % 5)
            FROM generate_series(1, {RowCount}) AS g;
            ANALYZE raw_pupil;
            """));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
