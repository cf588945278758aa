namespace ConsentHub.Consent.Rules;

/// <summary>How long a grant for a purpose counts.</summary>
public sealed record PurposeValidity(ValidityKind Kind, int Months = 0)
{
    public static PurposeValidity UntilWithdrawn { get; } = new(ValidityKind.UntilWithdrawn);
    public static PurposeValidity EndOfAcademicYear { get; } = new(ValidityKind.EndOfAcademicYear);
    public static PurposeValidity ForMonths(int months) => new(ValidityKind.Months, months);
}

/// <summary>The purpose (channel of use) being decided.</summary>
public sealed record PurposeFacts(string Key, string Name, LawfulBasis LawfulBasis, PurposeValidity Validity, bool PublishesOnTrustAccounts);

/// <summary>A parent or carer linked to the pupil.</summary>
public sealed record ContactFacts(Guid ContactId, string DisplayName, bool HasParentalResponsibility, bool NoContactOrder);

/// <summary>
/// One recorded answer for this pupil and purpose. <paramref name="Sequence"/> is the append order in the
/// store and breaks ties between answers recorded at the same instant. <paramref name="FormVersionValidThrough"/>
/// is set when the trust retired the wording the answer was given on and asked for it to be renewed.
/// </summary>
public sealed record AnswerFacts(
    PartyKind PartyKind,
    Guid? ContactId,
    AnswerKind Kind,
    DateTimeOffset At,
    long Sequence,
    DateOnly? FormVersionValidThrough = null);

/// <summary>A posting pause (§4.7) that covers the pupil's academy (directly, through its region, or trust-wide).</summary>
public sealed record PauseFacts(DateTimeOffset From, DateTimeOffset? Until, string Reason);

/// <summary>Everything the rules need about one pupil; no database, no clock.</summary>
public sealed record PupilFacts(
    YearGroup YearGroup,
    DateOnly? LeftOn,
    bool AlsoAskParent,
    bool NeverFeature,
    IReadOnlyList<ContactFacts> Contacts);

/// <summary>Trust-wide settings the rules respect.</summary>
public sealed record ConsentRuleSettings(bool RequireEveryParentalResponsibilityHolder = false, int AcademicYearStartMonth = 9, int AcademicYearStartDay = 1)
{
    public static ConsentRuleSettings Default { get; } = new();
}

/// <summary>The facts for one pupil × purpose decision.</summary>
public sealed record ConsentFacts(
    PupilFacts Pupil,
    PurposeFacts Purpose,
    IReadOnlyList<AnswerFacts> Answers,
    IReadOnlyList<PauseFacts> Pauses,
    bool Requested,
    ConsentRuleSettings? Settings = null);
