using System.Text.RegularExpressions;
using ConsentHub.Access;
using ConsentHub.Consent.Rules;
using ConsentHub.Email;
using ConsentHub.Pupils;
using ConsentHub.Requests;
using ConsentHub.Signing;
using ConsentHub.Testing.Database;
using ConsentHub.Tests.Audit;
using ConsentHub.Tests.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace ConsentHub.Tests.Requests;

/// <summary>The issuing use cases wired over a test class's database, with the real templates from the output folder.</summary>
internal sealed partial class RequestsTestSupport(DatabaseFixture database)
{
    public const string PublicBaseUrl = "https://consent.trust.example/";

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public DateOnly Today => UkCalendar.DateOf(Clock.GetUtcNow());

    public SigningOptions Signing { get; } = new() { PublicBaseUrl = new Uri(PublicBaseUrl), GracePeriod = TimeSpan.FromDays(14) };

    private RequestEmails Emails() => new(new EmailTemplates(Microsoft.Extensions.Options.Options.Create(new TemplateOptions())), Microsoft.Extensions.Options.Options.Create(Signing));

    private OutboxWriter Outbox() => new(EmailTestSupport.Options(), Clock);

    public PreviewConsentRequests Preview() => new(new AuditTestSupport.ContextFactory(database), Clock);

    public IssueConsentRequests Issue() => new(new AuditTestSupport.ContextFactory(database), Outbox(), Emails(), AuditTestSupport.Log(database, Clock),
        Microsoft.Extensions.Options.Options.Create(Signing), Clock);

    public SendNewSigningLink NewLink() => new(new AuditTestSupport.ContextFactory(database), Outbox(), Emails(), AuditTestSupport.Log(database, Clock), Clock);

    public ReissueExpiredRequests Reissue() => new(new AuditTestSupport.ContextFactory(database), Outbox(), Emails(), AuditTestSupport.Log(database, Clock),
        Microsoft.Extensions.Options.Options.Create(Signing), Clock);

    public SigningTargets Targets() => new(new AuditTestSupport.ContextFactory(database), Clock);

    public static AccessScope Office(Guid academyId) => AccessScope.Academy(academyId, "staff:office-" + academyId.ToString("N")[..6]);

    public static async Task<Contact> AddContactAsync(DatabaseFixture database, Guid pupilId, string first, bool responsibility, bool noContactOrder = false,
        string? email = "auto", string language = "en", string relationship = "Father")
    {
        await using var db = database.CreateDbContext();
        var contact = new Contact
        {
            Id = Guid.NewGuid(),
            FirstName = first,
            LastName = "Contact",
            Email = email == "auto" ? $"{first.ToLowerInvariant()}.{Guid.NewGuid():N}@example.org" : email,
            PreferredLanguage = language,
        };
        db.Contacts.Add(contact);
        db.PupilContacts.Add(new PupilContact { PupilId = pupilId, ContactId = contact.Id, Relationship = relationship, HasParentalResponsibility = responsibility, NoContactOrder = noContactOrder, Priority = 2 });
        await db.SaveChangesAsync();
        return contact;
    }

    public static async Task UpdatePupilAsync(DatabaseFixture database, Guid pupilId, Action<Pupil> change)
    {
        await using var db = database.CreateDbContext();
        var pupil = await db.Pupils.SingleAsync(p => p.Id == pupilId);
        change(pupil);
        await db.SaveChangesAsync();
    }

    public async Task<List<SignatureRequest>> RequestsAsync(Guid academyId)
    {
        await using var db = database.CreateDbContext();
        return await db.SignatureRequests.AsNoTracking().Where(r => r.AcademyId == academyId).ToListAsync();
    }

    public async Task<List<OutboxMessage>> OutboxAsync(Guid academyId)
    {
        await using var db = database.CreateDbContext();
        return await db.OutboxMessages.AsNoTracking().Where(m => m.AcademyId == academyId).OrderBy(m => m.Id).ToListAsync();
    }

    /// <summary>The link token in a message body: what the parent's browser would send.</summary>
    public static string TokenIn(string? body)
    {
        var match = LinkPattern().Match(body ?? "");
        Assert.True(match.Success, "No signing link in: " + body);
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"https://consent\.trust\.example/s/([A-Za-z0-9_-]{43})")]
    private static partial Regex LinkPattern();
}
