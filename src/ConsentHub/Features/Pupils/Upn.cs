namespace ConsentHub.Pupils;

/// <summary>
/// The DfE Unique Pupil Number: 13 characters, a check letter then twelve characters (LA number, establishment
/// number, year of allocation, serial), the last of which is a letter in a temporary UPN. The check letter is
/// the sum of characters 2–13 weighted 2–13, modulo 23, looked up in <see cref="Letters"/>; a letter in place 13
/// counts as its index in the same table. A mistyped UPN fails the check, so it is caught before it makes a second
/// copy of a pupil.
/// </summary>
public static class Upn
{
    /// <summary>The DfE's 23 letters (no I, O, S): the check letter table and the values of a temporary UPN's last letter.</summary>
    public const string Letters = "ABCDEFGHJKLMNPQRTUVWXYZ";

    /// <summary>The check letter for the last twelve characters, or null when they are not eleven digits and a digit or letter.</summary>
    public static char? CheckLetterFor(ReadOnlySpan<char> twelve)
    {
        if (twelve.Length != 12) return null;
        var sum = 0;
        for (var i = 0; i < 12; i++)
        {
            var c = char.ToUpperInvariant(twelve[i]);
            int value;
            if (c is >= '0' and <= '9') value = c - '0';
            else if (i == 11 && Letters.Contains(c, StringComparison.Ordinal)) value = Letters.IndexOf(c, StringComparison.Ordinal);
            else return null;
            sum += value * (i + 2);
        }
        return Letters[sum % 23];
    }

    /// <summary>Whether <paramref name="value"/> has a UPN's shape (a letter, eleven digits, a digit or letter), valid or not.</summary>
    public static bool LooksLikeUpn(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var v = value.Trim();
        return v.Length == 13 && char.IsAsciiLetter(v[0]) && v[1..12].All(char.IsAsciiDigit) && char.IsAsciiLetterOrDigit(v[12]);
    }

    /// <summary>Null for a valid UPN (permanent or temporary); otherwise the reason, in words the office can act on.</summary>
    public static string? Problem(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var v = value.Trim().ToUpperInvariant();
        if (v.Length != 13)
            return $"The UPN '{value.Trim()}' has {v.Length} characters; a UPN has 13 (a letter then 12 digits, or 11 digits and a letter for a temporary UPN).";
        if (CheckLetterFor(v.AsSpan(1)) is not { } expected)
            return $"The UPN '{value.Trim()}' is not one: after the first letter come 11 digits and then a digit (or a letter for a temporary UPN).";
        if (v[0] != expected)
            return $"The UPN '{value.Trim()}' fails its check letter (it should start with {expected} for these digits): it is probably mistyped; copy it from the MIS again.";
        return null;
    }
}
