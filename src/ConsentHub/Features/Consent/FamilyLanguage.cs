using System.Collections.Concurrent;
using System.Globalization;

namespace ConsentHub.Consent;

/// <summary>
/// The languages ConsentHub writes to families in (the signing pages, receipts, the request, reminder and renewal
/// emails and the printed form), and how each is written: its direction and the culture its dates are written in.
/// Stated once here, at the bottom of the feature graph, so every feature that writes to a family (Requests,
/// Chasing, Signing, Forms) uses the same rule; <c>SigningLanguage</c> is the signing pages' name for it.
/// </summary>
public static class FamilyLanguage
{
    public const string English = "en";
    public const string Polish = "pl";
    public const string Urdu = "ur";
    public const string Arabic = "ar";
    public const string Romanian = "ro";

    /// <summary>Punjabi in Gurmukhi script (written left to right).</summary>
    public const string Punjabi = "pa";

    public static IReadOnlyList<string> Supported { get; } = [English, Polish, Urdu, Arabic, Romanian, Punjabi];

    /// <summary>Urdu and Arabic are written right to left: pages and emails get dir="rtl" and the PDF lays out from the right.</summary>
    public static bool IsRightToLeft(string? language) => TryNormalise(language) is Urdu or Arabic;

    /// <summary>"rtl" or "ltr", for an HTML dir attribute.</summary>
    public static string Direction(string? language) => IsRightToLeft(language) ? "rtl" : "ltr";

    /// <summary>
    /// The culture dates are written in for this language: month names in the language, always the Gregorian
    /// calendar (a UK school's dates; some Arabic cultures default to another calendar). English is en-GB.
    /// </summary>
    public static CultureInfo Culture(string? language)
    {
        var name = TryNormalise(language) switch
        {
            Polish => "pl-PL",
            Urdu => "ur-PK",
            Arabic => "ar-EG",
            Romanian => "ro-RO",
            Punjabi => "pa-IN",
            _ => "en-GB",
        };
        return Cultures.GetOrAdd(name, static n =>
        {
            var culture = (CultureInfo)CultureInfo.GetCultureInfo(n).Clone();
            if (culture.DateTimeFormat.Calendar is not GregorianCalendar) culture.DateTimeFormat.Calendar = new GregorianCalendar();
            return CultureInfo.ReadOnly(culture);
        });
    }

    private static readonly ConcurrentDictionary<string, CultureInfo> Cultures = new(StringComparer.Ordinal);

    /// <summary>A supported language for a BCP 47 tag ("pl-PL" → "pl"); null when there is none.</summary>
    public static string? TryNormalise(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag)) return null;
        var primary = tag.Trim().Split('-', '_')[0].ToLowerInvariant();
        return Supported.Contains(primary) ? primary : null;
    }
}
