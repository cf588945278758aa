using System.Globalization;

namespace ConsentHub.Text;

/// <summary>
/// The one order of people's names, on screen and in print: culture-aware (Unicode's root collation), so "Đặng"
/// sorts among the Ds after "Dalton", "Łukasz" among the Ls, and "O'Brien" beside "Obi" — never after "Z" as a
/// byte order would put them. SQL sorts with <see cref="Sql"/> (PostgreSQL's ICU root collation), C# with
/// <see cref="Comparer"/> (.NET's ICU), which agree for names.
/// </summary>
public static class NameOrder
{
    /// <summary>Append to a name column in ORDER BY: <c>p.display_last_name COLLATE "und-x-icu"</c>.</summary>
    public const string Sql = "COLLATE \"und-x-icu\"";

    public static readonly StringComparer Comparer = StringComparer.Create(CultureInfo.InvariantCulture, CompareOptions.None);
}
