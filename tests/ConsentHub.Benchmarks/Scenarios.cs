using ConsentHub.Benchmarks.App;
using ConsentHub.Benchmarks.Baseline;

namespace ConsentHub.Benchmarks;

/// <summary>Every scenario the harness knows, in the order "all" runs them. Add new ones here.</summary>
public static class Scenarios
{
    /// <summary>Fresh instances: a scenario holds the servers it started, so runs never share one.</summary>
    public static IReadOnlyList<IScenario> Create() =>
    [
        new RawBaselineScenario(),
        new RawBaselineAuditedScenario(),
        new CheckApiScenario(),
    ];

    /// <summary>Turns command-line names (or "all") into scenarios, keeping the order they were given.</summary>
    public static bool TryResolve(IReadOnlyList<string> names, out IReadOnlyList<IScenario> scenarios, out string? error)
    {
        var known = Create();
        scenarios = [];
        error = null;
        if (names.Contains("all", StringComparer.OrdinalIgnoreCase))
        {
            scenarios = known;
            return true;
        }
        var chosen = new List<IScenario>();
        foreach (var name in names.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var scenario = known.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
            if (scenario is null)
            {
                error = $"Unknown scenario '{name}'. Known: {string.Join(", ", known.Select(s => s.Name))}.";
                return false;
            }
            chosen.Add(scenario);
        }
        scenarios = chosen;
        return true;
    }
}
