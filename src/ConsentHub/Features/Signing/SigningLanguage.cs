using System.Globalization;

namespace ConsentHub.Signing;

/// <summary>
/// The languages the signing pages and receipts are translated into. English is the trust's own; every other
/// language shows "to be reviewed by the trust" until a reviewer signs it off on the current form version
/// (SignOffTranslation, in the form-version workflow).
/// </summary>
public static class SigningLanguage
{
    public const string English = "en";
    public const string Polish = "pl";
    public const string Urdu = "ur";
    public const string Arabic = "ar";
    public const string Romanian = "ro";

    /// <summary>Punjabi in Gurmukhi script (written left to right).</summary>
    public const string Punjabi = "pa";

    public static IReadOnlyList<string> Supported { get; } = [English, Polish, Urdu, Arabic, Romanian, Punjabi];

    /// <summary>Urdu and Arabic are written right to left: pages get dir="rtl" and the PDF lays out from the right.</summary>
    public static bool IsRightToLeft(string language) => language is Urdu or Arabic;

    /// <summary>"rtl" or "ltr", for an HTML dir attribute.</summary>
    public static string Direction(string language) => IsRightToLeft(language) ? "rtl" : "ltr";

    /// <summary>Each language's name in itself, as a language menu shows it.</summary>
    public static string NativeName(string language) => language switch
    {
        Polish => "Polski",
        Urdu => "اردو",
        Arabic => "العربية",
        Romanian => "Română",
        Punjabi => "ਪੰਜਾਬੀ",
        _ => "English",
    };

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

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, CultureInfo> Cultures = new(StringComparer.Ordinal);

    /// <summary>"(UK time)" after a time, in the language.</summary>
    public static string UkTimeNote(string? language) => TryNormalise(language) switch
    {
        Polish => "(czas brytyjski)",
        Urdu => "(برطانیہ کا وقت)",
        Arabic => "(بتوقيت المملكة المتحدة)",
        Romanian => "(ora Regatului Unit)",
        Punjabi => "(ਯੂਕੇ ਦਾ ਸਮਾਂ)",
        _ => "(UK time)",
    };

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
