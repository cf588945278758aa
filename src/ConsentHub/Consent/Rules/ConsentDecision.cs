namespace ConsentHub.Consent.Rules;

/// <summary>Why a party's answer counts, or not, in this decision.</summary>
public enum PartyState
{
    NotAnswered = 0,
    Granted = 1,
    Refused = 2,
    Withdrawn = 3,
    Expired = 4,
}

/// <summary>A party whose answer the rules require, with their latest counted answer.</summary>
public sealed record RequiredParty(PartyKind Kind, Guid? ContactId, string DisplayName, PartyState State, AnswerFacts? LatestAnswer, DateOnly? ExpiredOn);

/// <summary>The rules' answer for one pupil × purpose, with one sentence a teacher understands.</summary>
public sealed record ConsentDecision(
    ConsentStatus Status,
    string Reason,
    IReadOnlyList<RequiredParty> RequiredParties,
    bool DoNotFeature,
    bool Conflict);
