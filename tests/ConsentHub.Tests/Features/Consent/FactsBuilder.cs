using ConsentHub.Consent;
using ConsentHub.Consent.Rules;

namespace ConsentHub.Tests.Consent;

/// <summary>Small builder so each rule case reads as one line of intent.</summary>
internal sealed class FactsBuilder
{
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    public static readonly Guid Mum = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    public static readonly Guid Dad = Guid.Parse("00000000-0000-0000-0000-00000000000b");
    public static readonly Guid Gran = Guid.Parse("00000000-0000-0000-0000-00000000000c");

    private YearGroup _year = YearGroup.Year(3);
    private DateOnly? _leftOn;
    private bool _alsoAskParent;
    private bool _neverFeature;
    private bool _requested = true;
    private readonly List<ContactFacts> _contacts = [new(Mum, "Mrs Jane Smith", true, false)];
    private readonly List<AnswerFacts> _answers = [];
    private readonly List<PauseFacts> _pauses = [];
    private PurposeFacts _purpose = new("academy-social", "Academy social media", LawfulBasis.Consent, PurposeValidity.UntilWithdrawn, true);
    private ConsentRuleSettings _settings = ConsentRuleSettings.Default;
    private long _sequence;

    public static FactsBuilder Year(int year) => new() { _year = YearGroup.Year(year) };
    public static FactsBuilder Reception() => new() { _year = YearGroup.Reception };
    public static FactsBuilder Nursery() => new() { _year = YearGroup.Nursery1 };

    public FactsBuilder WithDad(bool pr = true, bool noContact = false)
    {
        _contacts.Add(new ContactFacts(Dad, "Mr John Smith", pr, noContact));
        return this;
    }

    public FactsBuilder WithGran() // a contact without parental responsibility
    {
        _contacts.Add(new ContactFacts(Gran, "Mrs Ada Jones", false, false));
        return this;
    }

    public FactsBuilder MumHasNoContactOrder()
    {
        _contacts[0] = _contacts[0] with { NoContactOrder = true };
        return this;
    }

    public FactsBuilder NoContacts()
    {
        _contacts.Clear();
        return this;
    }

    public FactsBuilder Parent(Guid contact, AnswerKind kind, DateTimeOffset? at = null, DateOnly? formValidThrough = null)
    {
        _answers.Add(new AnswerFacts(PartyKind.Contact, contact, kind, at ?? Now.AddDays(-30), ++_sequence, formValidThrough));
        return this;
    }

    public FactsBuilder Pupil(AnswerKind kind, DateTimeOffset? at = null)
    {
        _answers.Add(new AnswerFacts(PartyKind.Pupil, null, kind, at ?? Now.AddDays(-30), ++_sequence));
        return this;
    }

    public FactsBuilder AlsoAskParent()
    {
        _alsoAskParent = true;
        return this;
    }

    public FactsBuilder NeverFeature()
    {
        _neverFeature = true;
        return this;
    }

    public FactsBuilder Left(DateOnly on)
    {
        _leftOn = on;
        return this;
    }

    public FactsBuilder NotRequested()
    {
        _requested = false;
        return this;
    }

    public FactsBuilder Paused(DateTimeOffset from, DateTimeOffset? until)
    {
        _pauses.Add(new PauseFacts(from, until, "crisis"));
        return this;
    }

    public FactsBuilder Purpose(LawfulBasis basis = LawfulBasis.Consent, PurposeValidity? validity = null, bool publishes = true)
    {
        _purpose = _purpose with { LawfulBasis = basis, Validity = validity ?? PurposeValidity.UntilWithdrawn, PublishesOnTrustAccounts = publishes };
        return this;
    }

    public FactsBuilder RequireEveryParent()
    {
        _settings = _settings with { RequireEveryParentalResponsibilityHolder = true };
        return this;
    }

    public ConsentFacts Build() =>
        new(new PupilFacts(_year, _leftOn, _alsoAskParent, _neverFeature, _contacts.ToList()), _purpose, _answers.ToList(), _pauses.ToList(), _requested, _settings);
}
