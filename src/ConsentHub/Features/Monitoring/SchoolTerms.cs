namespace ConsentHub.Monitoring;

/// <summary>
/// The three terms of an English school year as fixed month ranges: Autumn (1 Sep – 31 Dec), Spring (1 Jan – 31 Mar),
/// Summer (1 Apr – 31 Aug). Real term dates move with Easter and differ by academy; for "term on term" only a stable
/// bucket matters, so the holidays fall into the term before them.
/// </summary>
public static class SchoolTerms
{
    public sealed record Term(string Label, DateOnly Start, DateOnly End);

    public static Term Of(DateOnly day) => day.Month switch
    {
        >= 9 => new Term($"Autumn {day.Year}", new DateOnly(day.Year, 9, 1), new DateOnly(day.Year, 12, 31)),
        <= 3 => new Term($"Spring {day.Year}", new DateOnly(day.Year, 1, 1), new DateOnly(day.Year, 3, 31)),
        _ => new Term($"Summer {day.Year}", new DateOnly(day.Year, 4, 1), new DateOnly(day.Year, 8, 31)),
    };

    /// <summary>The term holding <paramref name="day"/> and the <paramref name="count"/>-1 terms before it, oldest first.</summary>
    public static IReadOnlyList<Term> UpTo(DateOnly day, int count)
    {
        var terms = new List<Term>();
        var t = Of(day);
        for (var i = 0; i < count; i++)
        {
            terms.Insert(0, t);
            t = Of(t.Start.AddDays(-1));
        }
        return terms;
    }
}
