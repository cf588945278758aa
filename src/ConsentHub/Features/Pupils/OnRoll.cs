using System.Linq.Expressions;
using ConsentHub.Consent.Rules;

namespace ConsentHub.Pupils;

/// <summary>
/// "On roll" on a UK date: the pupil has not left, or leaves after that day. One spelling for raw SQL, EF
/// queries and the rule engine (<see cref="ConsentRules.IsOnRoll"/>, which it follows).
/// </summary>
public static class OnRoll
{
    /// <summary>The SQL condition on pupil alias <paramref name="pupil"/>, against the parameter @today (bind <see cref="UkCalendar.DateOf"/>).</summary>
    public static string Sql(string pupil = "p") => $"({pupil}.left_on IS NULL OR {pupil}.left_on > @today)";

    /// <summary>The same condition for EF queries.</summary>
    public static Expression<Func<Pupil, bool>> On(DateOnly today) => p => p.LeftOn == null || p.LeftOn > today;
}
