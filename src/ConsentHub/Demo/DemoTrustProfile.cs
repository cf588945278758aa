namespace ConsentHub.Trust.Demo;

/// <summary>
/// What <see cref="DemoTrustGenerator"/> builds. The same profile (seed included) always gives the same rows on the
/// same .NET runtime, so a demo, a failing test and a benchmark can be reproduced exactly.
/// </summary>
/// <param name="Seed">Seed for the one <see cref="Random"/> every choice is drawn from.</param>
/// <param name="Regions">Regions the academies are spread over.</param>
/// <param name="Academies">At least six: the first six are two primaries (N1–6), two 11–16 schools, an 11–18 school and an all-through (N1–13).</param>
/// <param name="Pupils">Exactly this many pupils, leavers included.</param>
/// <param name="ContactsTarget">Roughly this many contacts: siblings share parents, so the generator aims for it by how often a pupil joins an existing family.</param>
/// <param name="SafeguardingFlags">Exactly this many pupils get an active "never feature" flag.</param>
/// <param name="FlaggedSixthFormers">Exactly this many sixth-formers are marked "also ask the parent", with a reason.</param>
/// <param name="EndedPostingPauses">Exactly this many posting pauses, all over before <see cref="AsOf"/>.</param>
public sealed record DemoTrustProfile(
    int Seed,
    int Regions,
    int Academies,
    int Pupils,
    int ContactsTarget,
    int SafeguardingFlags,
    int FlaggedSixthFormers,
    int EndedPostingPauses)
{
    /// <summary>A Tuesday in the autumn term of 2026/27: requests are out, answers are coming in.</summary>
    public static readonly DateTimeOffset DefaultAsOf = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The moment the data describes: dates of birth fit the academic year that contains it, and every request,
    /// answer and pause lies before it.
    /// </summary>
    public DateTimeOffset AsOf { get; init; } = DefaultAsOf;

    /// <summary>A trust small enough to click through: six academies, about 3,000 pupils.</summary>
    public static DemoTrustProfile Demo { get; } = new(
        Seed: 2026_09_01, Regions: 3, Academies: 6, Pupils: 3_000, ContactsTarget: 5_000,
        SafeguardingFlags: 1, FlaggedSixthFormers: 3, EndedPostingPauses: 1);

    /// <summary>A large trust for benchmarks: 30 academies, 30,000 pupils, about 50,000 contacts.</summary>
    public static DemoTrustProfile Large { get; } = new(
        Seed: 2026_09_02, Regions: 5, Academies: 30, Pupils: 30_000, ContactsTarget: 50_000,
        SafeguardingFlags: 30, FlaggedSixthFormers: 40, EndedPostingPauses: 3);
}
