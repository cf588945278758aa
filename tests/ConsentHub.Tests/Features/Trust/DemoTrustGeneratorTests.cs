using System.Text.Json;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Testing.Ordering;
using ConsentHub.Trust;
using ConsentHub.Trust.Demo;

namespace ConsentHub.Tests.Trust;

[LongRunning(12)]
public sealed class DemoTrustGeneratorTests
{
    private static readonly Lazy<DemoTrust> LazyDemo = new(() => DemoTrustGenerator.Generate(DemoTrustProfile.Demo, DemoTrustReference.InMemory()));
    private static DemoTrust Demo => LazyDemo.Value;
    private static readonly string[] HomeLanguages = ["pl", "ro", "ur", "pa", "ar"];

    [Fact]
    public void SameProfile_GeneratesTheSameRows_IdsIncluded()
    {
        var again = DemoTrustGenerator.Generate(DemoTrustProfile.Demo, DemoTrustReference.InMemory());

        Assert.Equal(Snapshot(Demo), Snapshot(again));
    }

    [Fact]
    public void AnotherSeed_GeneratesOtherRows()
    {
        var other = DemoTrustGenerator.Generate(DemoTrustProfile.Demo with { Seed = 7 }, DemoTrustReference.InMemory());

        Assert.NotEqual(Snapshot(Demo), Snapshot(other));
        Assert.Equal(Demo.Pupils.Count, other.Pupils.Count);
    }

    [Fact]
    public void DemoProfile_HasThreeRegionsAndSixAcademiesOfEachKindThePolicyTreatsDifferently()
    {
        Assert.Equal(3, Demo.Regions.Count);
        Assert.Equal(3, Demo.Regions.Select(r => r.Name).Distinct().Count());
        Assert.Equal(6, Demo.Academies.Count);
        var kinds = Demo.Academies.Select(a => (a.Phase, a.LowestYear, a.HighestYear)).Order().ToList();
        Assert.Equal(
            [
                (AcademyPhase.Primary, -2, 6), (AcademyPhase.Primary, -2, 6),
                (AcademyPhase.Secondary, 7, 11), (AcademyPhase.Secondary, 7, 11), (AcademyPhase.Secondary, 7, 13),
                (AcademyPhase.AllThrough, -2, 13),
            ],
            kinds);
        Assert.All(Demo.Academies, a => Assert.Matches("^1[34][0-9]{4}$", a.Code));
        Assert.Equal(6, Demo.Academies.Select(a => a.Code).Distinct().Count());
        Assert.Equal(6, Demo.Academies.Select(a => a.Name).Distinct().Count());
        Assert.All(Demo.Regions, r => Assert.Contains(Demo.Academies, a => a.RegionId == r.Id));
    }

    [Fact]
    public void DemoProfile_PupilsFitTheirAcademyYearGroupAndAge()
    {
        Assert.Equal(3_000, Demo.Pupils.Count);
        var academies = Demo.Academies.ToDictionary(a => a.Id);
        Assert.All(Demo.Pupils, p =>
        {
            var academy = academies[p.AcademyId];
            Assert.True(academy.Teaches(new YearGroup(p.YearGroup)), $"{p.DisplayName} is in year {p.YearGroup} at {academy.Name}");
            // 2026/27: Year n was born 1 Sep (2021 − n) to 31 Aug (2022 − n).
            Assert.InRange(p.DateOfBirth, new DateOnly(2021 - p.YearGroup, 9, 1), new DateOnly(2022 - p.YearGroup, 8, 31));
            Assert.InRange(p.Contacts.Count, 1, 3);
            Assert.False(string.IsNullOrWhiteSpace(p.RegistrationGroup));
            if (p.YearGroup >= 7) Assert.StartsWith(p.YearGroup.ToString(System.Globalization.CultureInfo.InvariantCulture), p.RegistrationGroup, StringComparison.Ordinal);
        });
        Assert.All(Demo.Pupils.GroupBy(p => p.AcademyId), g => Assert.Equal(g.Count(), g.Select(p => p.MisId).Distinct().Count()));
        Assert.All(Enumerable.Range(-2, 16), y => Assert.Contains(Demo.Pupils, p => p.YearGroup == y));
        Assert.Contains(Demo.Pupils, p => p.LeftOn is { } left && left < DateOnly.FromDateTime(Demo.Profile.AsOf.UtcDateTime));
        Assert.Contains(Demo.Pupils, p => p.PreferredFirstName is not null);
        Assert.Contains(Demo.Pupils, p => p.RegistrationGroup is "7A" or "7B");
        Assert.Contains(Demo.Pupils, p => p.YearGroup <= 6 && p.RegistrationGroup is "Oak" or "Ash" or "Beech" or "Willow" or "Rowan" or "Elm" or "Hazel" or "Birch");
    }

    [Fact]
    public void DemoProfile_SiblingsShareContacts_AndContactsVaryAsRealOnesDo()
    {
        Assert.InRange(Demo.Contacts.Count, 4_500, 5_500);
        var linksPerContact = Demo.PupilContacts.GroupBy(pc => pc.ContactId).Select(g => g.Count()).ToList();
        Assert.Equal(Demo.Contacts.Count, linksPerContact.Count);
        Assert.Contains(linksPerContact, n => n >= 2);

        Assert.True(Demo.PupilContacts.Count(pc => pc.HasParentalResponsibility) > Demo.PupilContacts.Count * 3 / 4, "most contacts hold parental responsibility");
        Assert.Contains(Demo.PupilContacts, pc => !pc.HasParentalResponsibility && pc.Relationship.StartsWith("Grand", StringComparison.Ordinal));
        Assert.Contains(Demo.PupilContacts, pc => pc.NoContactOrder);

        var withEmail = Demo.Contacts.Where(c => c.Email is not null).ToList();
        Assert.InRange(withEmail.Count, Demo.Contacts.Count * 8 / 10, Demo.Contacts.Count - 1);
        Assert.All(withEmail, c => Assert.Matches(@"^[a-z0-9.]+@example\.(org|com)$", c.Email!));
        Assert.Equal(withEmail.Count, withEmail.Select(c => c.Email).Distinct().Count());
        Assert.All(Demo.Pupils.Where(p => p.SchoolEmail is not null), p => Assert.EndsWith("@example.com", p.SchoolEmail!, StringComparison.Ordinal));

        var languages = Demo.Contacts.GroupBy(c => c.PreferredLanguage).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(languages["en"] > Demo.Contacts.Count * 3 / 4, "mostly English");
        Assert.All(HomeLanguages, l => Assert.True(languages.ContainsKey(l), $"no contact prefers {l}"));

        var names = Demo.Pupils.Select(p => p.LegalFirstName + " " + p.LegalLastName).Concat(Demo.Contacts.Select(c => c.FirstName + " " + c.LastName)).ToList();
        Assert.Contains(names, n => n.Any(ch => ch > 127));
    }

    [Fact]
    public void DemoProfile_HasExactlyTheFlagsAndPausesAskedFor()
    {
        var flag = Assert.Single(Demo.SafeguardingFlags);
        Assert.Null(flag.ClearedAt);
        Assert.Contains(Demo.Pupils, p => p.Id == flag.PupilId && p.AcademyId == flag.AcademyId);

        var flagged = Demo.Pupils.Where(p => p.AlsoAskParent).ToList();
        Assert.Equal(DemoTrustProfile.Demo.FlaggedSixthFormers, flagged.Count);
        Assert.All(flagged, p =>
        {
            Assert.InRange(p.YearGroup, 12, 13);
            Assert.False(string.IsNullOrWhiteSpace(p.AlsoAskParentReason));
        });
        Assert.DoesNotContain(Demo.Pupils, p => !p.AlsoAskParent && p.AlsoAskParentReason is not null);

        var pause = Assert.Single(Demo.PostingPauses);
        Assert.True(pause.Until < Demo.Profile.AsOf, "the pause has ended");
        Assert.True(pause.From < pause.Until);
    }

    [Fact]
    public void DemoProfile_RequestsAndAnswersLieBeforeTheMoment_InTheOrderTheyWereRecorded()
    {
        var asOf = Demo.Profile.AsOf;
        Assert.All(Demo.SignatureRequests, r => Assert.True(r.IssuedAt < asOf));
        Assert.All(Demo.ConsentAnswers, a =>
        {
            Assert.True(a.At < asOf && a.RecordedAt < asOf && a.RecordedAt >= a.At);
            Assert.Equal(Demo.Reference.FormVersionId, a.FormVersionId);
        });
        Assert.Equal(Demo.ConsentAnswers.Select(a => a.RecordedAt).Order(), Demo.ConsentAnswers.Select(a => a.RecordedAt));

        // Forms go only to people whose answer counts.
        var links = Demo.PupilContacts.ToDictionary(pc => (pc.PupilId, pc.ContactId));
        Assert.All(Demo.SignatureRequests.Where(r => r.PartyKind == PartyKind.Contact), r =>
        {
            var link = links[(r.PupilId, r.ContactId!.Value)];
            Assert.True(link.HasParentalResponsibility && !link.NoContactOrder);
        });
        var requested = Demo.SignatureRequests.Select(r => r.PupilId).Distinct().Count();
        Assert.InRange(requested, Demo.Pupils.Count * 7 / 10, Demo.Pupils.Count * 95 / 100);
    }

    [Fact]
    public void DemoProfile_EveryStatusOccurs_WithConflictsExpiredGrantsAndPupilsWhoSayNo()
    {
        var decisions = DemoTrustFacts.DecideAll(Demo).ToList();

        Assert.Equal(Demo.Pupils.Count * Demo.Reference.Purposes.Count, decisions.Count);
        Assert.Equal(Enum.GetValues<ConsentStatus>().Order(), decisions.Select(d => d.Decision.Status).Distinct().Order());

        // Two parents who disagree.
        Assert.Contains(decisions, d => d.Decision.Conflict
            && d.Decision.RequiredParties.Any(p => p.Kind == PartyKind.Contact && p.State == PartyState.Granted)
            && d.Decision.RequiredParties.Any(p => p.Kind == PartyKind.Contact && p.State is PartyState.Refused or PartyState.Withdrawn));
        // A parent says yes, the pupil says no.
        Assert.Contains(decisions, d => d.Decision.Status == ConsentStatus.NotAllowed
            && d.Decision.RequiredParties.Any(p => p.Kind == PartyKind.Contact && p.State == PartyState.Granted)
            && d.Decision.RequiredParties.Any(p => p.Kind == PartyKind.Pupil && p.State == PartyState.Refused));
        // A grant that lapsed and needs renewing.
        Assert.Contains(decisions, d => d.Decision.Status == ConsentStatus.Pending && d.Decision.RequiredParties.Any(p => p.State == PartyState.Expired));
        // A withdrawal.
        Assert.Contains(decisions, d => d.Decision.RequiredParties.Any(p => p.State == PartyState.Withdrawn));
        // Safeguarding and leavers are never featured.
        Assert.Contains(decisions, d => d.Decision.DoNotFeature && d.Decision.Status == ConsentStatus.NotAllowed);
        Assert.Contains(decisions, d => d.Pupil.LeftOn is not null && d.Decision.Reason.StartsWith("Left the academy", StringComparison.Ordinal));
        // A flagged sixth-former needs a parent as well as themself.
        Assert.Contains(decisions, d => d.Pupil.AlsoAskParent && d.Decision.RequiredParties.Any(p => p.Kind == PartyKind.Contact));
        // Public task: allowed for someone never asked, not allowed once someone objected.
        Assert.Contains(decisions, d => d.Purpose.LawfulBasis == LawfulBasis.PublicTask && d.Decision.Status == ConsentStatus.Allowed);
        Assert.Contains(decisions, d => d.Purpose.LawfulBasis == LawfulBasis.PublicTask && d.Decision.Status == ConsentStatus.NotAllowed);
    }

    [Fact]
    public void LargeProfile_Has30Academies30000PupilsAndAbout50000Contacts()
    {
        var large = DemoTrustGenerator.Generate(DemoTrustProfile.Large, DemoTrustReference.InMemory());

        Assert.Equal(30, large.Academies.Count);
        Assert.Equal(30_000, large.Pupils.Count);
        Assert.InRange(large.Contacts.Count, 45_000, 55_000);
        Assert.Equal(DemoTrustProfile.Large.SafeguardingFlags, large.SafeguardingFlags.Count);
        Assert.Equal(DemoTrustProfile.Large.FlaggedSixthFormers, large.Pupils.Count(p => p.AlsoAskParent));
        Assert.Equal(30, large.Academies.Select(a => a.Code).Distinct().Count());
        Assert.Equal(30, large.Academies.Select(a => a.Name).Distinct().Count());
    }

    [Fact]
    public void TooFewAcademies_IsRefusedWithAReason()
    {
        var e = Assert.Throws<ArgumentException>(() => DemoTrustGenerator.Generate(DemoTrustProfile.Demo with { Academies = 4 }, DemoTrustReference.InMemory()));
        Assert.Contains("at least 6 academies", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Every row as JSON: equal snapshots mean equal data, ids and order included.</summary>
    private static string Snapshot(DemoTrust t) => JsonSerializer.Serialize(new object[]
    {
        t.Regions, t.Academies, t.Pupils, t.Contacts, t.SafeguardingFlags, t.PostingPauses, t.SignatureRequests, t.ConsentAnswers,
    });
}
