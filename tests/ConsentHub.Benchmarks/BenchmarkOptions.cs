using System.Globalization;

namespace ConsentHub.Benchmarks;

/// <summary>Command line: <c>&lt;scenario|all|list&gt;... [--duration 10s] [--warmup 15s] [--connections 16] [--out file.md]</c>.</summary>
public sealed record BenchmarkOptions
{
    public const string Usage =
        "Usage: dotnet run -c Release --project tests/ConsentHub.Benchmarks -- <scenario>... | all | list\n" +
        "         [--duration 10s] [--warmup 15s] [--connections 16] [--out results.md]";

    public IReadOnlyList<string> Scenarios { get; init; } = [];
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    public int Connections { get; init; } = 16;
    public string? OutFile { get; init; }

    /// <summary>wrk uses one event loop per thread; two matches this project's reference machine.</summary>
    public int Threads => Math.Min(2, Connections);

    /// <summary>
    /// Load before the measured run, discarded; the same for every scenario. Long enough for tiered JIT (with
    /// dynamic PGO a method passes through three tiers, and ConsentHub's host JITs for ~10 s under load before
    /// its compile rate drops to nearly nothing), connection pools and PostgreSQL's caches to settle.
    /// </summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(15);

    public static bool TryParse(IReadOnlyList<string> args, out BenchmarkOptions options, out string? error)
    {
        options = new BenchmarkOptions();
        error = null;
        var scenarios = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                scenarios.Add(arg);
                continue;
            }
            if (i + 1 >= args.Count)
            {
                error = $"{arg} needs a value.";
                return false;
            }
            var value = args[++i];
            switch (arg)
            {
                case "--duration" when TryParseDuration(value, out var duration):
                    options = options with { Duration = duration };
                    break;
                case "--warmup" when TryParseDuration(value, out var warmUp):
                    options = options with { WarmUp = warmUp };
                    break;
                case "--connections" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var connections) && connections > 0:
                    options = options with { Connections = connections };
                    break;
                case "--out":
                    options = options with { OutFile = value };
                    break;
                case "--duration" or "--warmup" or "--connections":
                    error = $"{arg}: '{value}' is not valid.";
                    return false;
                default:
                    error = $"Unknown option {arg}.";
                    return false;
            }
        }
        if (scenarios.Count == 0)
        {
            error = "Name at least one scenario, or 'all', or 'list'.";
            return false;
        }
        options = options with { Scenarios = scenarios };
        return true;
    }

    /// <summary>Whole seconds, as wrk takes them: "10s", "2m" or a bare number of seconds.</summary>
    private static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        var (number, unit) = text.EndsWith('m') ? (text[..^1], 60) : (text.TrimEnd('s'), 1);
        if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0) return false;
        duration = TimeSpan.FromSeconds(n * unit);
        return true;
    }
}
