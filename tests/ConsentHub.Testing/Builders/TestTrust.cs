using ConsentHub.Consent;
using ConsentHub.Data;
using ConsentHub.Pupils;
using ConsentHub.Trust;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Testing.Builders;

/// <summary>
/// A small trust for tests: two regions with one academy each, two purposes (academy social media — consent,
/// publishing; internal displays — public task), one published form version. Add pupils with <see cref="AddPupilAsync"/>.
/// </summary>
public sealed class TestTrust
{
    public Guid TrustId { get; private set; } = Guid.NewGuid();
    public Guid NorthRegionId { get; } = Guid.NewGuid();
    public Guid SouthRegionId { get; } = Guid.NewGuid();
    public Guid NorthAcademyId { get; } = Guid.NewGuid();
    public Guid SouthAcademyId { get; } = Guid.NewGuid();
    public Guid SocialPurposeId { get; private set; } = Guid.NewGuid();
    public Guid DisplaysPurposeId { get; private set; } = Guid.NewGuid();
    public Guid FormVersionId { get; private set; } = Guid.NewGuid();
    public const string Social = "academy-social";
    public const string Displays = "internal-displays";

    /// <summary>
    /// Builds on the reference data when the host has already seeded it (same purpose keys), otherwise adds the
    /// two purposes and a form version itself.
    /// </summary>
    public static async Task<TestTrust> CreateAsync(ConsentHubDbContext db)
    {
        var t = new TestTrust();
        if (await db.Trusts.FirstOrDefaultAsync() is { } trust) t.TrustId = trust.Id;
        else db.Trusts.Add(new TrustOrganisation { Id = t.TrustId, Name = "Test Trust", EmailDomains = ["trust.example.org"] });

        if (await db.Purposes.FirstOrDefaultAsync(p => p.Key == Social) is { } social) t.SocialPurposeId = social.Id;
        else db.Purposes.Add(new Purpose { Id = t.SocialPurposeId, Key = Social, Name = "Academy social media", Description = "Posts on the academy's own accounts.", LawfulBasis = LawfulBasis.Consent, ValidityKind = ValidityKind.UntilWithdrawn, PublishesOnTrustAccounts = true, SortOrder = 1 });
        if (await db.Purposes.FirstOrDefaultAsync(p => p.Key == Displays) is { } displays) t.DisplaysPurposeId = displays.Id;
        else db.Purposes.Add(new Purpose { Id = t.DisplaysPurposeId, Key = Displays, Name = "Internal displays", Description = "Displays inside the academy.", LawfulBasis = LawfulBasis.PublicTask, ValidityKind = ValidityKind.UntilWithdrawn, PublishesOnTrustAccounts = false, SortOrder = 0 });
        if (await db.FormVersions.Where(f => f.PublishedAt != null).OrderByDescending(f => f.PublishedAt).FirstOrDefaultAsync() is { } form) t.FormVersionId = form.Id;
        else db.FormVersions.Add(new FormVersion { Id = t.FormVersionId, Label = "test-1", PublishedAt = DateTimeOffset.UtcNow.AddDays(-30) });

        db.Regions.AddRange(
            new Region { Id = t.NorthRegionId, TrustId = t.TrustId, Name = "North " + t.NorthRegionId.ToString("N")[..6] },
            new Region { Id = t.SouthRegionId, TrustId = t.TrustId, Name = "South " + t.SouthRegionId.ToString("N")[..6] });
        db.Academies.AddRange(
            new Academy { Id = t.NorthAcademyId, RegionId = t.NorthRegionId, Code = "N" + t.NorthAcademyId.ToString("N")[..8], Name = "North Academy", Phase = AcademyPhase.AllThrough, LowestYear = -2, HighestYear = 13 },
            new Academy { Id = t.SouthAcademyId, RegionId = t.SouthRegionId, Code = "S" + t.SouthAcademyId.ToString("N")[..8], Name = "South Academy", Phase = AcademyPhase.Primary, LowestYear = -2, HighestYear = 6 });
        await db.SaveChangesAsync();
        return t;
    }

    /// <summary>Adds a pupil with one parent ("Mrs Jane Smith", parental responsibility) unless told otherwise.</summary>
    public static async Task<(Pupil Pupil, Contact Parent)> AddPupilAsync(ConsentHubDbContext db, Guid academyId, int year, string group,
        string first = "Amelia", string last = "Smith", bool parentHasResponsibility = true)
    {
        var pupil = new Pupil
        {
            Id = Guid.NewGuid(),
            AcademyId = academyId,
            MisId = "MIS" + Guid.NewGuid().ToString("N")[..10],
            LegalFirstName = first,
            LegalLastName = last,
            DateOfBirth = new DateOnly(2026 - 5 - Math.Max(year, 0), 3, 14),
            YearGroup = year,
            RegistrationGroup = group,
        };
        var parent = new Contact { Id = Guid.NewGuid(), Title = "Mrs", FirstName = "Jane", LastName = last, Email = $"jane.{Guid.NewGuid():N}@example.org" };
        db.Pupils.Add(pupil);
        db.Contacts.Add(parent);
        db.PupilContacts.Add(new PupilContact { PupilId = pupil.Id, ContactId = parent.Id, Relationship = "Mother", HasParentalResponsibility = parentHasResponsibility });
        await db.SaveChangesAsync();
        return (pupil, parent);
    }
}
