using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Pupils;
using ConsentHub.Requests;
using ConsentHub.Trust;
using ConsentHub.Trust.Demo;

namespace ConsentHub.Tests.Trust;

/// <summary>
/// Turns a generated trust into the facts the rule engine takes, as the status checks will from the database:
/// a pupil is "requested" once any form went to anyone about them, answers keep their append order, and pauses
/// count when they cover the pupil's academy, its region or the whole trust.
/// </summary>
internal static class DemoTrustFacts
{
    public sealed record Evaluated(Pupil Pupil, Purpose Purpose, ConsentDecision Decision);

    public static IEnumerable<Evaluated> DecideAll(DemoTrust trust)
    {
        var academies = trust.Academies.ToDictionary(a => a.Id);
        var neverFeature = trust.SafeguardingFlags.Where(f => f.ClearedAt is null).Select(f => f.PupilId).ToHashSet();
        var requested = trust.SignatureRequests.Where(r => r.Status != RequestStatus.Cancelled).Select(r => r.PupilId).ToHashSet();
        var answers = trust.ConsentAnswers
            .Select((a, i) => (a, Sequence: i + 1L))
            .ToLookup(x => (x.a.PupilId, x.a.PurposeId));

        foreach (var pupil in trust.Pupils)
        {
            var academy = academies[pupil.AcademyId];
            var pauses = trust.PostingPauses
                .Where(p => p.Scope switch
                {
                    PauseScope.Academy => p.ScopeId == academy.Id,
                    PauseScope.Region => p.ScopeId == academy.RegionId,
                    _ => true,
                })
                .Select(p => new PauseFacts(p.From, p.Until, p.Reason))
                .ToList();
            var facts = new PupilFacts(
                new YearGroup(pupil.YearGroup),
                pupil.LeftOn,
                pupil.AlsoAskParent,
                neverFeature.Contains(pupil.Id),
                pupil.Contacts.Select(c => new ContactFacts(c.ContactId, c.Contact!.DisplayName, c.HasParentalResponsibility, c.NoContactOrder)).ToList());

            foreach (var purpose in trust.Reference.Purposes)
            {
                var purposeFacts = new PurposeFacts(purpose.Key, purpose.Name, purpose.LawfulBasis,
                    new PurposeValidity(purpose.ValidityKind, purpose.ValidityMonths), purpose.PublishesOnTrustAccounts);
                var given = answers[(pupil.Id, purpose.Id)]
                    .Select(x => new AnswerFacts(x.a.PartyKind, x.a.ContactId, x.a.Kind, x.a.At, x.Sequence))
                    .ToList();
                var decision = ConsentRules.Decide(new ConsentFacts(facts, purposeFacts, given, pauses, requested.Contains(pupil.Id)), trust.Profile.AsOf);
                yield return new Evaluated(pupil, purpose, decision);
            }
        }
    }
}
