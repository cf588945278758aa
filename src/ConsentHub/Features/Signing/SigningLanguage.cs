using System.Globalization;
using ConsentHub.Consent;

namespace ConsentHub.Signing;

/// <summary>
/// The languages the signing pages and receipts are translated into. English is the trust's own; every other
/// language shows "to be reviewed by the trust" until a reviewer signs it off on the current form version
/// (SignOffTranslation, in the form-version workflow).
/// </summary>
public static class SigningLanguage
{
    public const string English = FamilyLanguage.English;
    public const string Polish = FamilyLanguage.Polish;
    public const string Urdu = FamilyLanguage.Urdu;
    public const string Arabic = FamilyLanguage.Arabic;
    public const string Romanian = FamilyLanguage.Romanian;

    /// <summary>Punjabi in Gurmukhi script (written left to right).</summary>
    public const string Punjabi = FamilyLanguage.Punjabi;

    public static IReadOnlyList<string> Supported => FamilyLanguage.Supported;

    /// <summary>Urdu and Arabic are written right to left: pages get dir="rtl" and the PDF lays out from the right.</summary>
    public static bool IsRightToLeft(string language) => FamilyLanguage.IsRightToLeft(language);

    /// <summary>"rtl" or "ltr", for an HTML dir attribute.</summary>
    public static string Direction(string language) => FamilyLanguage.Direction(language);

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
    /// The culture dates are written in for this language (<see cref="FamilyLanguage.Culture"/>): month names in
    /// the language, always the Gregorian calendar. English is en-GB.
    /// </summary>
    public static CultureInfo Culture(string? language) => FamilyLanguage.Culture(language);

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
    public static string? TryNormalise(string? tag) => FamilyLanguage.TryNormalise(tag);

    /// <summary>The one asked for if supported, else the person's preferred one if supported, else English.</summary>
    public static string Choose(string? requested, string? preferred) =>
        TryNormalise(requested) ?? TryNormalise(preferred) ?? English;
}
