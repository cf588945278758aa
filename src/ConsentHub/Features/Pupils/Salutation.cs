namespace ConsentHub.Pupils;

/// <summary>A contact's name as the MIS holds it, its parts kept apart so an email can greet "Dear Ms Đặng".</summary>
public sealed record ContactName(string? Title, string? FirstName, string? LastName);

/// <summary>
/// How an email to a parent or carer opens, from the contact's title, forename and surname kept apart (as the MIS
/// holds them): "Dear Ms Đặng" when the title and surname are known, "Dear Thảo Đặng" without a title, and a
/// neutral "Dear parent or carer" when no name is held. The caller adds the punctuation ("Dear Ms Đặng,").
/// Wording other than English and Polish is to be reviewed by the trust, like the signing pages.
/// </summary>
public static class Salutation
{
    /// <summary>The greeting for <paramref name="name"/>; the neutral one when it is null.</summary>
    public static string For(ContactName? name, string? language) => For(name?.Title, name?.FirstName, name?.LastName, language);

    public static string For(string? title, string? firstName, string? lastName, string? language)
    {
        var t = CleanTitle(title);
        var first = firstName?.Trim() ?? "";
        var last = lastName?.Trim() ?? "";
        var full = string.Join(' ', new[] { first, last }.Where(s => s.Length > 0));
        var (male, female) = (t is not null && IsMale(t), t is not null && IsFemale(t));
        return Primary(language) switch
        {
            "pl" when last.Length > 0 && male => $"Szanowny Panie {last}",
            "pl" when last.Length > 0 && female => $"Szanowna Pani {last}",
            "pl" => full.Length > 0 ? $"Dzień dobry, {full}" : "Szanowni Państwo",
            "ro" when last.Length > 0 && male => $"Stimate domnule {last}",
            "ro" when last.Length > 0 && female => $"Stimată doamnă {last}",
            "ro" => full.Length > 0 ? $"Bună ziua, {full}" : "Stimate părinte sau tutore",
            "ar" when full.Length > 0 && male => $"عزيزي {full}",
            "ar" when full.Length > 0 && female => $"عزيزتي {full}",
            "ar" => full.Length > 0 ? $"مرحبًا {full}" : "عزيزي ولي الأمر",
            "ur" when full.Length > 0 && female => $"محترمہ {full}",
            "ur" => full.Length > 0 ? $"محترم {full}" : "محترم والدین یا سرپرست",
            "pa" => full.Length > 0 ? $"ਪਿਆਰੇ {full} ਜੀ" : "ਪਿਆਰੇ ਮਾਪੇ ਜਾਂ ਸਰਪ੍ਰਸਤ",
            _ when t is not null && last.Length > 0 => $"Dear {t} {last}",
            _ => full.Length > 0 ? $"Dear {full}" : "Dear parent or carer",
        };
    }

    /// <summary>A pupil is greeted by the first name they use.</summary>
    public static string ForPupil(string firstName, string? language)
    {
        var first = firstName?.Trim() ?? "";
        return Primary(language) switch
        {
            "pl" => $"Cześć {first}",
            "ro" => $"Bună, {first}",
            "ar" => $"مرحبًا {first}",
            "ur" => $"السلام علیکم {first}",
            "pa" => $"ਹੈਲੋ {first}",
            _ => $"Hi {first}",
        };
    }

    /// <summary>"Ms." → "Ms"; a blank or implausibly long title (a note typed in the wrong field) is not used.</summary>
    private static string? CleanTitle(string? title)
    {
        var t = title?.Trim().TrimEnd('.').Trim();
        return string.IsNullOrEmpty(t) || t.Length > 20 || t.Any(char.IsDigit) ? null : t;
    }

    private static bool IsMale(string title) => title.Equals("Mr", StringComparison.OrdinalIgnoreCase);

    private static bool IsFemale(string title) =>
        title.Equals("Mrs", StringComparison.OrdinalIgnoreCase) || title.Equals("Ms", StringComparison.OrdinalIgnoreCase) || title.Equals("Miss", StringComparison.OrdinalIgnoreCase);

    private static string Primary(string? language) =>
        string.IsNullOrWhiteSpace(language) ? "en" : language.Trim().Split('-', '_')[0].ToLowerInvariant();
}
