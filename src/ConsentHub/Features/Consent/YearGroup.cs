using System.Globalization;

namespace ConsentHub.Consent;

/// <summary>
/// A year group as schools name them: Nursery (N1, N2), Reception (R), Years 1–13. Stored as a number so that
/// comparisons ("Year 6 and below") read naturally: N1 = -2, N2 = -1, R = 0, Year n = n.
/// </summary>
public readonly record struct YearGroup : IComparable<YearGroup>
{
    public const int MinValue = -2;
    public const int MaxValue = 13;

    public YearGroup(int value)
    {
        if (value is < MinValue or > MaxValue)
            throw new ArgumentOutOfRangeException(nameof(value), value, "A year group is N1, N2, R or 1–13.");
        Value = value;
    }

    public int Value { get; }

    public static YearGroup Nursery1 => new(-2);
    public static YearGroup Nursery2 => new(-1);
    public static YearGroup Reception => new(0);
    public static YearGroup Year(int n) => new(n);

    public bool IsPrimary => Value <= 6;
    public bool IsSecondary => Value is >= 7 and <= 11;
    public bool IsSixthForm => Value >= 12;

    /// <summary>"N1", "N2", "R", "1" … "13": the codes MIS exports use.</summary>
    public string Code => Value switch
    {
        -2 => "N1",
        -1 => "N2",
        0 => "R",
        _ => Value.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>"Nursery", "Reception", "Year 9": how a teacher says it.</summary>
    public string DisplayName => Value switch
    {
        < 0 => "Nursery",
        0 => "Reception",
        < 14 => YearNames[Value],
        _ => "Year " + Value.ToString(CultureInfo.InvariantCulture),
    };

    // Every decision's sentence names the year group: the names of Years 1–13 are made once, not per purpose per check.
    private static readonly string[] YearNames = [.. Enumerable.Range(0, 14).Select(v => "Year " + v.ToString(CultureInfo.InvariantCulture))];

    public static bool TryParse(string? text, out YearGroup yearGroup)
    {
        yearGroup = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var t = text.Trim().ToUpperInvariant().Replace(" ", "", StringComparison.Ordinal);
        if (t.StartsWith("YEAR", StringComparison.Ordinal)) t = t[4..];
        else if (t.StartsWith('Y') && t.Length > 1 && char.IsDigit(t[1])) t = t[1..];
        int? v = t switch
        {
            "N1" or "NURSERY1" => -2,
            "N2" or "NURSERY2" or "N" or "NURSERY" => -1,
            "R" or "REC" or "RECEPTION" or "0" => 0,
            _ => int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 13 ? n : null,
        };
        if (v is null) return false;
        yearGroup = new YearGroup(v.Value);
        return true;
    }

    public int CompareTo(YearGroup other) => Value.CompareTo(other.Value);
    public static bool operator <(YearGroup a, YearGroup b) => a.Value < b.Value;
    public static bool operator >(YearGroup a, YearGroup b) => a.Value > b.Value;
    public static bool operator <=(YearGroup a, YearGroup b) => a.Value <= b.Value;
    public static bool operator >=(YearGroup a, YearGroup b) => a.Value >= b.Value;
    public override string ToString() => Code;
}
