namespace ConsentHub.Benchmarks;

/// <summary>
/// One thing to load. The harness owns the cluster and wrk; a scenario only prepares its data and an HTTP
/// endpoint, says what wrk should request, and tears its own pieces down again.
/// </summary>
public interface IScenario
{
    /// <summary>Short name used on the command line and in the results table.</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>
    /// Creates the scenario's database and data, starts the server under test and returns what wrk should
    /// load. Called once per run, before the warm-up.
    /// </summary>
    Task<WrkTarget> SetupAsync(BenchmarkContext context, CancellationToken cancellationToken);

    /// <summary>Stops whatever <see cref="SetupAsync"/> started. Called even when setup or the run failed.</summary>
    Task TeardownAsync();
}
