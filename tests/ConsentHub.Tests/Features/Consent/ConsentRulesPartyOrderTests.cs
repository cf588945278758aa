using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using static ConsentHub.Tests.Consent.FactsBuilder;

namespace ConsentHub.Tests.Consent;

/// <summary>
/// The order a pupil's parents are listed and described in: by display name (ordinal), then by contact id, with
/// only the contacts who count (parental responsibility, no no-contact order). A teacher reads the parties in
/// this order in every decision, so it must not move when the contacts come in a different order.
/// </summary>
public sealed class ConsentRulesPartyOrderTests
{
    private static readonly Guid ZedId = Guid.Parse("00000000-0000-0000-0000-000000000003");
    private static readonly Guid BrownLow = Guid.Parse("00000000-0000-0000-0000-000000000001");
    private static readonly Guid BrownHigh = Guid.Parse("00000000-0000-0000-0000-000000000002");
    private static readonly Guid Olafur = Guid.Parse("00000000-0000-0000-0000-000000000004");

    private static readonly ContactFacts[] Contacts =
    [
        new(ZedId, "Mr Zed Okafor", true, false),
        new(BrownHigh, "Mrs Ada Brown", true, false),
        new(Gran, "Mrs Ada Jones", false, false),                                              // no parental responsibility
        new(Olafur, "Ólafur Jónsson", true, false),
        new(Guid.Parse("00000000-0000-0000-0000-000000000005"), "Ms Łucja Nowak", true, true),  // no-contact order
        new(BrownLow, "Mrs Ada Brown", true, false),
    ];

    private static readonly PurposeFacts Purpose = new("academy-social", "Academy social media", LawfulBasis.Consent, PurposeValidity.UntilWithdrawn, true);

    private static ConsentDecision Decide(IReadOnlyList<ContactFacts> contacts) =>
        ConsentRules.Decide(new ConsentFacts(new PupilFacts(YearGroup.Year(3), null, false, false, contacts), Purpose, [], [], true,
            new ConsentRuleSettings(RequireEveryParentalResponsibilityHolder: true)), Now);

    [Fact]
    public void Year3_ParentsWhoCount_AreListedByNameThenId_OthersLeftOut()
    {
        var decision = Decide(Contacts);

        Assert.Equal([ZedId, BrownLow, BrownHigh, Olafur], decision.RequiredParties.Select(p => p.ContactId!.Value));
        Assert.Contains("Mr Zed Okafor has not answered yet; Mrs Ada Brown has not answered yet; Mrs Ada Brown has not answered yet; Ólafur Jónsson has not answered yet",
            decision.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("Mrs Ada Jones", decision.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("Ms Łucja Nowak", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Year3_ContactsInAnyOrder_GiveTheSameOrderAsSortingByNameThenId()
    {
        var expected = Contacts.Where(ConsentRules.Counts).OrderBy(c => c.DisplayName, StringComparer.Ordinal).ThenBy(c => c.ContactId)
            .Select(c => c.ContactId).ToList();
        var random = new Random(19);
        for (var i = 0; i < 200; i++)
        {
            var shuffled = Contacts.ToArray();
            random.Shuffle(shuffled);
            Assert.Equal(expected, Decide(shuffled).RequiredParties.Select(p => p.ContactId!.Value).ToList());
        }
    }
}
