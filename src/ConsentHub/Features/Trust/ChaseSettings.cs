using System.Globalization;

namespace ConsentHub.Trust;

/// <summary>What the reminder offsets count from.</summary>
public enum ChaseAnchor
{
    /// <summary>Days after the request was issued (default: 3, 7 and 14).</summary>
    AfterIssue = 0,

    /// <summary>Days before the request's deadline, e.g. 14, 7 and 3 days before.</summary>
    BeforeDeadline = 1,
}

/// <summary>
/// The trust's chase schedule, kept on its <c>trusts</c> row (one deployment serves one trust): when reminders go,
/// when nothing is sent, and when a party who still has not answered goes on the office follow-up list.
/// </summary>
public sealed record ChaseSettings(
    ChaseAnchor Anchor,
    IReadOnlyList<int> OffsetsDays,
    TimeOnly QuietFrom,
    TimeOnly QuietUntil,
    bool SkipWeekends,
    int FollowUpAfterDays)
{
    public const int MaxReminders = 6;

    public static ChaseSettings Default { get; } = new(ChaseAnchor.AfterIssue, [3, 7, 14], new TimeOnly(21, 0), new TimeOnly(7, 0), SkipWeekends: false, FollowUpAfterDays: 2);

    /// <summary>Problems with these settings, keyed by field; empty when they can be saved.</summary>
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (OffsetsDays.Count is 0 or > MaxReminders)
            errors["offsets"] = [$"Give between 1 and {MaxReminders} reminder days."];
        else if (OffsetsDays.Any(d => d is < 1 or > 120))
            errors["offsets"] = ["Each reminder day must be between 1 and 120."];
        else if (OffsetsDays.Distinct().Count() != OffsetsDays.Count)
            errors["offsets"] = ["Each reminder day may appear only once."];
        if (QuietFrom == QuietUntil)
            errors["quietHours"] = ["Quiet hours must start and end at different times."];
        if (FollowUpAfterDays is < 0 or > 60)
            errors["followUpAfterDays"] = ["The follow-up delay must be between 0 and 60 days."];
        return errors;
    }

    /// <summary>The reminder days in the order they fall: ascending after issue, descending before the deadline.</summary>
    public IReadOnlyList<int> OrderedOffsets() => Anchor == ChaseAnchor.AfterIssue
        ? [.. OffsetsDays.Order()]
        : [.. OffsetsDays.OrderDescending()];

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{string.Join(", ", OrderedOffsets())} days {(Anchor == ChaseAnchor.AfterIssue ? "after issue" : "before the deadline")}; quiet {QuietFrom:HH\\:mm}–{QuietUntil:HH\\:mm}{(SkipWeekends ? ", not at weekends" : "")}; follow-up {FollowUpAfterDays} day{(FollowUpAfterDays == 1 ? "" : "s")} after the last reminder");
}
