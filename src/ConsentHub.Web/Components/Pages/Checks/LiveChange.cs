using ConsentHub.Checks;

namespace ConsentHub.Web.Components.Pages.Checks;

/// <summary>
/// One pupil whose answer changed while a session grid was open, said as a teacher would say it
/// ("Thảo Đặng: consent withdrawn"), so the change is seen by name and not only as a different count.
/// </summary>
public sealed record LiveChange(Guid PupilId, string Name, CheckAnswer Now, string What, DateTimeOffset At)
{
    /// <summary>How long a change stays listed above the grid (later changes are added in front).</summary>
    public static readonly TimeSpan ShownFor = TimeSpan.FromMinutes(10);

    public static IEnumerable<LiveChange> Between(CheckSession.Result before, CheckSession.Result after, DateTimeOffset at)
    {
        var old = before.Pupils.ToDictionary(p => p.PupilId);
        foreach (var row in after.Pupils)
        {
            if (!old.TryGetValue(row.PupilId, out var was)) continue;
            if (was.Check.Answer == row.Check.Answer && was.DoNotFeature == row.DoNotFeature) continue;
            yield return new LiveChange(row.PupilId, row.Name, row.Check.Answer, Describe(was, row), at);
        }
    }

    private static string Describe(CheckSession.Row was, CheckSession.Row now)
    {
        // A safeguarding flag or pause is never explained on this page: only that the pupil must not be featured.
        if (now.DoNotFeature && !was.DoNotFeature) return "now must not be featured";
        return (was.Check.Answer, now.Check.Answer) switch
        {
            (CheckAnswer.Yes, CheckAnswer.No) => "consent withdrawn",
            (CheckAnswer.Yes, _) => "consent no longer in place",
            (_, CheckAnswer.Yes) => "consent given",
            (CheckAnswer.NotYet, CheckAnswer.No) => "consent refused",
            _ => "answer changed",
        };
    }
}
