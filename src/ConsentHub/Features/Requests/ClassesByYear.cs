namespace ConsentHub.Requests;

/// <summary>
/// The classes of an academy grouped under their year group, youngest year first, as the issuing page orders them
/// (<see cref="ListIssueChoices.GroupsAsync"/>: a class belongs to the youngest year of its pupils, "7B" before
/// "10A"). Pickers of a class or a year (the teacher's check, the do-not-feature print) show one section per year.
/// </summary>
public static class ClassesByYear
{
    public sealed record Section(ListIssueChoices.YearChoice Year, IReadOnlyList<ListIssueChoices.GroupChoice> Classes);

    public static IReadOnlyList<Section> Of(ListIssueChoices.Groups? groups)
    {
        if (groups is null) return [];
        var years = groups.Years.ToDictionary(y => y.Value);
        // A class always has a year with pupils; should one not (a race between the two reads), it still gets a section.
        foreach (var c in groups.Classes)
            years.TryAdd(c.Year, new ListIssueChoices.YearChoice(c.Year, c.YearName, 0));
        return [.. years.Values.OrderBy(y => y.Value)
            .Select(y => new Section(y, [.. groups.Classes.Where(c => c.Year == y.Value)]))];
    }
}
