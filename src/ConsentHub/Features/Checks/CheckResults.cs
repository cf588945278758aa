using ConsentHub.Consent;
using ConsentHub.Consent.Rules;

namespace ConsentHub.Checks;

/// <summary>The teacher's answer for one purpose: the three words a teacher acts on.</summary>
public enum CheckAnswer
{
    /// <summary>May be photographed and featured for this purpose now.</summary>
    Yes = 0,

    /// <summary>Must not be featured for this purpose.</summary>
    No = 1,

    /// <summary>Nobody has answered yet, or not everyone who must: treat as no until it changes.</summary>
    NotYet = 2,
}

/// <summary>
/// One purpose on a teacher's card. Holds no contact of the pupil, no parent's name and never a safeguarding
/// reason: <see cref="Reason"/> says "a parent", "the pupil", or only "Do not photograph or feature."
/// </summary>
public sealed record PurposeCheck(string Key, string Name, CheckAnswer Answer, string Reason, DateTimeOffset? AnsweredAt);

/// <summary>
/// What a teacher sees of one pupil. <see cref="DoNotFeature"/> is the banner: a safeguarding flag or a posting
/// pause; the card never says which, or why. <see cref="ChangedAt"/> is when any of it last changed.
/// </summary>
public sealed record PupilCheckCard(
    Guid PupilId,
    Guid AcademyId,
    string Name,
    string YearGroup,
    string? RegistrationGroup,
    bool DoNotFeature,
    DateTimeOffset ChangedAt,
    IReadOnlyList<PurposeCheck> Purposes)
{
    public PurposeCheck? For(string purposeKey) => Purposes.FirstOrDefault(p => p.Key == purposeKey);

    /// <summary>The teacher's view of the rule engine's decisions for a pupil.</summary>
    public static PupilCheckCard From(PupilConsent consent)
    {
        ArgumentNullException.ThrowIfNull(consent);
        var purposes = consent.Purposes
            .Select(p => new PurposeCheck(p.Key, p.Name, AnswerFor(p.Decision.Status), ReasonFor(p.Decision), p.LastAnsweredAt))
            .ToList();
        return new PupilCheckCard(consent.PupilId, consent.AcademyId, consent.DisplayName, consent.YearGroup.DisplayName,
            consent.RegistrationGroup, consent.DoNotFeature, consent.FactsChangedAt ?? DateTimeOffset.MinValue, purposes);
    }

    public static CheckAnswer AnswerFor(ConsentStatus status) => status switch
    {
        ConsentStatus.Allowed => CheckAnswer.Yes,
        ConsentStatus.NotAllowed => CheckAnswer.No,
        _ => CheckAnswer.NotYet,
    };

    /// <summary>
    /// One line a teacher understands, naming no parent: the rule engine's own sentence names the people who
    /// answered, which a teacher has no need to see. Overrides (a flag, a pause, a leaver) keep the engine's
    /// wording, which never carries the reason for a flag.
    /// </summary>
    public static string ReasonFor(ConsentDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.Ground != DecisionGround.Answers) return decision.Reason;
        var parties = decision.RequiredParties;
        switch (decision.Status)
        {
            case ConsentStatus.NotAllowed:
                var objections = parties.Where(p => p.State is PartyState.Refused or PartyState.Withdrawn).Select(Describe).ToList();
                return objections.Count == 0 ? "Must not be used." : Sentence(objections) + (decision.Conflict ? " The answers disagree, so the refusal applies." : "");
            case ConsentStatus.Allowed:
                var grants = parties.Where(p => p.State == PartyState.Granted).Select(Describe).ToList();
                return grants.Count == 0 ? "Used without consent (public task or legitimate interests); nobody has objected." : Sentence(grants);
            case ConsentStatus.NotRequested when decision.MissingParent:
                return NoParentRecorded;
            case ConsentStatus.NotRequested:
                return "Nobody has been asked yet.";
            default:
                var known = parties.Where(p => p.State is PartyState.Granted or PartyState.Expired).Select(Describe).ToList();
                var waiting = new List<string>();
                if (parties.Any(p => p.Kind == PartyKind.Contact && p.State == PartyState.NotAnswered)
                    && !parties.Any(p => p.Kind == PartyKind.Contact && p.State == PartyState.Granted))
                    waiting.Add("a parent");
                if (parties.Any(p => p.Kind == PartyKind.Pupil && p.State == PartyState.NotAnswered)) waiting.Add("the pupil");
                if (waiting.Count > 0) known.Add("waiting for " + string.Join(" and ", waiting));
                if (decision.MissingParent) known.Add(ConsentRules.NoParentRecorded);
                return known.Count == 0 ? "Waiting for an answer." : Sentence(known);
        }
    }

    /// <summary>The teacher's words when nobody recorded may answer as the parent: no names, no court orders.</summary>
    public static readonly string NoParentRecorded = char.ToUpperInvariant(ConsentRules.NoParentRecorded[0]) + ConsentRules.NoParentRecorded[1..] + ".";

    private static string Describe(RequiredParty p)
    {
        var who = p.Kind == PartyKind.Pupil ? "the pupil" : "a parent";
        var at = p.LatestAnswer is { } a ? UkCalendar.Format(a.At) : "";
        return p.State switch
        {
            PartyState.Granted => $"{who} agreed on {at}",
            PartyState.Refused => $"{who} refused on {at}",
            PartyState.Withdrawn => $"{who} withdrew consent on {at}",
            PartyState.Expired => $"{who}'s consent expired on {UkCalendar.Format(p.ExpiredOn!.Value)}",
            _ => $"waiting for {who}",
        };
    }

    private static string Sentence(IReadOnlyList<string> parts)
    {
        var text = string.Join("; ", parts);
        return char.ToUpperInvariant(text[0]) + text[1..] + ".";
    }
}

/// <summary>A pupil a teacher's search found: enough to pick the right child, nothing more.</summary>
public sealed record CheckablePupil(Guid PupilId, string Name, string YearGroup, string? RegistrationGroup);
