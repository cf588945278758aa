using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using CsCheck;

namespace ConsentHub.Tests.Consent;

/// <summary>Properties that hold for any pupil, any contacts and any history of answers.</summary>
public sealed class ConsentRulesPropertyTests
{
    private static readonly DateTimeOffset Now = FactsBuilder.Now;
    private static readonly Guid[] ContactIds = [FactsBuilder.Mum, FactsBuilder.Dad, FactsBuilder.Gran];

    private static readonly Gen<ContactFacts> GenContact =
        Gen.Select(Gen.Int[0, 2], Gen.Bool, Gen.Int[0, 9], (i, pr, order) => new ContactFacts(ContactIds[i], "Contact " + i, pr, order == 0));

    private static readonly Gen<AnswerFacts> GenAnswer =
        Gen.Select(Gen.Int[0, 3], Gen.Enum<AnswerKind>(), Gen.Int[0, 800], Gen.Int[0, 3], (who, kind, daysAgo, hour) =>
            new AnswerFacts(who == 3 ? PartyKind.Pupil : PartyKind.Contact, who == 3 ? null : ContactIds[who], kind,
                Now.AddDays(-daysAgo).AddHours(-hour), 0));

    private static readonly Gen<PurposeValidity> GenValidity = Gen.OneOf<PurposeValidity>(
        PurposeValidity.UntilWithdrawn, PurposeValidity.EndOfAcademicYear, PurposeValidity.ForMonths(12), PurposeValidity.ForMonths(3));

    private static readonly Gen<ConsentFacts> GenFacts =
        Gen.Select(
            Gen.Int[YearGroup.MinValue, YearGroup.MaxValue],
            GenContact.Array[0, 3],
            GenAnswer.Array[0, 8],
            Gen.Bool,
            Gen.Enum<LawfulBasis>(),
            GenValidity,
            Gen.Bool,
            Gen.Bool)
        .Select(t =>
        {
            var (year, contacts, answers, alsoAsk, basis, validity, requested, everyHolder) = t;
            var distinct = contacts.DistinctBy(c => c.ContactId).ToList();
            // Unique, increasing append order, as the store assigns it.
            var ordered = answers.Select((a, i) => a with { Sequence = i + 1 }).ToList();
            return new ConsentFacts(
                new PupilFacts(new YearGroup(year), null, alsoAsk, false, distinct),
                new PurposeFacts("p", "Purpose", basis, validity, true),
                ordered, [], requested, new ConsentRuleSettings(everyHolder));
        });

    [Fact]
    public void AddingACountedRefusal_NeverYieldsAllowed()
    {
        Gen.Select(GenFacts, Gen.Int[0, 10]).Sample((facts, pick) =>
        {
            var parties = ConsentRules.RequiredPartiesFor(facts, facts.Settings!, UkCalendar.DateOf(Now));
            if (parties.Count == 0) return true;
            var party = parties[pick % parties.Count];
            // The party's newest answer: as late as any answer in the history (which may be "now" itself), appended last.
            var refusal = new AnswerFacts(party.Kind, party.ContactId, AnswerKind.Refuse, Now, facts.Answers.Count + 1);
            var after = ConsentRules.Decide(facts with { Answers = [.. facts.Answers, refusal] }, Now);
            return after.Status != ConsentStatus.Allowed;
        });
    }

    [Fact]
    public void AddingAnyRefusalAnywhere_NeverTurnsANoIntoAYes()
    {
        Gen.Select(GenFacts, GenAnswer).Sample((facts, extra) =>
        {
            var before = ConsentRules.Decide(facts, Now).Status;
            var refusal = extra with { Kind = AnswerKind.Refuse, Sequence = facts.Answers.Count + 1 };
            var after = ConsentRules.Decide(facts with { Answers = [.. facts.Answers, refusal] }, Now).Status;
            return after != ConsentStatus.Allowed || before == ConsentStatus.Allowed;
        });
    }

    [Fact]
    public void Allowed_ImpliesEveryRequiredPartysLatestCountedAnswerIsAGrant()
    {
        GenFacts.Sample(facts =>
        {
            var decision = ConsentRules.Decide(facts, Now);
            if (decision.Status != ConsentStatus.Allowed || facts.Purpose.LawfulBasis != LawfulBasis.Consent) return true;
            var answered = decision.RequiredParties.Where(p => p.State != PartyState.NotAnswered).ToList();
            var pupilOk = !ConsentRules.NeedsPupil(facts.Pupil) || decision.RequiredParties.Any(p => p.Kind == PartyKind.Pupil && p.State == PartyState.Granted);
            var parentOk = !ConsentRules.NeedsParent(facts.Pupil) || decision.RequiredParties.Any(p => p.Kind == PartyKind.Contact && p.State == PartyState.Granted);
            return answered.Count > 0 && answered.All(p => p.State == PartyState.Granted && p.LatestAnswer!.Kind == AnswerKind.Grant) && pupilOk && parentOk;
        });
    }

    [Fact]
    public void TheOrderAnswersAreListedIn_NeverChangesTheDecision()
    {
        Gen.Select(GenFacts, Gen.Int).Sample((facts, seed) =>
        {
            var rng = new Random(seed);
            List<AnswerFacts> shuffled = [.. facts.Answers.OrderBy(_ => rng.Next())];
            var a = ConsentRules.Decide(facts, Now);
            var b = ConsentRules.Decide(facts with { Answers = shuffled }, Now);
            return a.Status == b.Status && a.Reason == b.Reason;
        });
    }

    [Fact]
    public void AnswersAtTheSameInstant_AreOrderedByTheirRecording()
    {
        var at = Now.AddDays(-1);
        var grantThenRefuse = new ConsentFacts(
            new PupilFacts(YearGroup.Year(2), null, false, false, [new ContactFacts(FactsBuilder.Mum, "Mrs Jane Smith", true, false)]),
            new PurposeFacts("p", "Purpose", LawfulBasis.Consent, PurposeValidity.UntilWithdrawn, true),
            [new AnswerFacts(PartyKind.Contact, FactsBuilder.Mum, AnswerKind.Grant, at, 1), new AnswerFacts(PartyKind.Contact, FactsBuilder.Mum, AnswerKind.Refuse, at, 2)],
            [], true);
        var refuseThenGrant = grantThenRefuse with
        {
            Answers = [new AnswerFacts(PartyKind.Contact, FactsBuilder.Mum, AnswerKind.Refuse, at, 1), new AnswerFacts(PartyKind.Contact, FactsBuilder.Mum, AnswerKind.Grant, at, 2)],
        };
        Assert.Equal(ConsentStatus.NotAllowed, ConsentRules.Decide(grantThenRefuse, Now).Status);
        Assert.Equal(ConsentStatus.Allowed, ConsentRules.Decide(refuseThenGrant, Now).Status);
    }
}
