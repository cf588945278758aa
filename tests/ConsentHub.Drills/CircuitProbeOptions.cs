namespace ConsentHub.Drills;

/// <summary>What the drill tells the probe: where nginx is, who signs in, which pupil's row to watch and its words.</summary>
public sealed record CircuitProbeOptions(
    Uri BaseAddress,
    string Email,
    string Password,
    Guid PupilId,
    string ClassName,
    string PurposeName,
    string WordsBefore,
    string WordsAfter,
    string WordsAgain,
    string? ScreenshotDirectory)
{
    public static CircuitProbeOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Expected an option, got '{args[i]}'.");
            values[args[i][2..]] = args[i + 1];
        }
        string Required(string name) => values.TryGetValue(name, out var v) && v.Length > 0 ? v : throw new ArgumentException($"--{name} is required.");
        return new CircuitProbeOptions(
            new Uri(Required("base")),
            Required("email"),
            Required("password"),
            Guid.Parse(Required("pupil")),
            Required("class"),
            Required("purpose"),
            Required("before"),
            Required("after"),
            Required("again"),
            values.GetValueOrDefault("screenshots"));
    }
}
