using ConsentHub.Consent;
using ConsentHub.Consent.Rules;

namespace ConsentHub.Checks;

/// <summary>A pupil's consent for each purpose, as a teacher or the API sees it.</summary>
public sealed record PupilConsent(
    Guid PupilId,
    Guid AcademyId,
    string DisplayName,
    YearGroup YearGroup,
    string? RegistrationGroup,
    bool DoNotFeature,
    IReadOnlyList<PurposeConsent> Purposes)
{
    /// <summary>When the facts behind these decisions last changed (an answer, a flag, a move of class).</summary>
    public DateTimeOffset? FactsChangedAt { get; init; }

    /// <summary>In the changes feed: when this pupil's decisions last changed (the feed's order and cursor).</summary>
    public DateTimeOffset? FeedChangedAt { get; init; }
}

/// <param name="LastChangedAt">When the decision last changed: the facts row's time, or a pause, expiry or leaving date since.</param>
public sealed record PurposeConsent(Guid PurposeId, string Key, string Name, ConsentDecision Decision, DateTimeOffset? LastChangedAt)
{
    /// <summary>The stated time of the latest answer on file for this purpose (counted or not); null when none.</summary>
    public DateTimeOffset? LastAnsweredAt { get; init; }
}

/// <summary>Which pupils a roster covers: an academy, optionally one class or year group.</summary>
public sealed record RosterFilter(Guid AcademyId, string? RegistrationGroup = null, YearGroup? YearGroup = null, bool IncludeLeavers = false);
