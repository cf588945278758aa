using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Tests.Consent;
using static ConsentHub.Consent.AnswerKind;
using static ConsentHub.Tests.Consent.FactsBuilder;

namespace ConsentHub.Tests.Checks;

/// <summary>The line a teacher reads for each kind of decision: no parent's name, no court order, no reason for a flag.</summary>
public sealed class TeacherReasonTests
{
    private static readonly DateTimeOffset Sept3 = new(2026, 9, 3, 9, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, (Func<FactsBuilder> Facts, string Reason)> Cases = new()
    {
        ["NeverAsked"] = (() => Year(3).NotRequested(), "Nobody has been asked yet."),
        ["NoContactsAtAll"] = (() => Year(3).NoContacts().NotRequested(), "No parent who can give consent is recorded — ask the office to add one."),
        ["OnlyACourtOrderParent_NamesNobody"] = (() => Year(3).MumHasNoContactOrder(), "No parent who can give consent is recorded — ask the office to add one."),
        ["Year8_PupilAgreed_NoParentRecorded"] = (() => Year(8).NoContacts().Pupil(Grant, Sept3), "The pupil agreed on 3 Sep 2026; no parent who can give consent is recorded — ask the office to add one."),
        ["Year8_NoOneAnswered_NoParentRecorded"] = (() => Year(8).NoContacts(), "Waiting for the pupil; no parent who can give consent is recorded — ask the office to add one."),
        ["WaitingForAParent"] = (() => Year(3), "Waiting for a parent."),
        ["Agreed"] = (() => Year(3).Parent(Mum, Grant, Sept3), "A parent agreed on 3 Sep 2026."),
        ["Paused"] = (() => Year(3).Parent(Mum, Grant).Paused(Now.AddDays(-1), null), "Posting paused until further notice: nothing may be posted on trust accounts, so do not photograph or feature."),
    };

    public static TheoryData<string> Names() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void TeacherSees(string name)
    {
        var (facts, expected) = Cases[name];
        var reason = PupilCheckCard.ReasonFor(ConsentRules.Decide(facts().Build(), Now));
        Assert.Equal(expected, reason);
        Assert.DoesNotContain("Smith", reason, StringComparison.Ordinal);
    }
}
