using ConsentHub.Consent;
using ConsentHub.Data;
using ConsentHub.Pupils;
using ConsentHub.Requests;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Testing.Builders;

/// <summary>A signature request as issuing would leave it, with the plain token and short code a test can use.</summary>
public sealed record IssuedRequest(Guid Id, string Token, string ShortCode, Guid PupilId, PartyKind Party, Guid? ContactId);

/// <summary>
/// Signature requests written straight to the database (the issuing use case is separate): one per party, open,
/// on the newest published form version unless told otherwise.
/// </summary>
public static class TestRequests
{
    /// <param name="contact">The parent answering; null when the pupil answers.</param>
    public static async Task<IssuedRequest> IssueAsync(ConsentHubDbContext db, Pupil pupil, Contact? contact,
        Guid? formVersionId = null, DateTimeOffset? expiresAt = null, RequestStatus status = RequestStatus.Open)
    {
        formVersionId ??= await db.FormVersions.Where(f => f.PublishedAt != null).OrderByDescending(f => f.PublishedAt).Select(f => f.Id).FirstAsync();
        var token = SigningSecrets.NewToken();
        string code;
        do code = SigningSecrets.NewShortCode();
        while (await db.SignatureRequests.AnyAsync(r => r.ShortCode == code));
        var request = new SignatureRequest
        {
            Id = Guid.CreateVersion7(),
            PupilId = pupil.Id,
            AcademyId = pupil.AcademyId,
            FormVersionId = formVersionId.Value,
            PartyKind = contact is null ? PartyKind.Pupil : PartyKind.Contact,
            ContactId = contact?.Id,
            IssuedAt = DateTimeOffset.UtcNow.AddDays(-1),
            IssuedBy = "test office",
            Deadline = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(14)),
            Status = status,
            TokenHash = SigningSecrets.HashToken(token),
            ShortCode = code,
            ExpiresAt = expiresAt ?? DateTimeOffset.UtcNow.AddDays(28),
        };
        db.SignatureRequests.Add(request);
        await db.SaveChangesAsync();
        return new IssuedRequest(request.Id, token, code, pupil.Id, request.PartyKind, contact?.Id);
    }

    /// <summary>A second parent with parental responsibility for the pupil.</summary>
    public static async Task<Contact> AddParentAsync(ConsentHubDbContext db, Pupil pupil, string first = "John", string language = "en")
    {
        var parent = new Contact
        {
            Id = Guid.NewGuid(),
            Title = "Mr",
            FirstName = first,
            LastName = pupil.LegalLastName,
            Email = $"{first.ToLowerInvariant()}.{Guid.NewGuid():N}@example.org",
            PreferredLanguage = language,
        };
        db.Contacts.Add(parent);
        db.PupilContacts.Add(new PupilContact { PupilId = pupil.Id, ContactId = parent.Id, Relationship = "Father", HasParentalResponsibility = true, Priority = 2 });
        await db.SaveChangesAsync();
        return parent;
    }

    /// <summary>An older published form version whose wording (parent and pupil, English and Polish) covers every active purpose.</summary>
    public static async Task<Guid> PublishBilingualVersionAsync(ConsentHubDbContext db, string label)
    {
        var version = new FormVersion { Id = Guid.CreateVersion7(), Label = label };
        db.FormVersions.Add(version);
        foreach (var p in await db.Purposes.Where(p => p.Active).ToListAsync())
        {
            foreach (var audience in new[] { Audience.Parent, Audience.Pupil })
            {
                db.FormWordings.Add(new FormWording { Id = Guid.NewGuid(), FormVersionId = version.Id, PurposeId = p.Id, Audience = audience, Language = "en", Text = $"[{audience} en] {p.Name}: may we use photos?" });
                db.FormWordings.Add(new FormWording { Id = Guid.NewGuid(), FormVersionId = version.Id, PurposeId = p.Id, Audience = audience, Language = "pl", Text = $"[{audience} pl] {p.Name}: czy możemy używać zdjęć?" });
            }
        }
        await db.SaveChangesAsync();
        // Published long ago, so it never becomes "the newest version" other tests in the same database build on.
        version.PublishedAt = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await db.SaveChangesAsync();
        return version.Id;
    }
}
