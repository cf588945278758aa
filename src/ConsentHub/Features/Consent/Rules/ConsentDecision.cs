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

/// <summary>What settled a decision: the parties' answers (the usual case), or a fact that overrides them.</summary>
public enum DecisionGround
{
    Answers = 0,
    NeverFeature = 1,
    Left = 2,
    PostingPause = 3,
}

/// <summary>The rules' answer for one pupil × purpose, with one sentence a teacher understands.</summary>
public sealed record ConsentDecision(
    ConsentStatus Status,
    string Reason,
    IReadOnlyList<RequiredParty> RequiredParties,
    bool DoNotFeature,
    bool Conflict)
{
    /// <summary>Lets a printed list give the kind of reason without parsing <see cref="Reason"/>.</summary>
    public DecisionGround Ground { get; init; }

    /// <summary>A parent must answer but nobody recorded may (none with parental responsibility and no court order).</summary>
    public bool MissingParent { get; init; }
}
