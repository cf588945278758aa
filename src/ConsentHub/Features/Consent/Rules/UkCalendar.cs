namespace ConsentHub.Consent.Rules;

/// <summary>Dates as a UK school sees them (Europe/London), whatever the server's time zone.</summary>
public static class UkCalendar
{
    private static readonly TimeZoneInfo London = FindLondon();

    /// <summary>
    /// The UK's time zone (UTC where the system has no zone data). The one place ConsentHub names it: schedules and
    /// wall-clock conversions take it from here.
    /// </summary>
    public static TimeZoneInfo TimeZone => London;

    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(ToLocal(instant).DateTime);

    /// <summary>
    /// The instant on London's clock. At the very ends of the calendar (a stored -infinity reads as the first
    /// instant of year 1) the zone's offset would step outside what a date can hold; there the UTC time is given
    /// instead of failing, so one odd row never breaks a page.
    /// </summary>
    public static DateTimeOffset ToLocal(DateTimeOffset instant) =>
        instant.UtcDateTime.Year is > 1 and < 9999 ? TimeZoneInfo.ConvertTime(instant, London) : instant.ToUniversalTime();

    /// <summary>
    /// The instant a UK day begins (midnight in London), in UTC. UK clocks change at 01:00/02:00, so midnight always
    /// exists and is never ambiguous. UTC because PostgreSQL's timestamptz (through Npgsql) takes only offset 0:
    /// a summer (BST) date would otherwise fail to be written.
    /// </summary>
    public static DateTimeOffset StartOf(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, London.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>The instant of a UK wall-clock time (as typed on a form), in UTC; a time skipped by the spring change moves on an hour.</summary>
    public static DateTimeOffset FromLocal(DateTime local)
    {
        var wall = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (London.IsInvalidTime(wall)) wall = wall.AddHours(1);
        return new DateTimeOffset(wall, London.GetUtcOffset(wall)).ToUniversalTime();
    }

    /// <summary>"3 Sep 2026".</summary>
    public static string Format(DateOnly date) => date.ToString("d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture);

    public static string Format(DateTimeOffset instant) => Format(DateOf(instant));

    /// <summary>The first day of the academic year that follows <paramref name="date"/>.</summary>
    public static DateOnly NextAcademicYearStart(DateOnly date, int month = 9, int day = 1)
    {
        var start = new DateOnly(date.Year, month, day);
        return date >= start ? start.AddYears(1) : start;
    }

    private static TimeZoneInfo FindLondon()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Utc;
        }
    }
}
