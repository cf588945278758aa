using ConsentHub.Consent.Rules;
using ConsentHub.Trust;

namespace ConsentHub.Chasing;

/// <summary>
/// The pure part of chasing: when each reminder of one request falls due, when the party goes on the follow-up
/// list, and the first moment at or after a given time when mail may go out (outside quiet hours and, by setting,
/// weekends, in UK time). No clock, no I/O.
/// </summary>
public static class ChaseSchedule
{
    private static TimeZoneInfo London => UkCalendar.TimeZone;

    /// <param name="Reminders">Due times of the reminders that fall before the deadline ends, in order (number = index + 1).</param>
    /// <param name="FollowUpAt">When a party who still has not answered goes on the office follow-up list.</param>
    public sealed record Plan(IReadOnlyList<DateTimeOffset> Reminders, DateTimeOffset FollowUpAt)
    {
        /// <summary>How many reminders are due at <paramref name="now"/> (0: none yet).</summary>
        public int DueAt(DateTimeOffset now) => Reminders.Count(r => r <= now);
    }

    public static Plan For(ChaseSettings settings, DateTimeOffset issuedAt, DateOnly? deadline)
    {
        ArgumentNullException.ThrowIfNull(settings);
        // The end of the deadline day: nothing asks "please answer by …" after it.
        DateTimeOffset? deadlineEnd = deadline is { } d ? UkCalendar.StartOf(d.AddDays(1)) : null;
        var anchor = deadlineEnd is null ? ChaseAnchor.AfterIssue : settings.Anchor;
        var reminders = new List<DateTimeOffset>();
        foreach (var days in settings.OrderedOffsets())
        {
            // Whole UK days from the issue's (or the deadline's) local time, so a reminder keeps its hour across a
            // clock change.
            var at = anchor == ChaseAnchor.AfterIssue
                ? AddLocalDays(issuedAt, days)
                : LocalAt(deadline!.Value.AddDays(-days), LocalTime(issuedAt));
            if (at <= issuedAt) continue; // a deadline closer than this reminder's offset
            if (deadlineEnd is { } end && at >= end) continue;
            reminders.Add(at);
        }
        var followUp = reminders.Count > 0 ? AddLocalDays(reminders[^1], settings.FollowUpAfterDays) : AddLocalDays(issuedAt, settings.OrderedOffsets()[0]);
        if (deadlineEnd is { } last && followUp > last) followUp = last;
        if (followUp < issuedAt) followUp = issuedAt;
        return new Plan(reminders, followUp);
    }

    /// <summary>The first moment at or after <paramref name="at"/> when mail may go: outside quiet hours and, if set, not at a weekend.</summary>
    public static DateTimeOffset NextSendTime(DateTimeOffset at, ChaseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var local = TimeZoneInfo.ConvertTime(at, London);
        for (var guard = 0; guard < 14; guard++)
        {
            var date = DateOnly.FromDateTime(local.DateTime);
            var time = TimeOnly.FromDateTime(local.DateTime);
            if (settings.SkipWeekends && date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                local = LocalAt(date.AddDays(date.DayOfWeek == DayOfWeek.Saturday ? 2 : 1), TimeOnly.MinValue);
                continue;
            }
            if (InQuietHours(time, settings))
            {
                // Quiet hours either wrap midnight (21:00–07:00) or lie within one day (12:00–13:00).
                var resumeDate = settings.QuietFrom > settings.QuietUntil && time >= settings.QuietFrom ? date.AddDays(1) : date;
                local = LocalAt(resumeDate, settings.QuietUntil);
                continue;
            }
            return local.ToUniversalTime();
        }
        throw new InvalidOperationException("The chase settings leave no time to send mail.");
    }

    public static bool InQuietHours(TimeOnly time, ChaseSettings settings) =>
        settings.QuietFrom > settings.QuietUntil
            ? time >= settings.QuietFrom || time < settings.QuietUntil
            : time >= settings.QuietFrom && time < settings.QuietUntil;

    private static DateTimeOffset AddLocalDays(DateTimeOffset at, int days)
    {
        var local = TimeZoneInfo.ConvertTime(at, London).DateTime.AddDays(days);
        return LocalAt(DateOnly.FromDateTime(local), TimeOnly.FromDateTime(local));
    }

    private static TimeOnly LocalTime(DateTimeOffset at) => TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, London).DateTime);

    /// <summary>A UK wall-clock time as an instant. A time skipped by the spring change moves on an hour; an ambiguous autumn one takes the first.</summary>
    private static DateTimeOffset LocalAt(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        if (London.IsInvalidTime(local)) local = local.AddHours(1);
        var offset = London.IsAmbiguousTime(local) ? London.GetAmbiguousTimeOffsets(local).Max() : London.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }
}
