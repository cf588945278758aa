using ConsentHub.Hosting;

namespace ConsentHub.Benchmarks;

/// <summary>What the harness hands to a scenario: the shared private cluster and the run's settings.</summary>
public sealed record BenchmarkContext(PrivateCluster Cluster, BenchmarkOptions Options);
