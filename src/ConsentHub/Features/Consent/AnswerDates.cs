using ConsentHub.Consent.Rules;

namespace ConsentHub.Consent;

/// <summary>
/// When an answer may say it was given: not before the pupil was born (a form returned in an admission pack before
/// the first day is fine), not in the future, and never before <see cref="Earliest"/>. Every path that records an
/// answer asks here first; the database restates the bounds that need no other row as the CHECK constraint
/// <c>ck_consent_answers_dates</c> (answered from <see cref="Earliest"/>, no later than recorded plus
/// <see cref="ClockSkew"/>), so no path, however it writes, can store an impossible date.
/// </summary>
public static class AnswerDates
{
    /// <summary>No consent in this system predates it; also the CHECK constraint's lower bound.</summary>
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far ahead of the server's clock an answer's time may be (a client's clock a little fast).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Null when the time is possible for this pupil; otherwise the message for the field.</summary>
    public static string? Problem(DateTimeOffset at, DateOnly dateOfBirth, string pupilFirstName, DateTimeOffset now)
    {
        if (at > now + ClockSkew) return "The answer cannot be dated in the future.";
        if (at < Earliest) return $"The answer cannot be dated before {UkCalendar.Format(DateOnly.FromDateTime(Earliest.UtcDateTime))}.";
        if (UkCalendar.DateOf(at) < dateOfBirth)
            return $"The answer cannot be dated before {pupilFirstName} was born ({UkCalendar.Format(dateOfBirth)}).";
        return null;
    }
}
