namespace ConsentHub.Signing;

/// <summary>The languages the signing pages and receipts are fully translated into.</summary>
public static class SigningLanguage
{
    public const string English = "en";
    public const string Polish = "pl";

    public static IReadOnlyList<string> Supported { get; } = [English, Polish];

    /// <summary>A supported language for a BCP 47 tag ("pl-PL" → "pl"); null when there is none.</summary>
    public static string? TryNormalise(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag)) return null;
        var primary = tag.Trim().Split('-', '_')[0].ToLowerInvariant();
        return Supported.Contains(primary) ? primary : null;
    }

    /// <summary>The one asked for if supported, else the person's preferred one if supported, else English.</summary>
    public static string Choose(string? requested, string? preferred) =>
        TryNormalise(requested) ?? TryNormalise(preferred) ?? English;
}
