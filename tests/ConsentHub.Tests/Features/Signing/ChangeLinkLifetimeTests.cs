using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Signing;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Tests.Signing;

/// <summary>A change link lives as long as the consent it changes, and a new one revokes the party's earlier links.</summary>
public sealed class ChangeLinkLifetimeTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static readonly TimeSpan Ceiling = TimeSpan.FromDays(400);

    private static ConsentAnswer Grant(TestTrust t, Guid pupilId, Guid contactId, Guid formVersionId, DateTimeOffset at) => new()
    {
        PupilId = pupilId,
        AcademyId = t.NorthAcademyId,
        PurposeId = t.SocialPurposeId,
        PartyKind = PartyKind.Contact,
        ContactId = contactId,
        Kind = AnswerKind.Grant,
        Method = AnswerMethod.Online,
        FormVersionId = formVersionId,
        At = at,
        RecordedAt = at,
        RecordedBy = "test",
    };

    [Fact]
    public async Task AConsentValidToTheEndOfTheYear_GivesALinkThatEndsWithIt_AndANewLinkRevokesTheOld()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var (pupil, mum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 4, "4L", "Lina", "Lifetime");
        var now = DateTimeOffset.UtcNow;
        var validThrough = UkCalendar.DateOf(now).AddDays(90);
        var version = await db.FormVersions.SingleAsync(f => f.Id == t.FormVersionId);
        version.ConsentValidThrough = validThrough;
        await db.SaveChangesAsync();
        db.ConsentAnswers.Add(Grant(t, pupil.Id, mum.Id, t.FormVersionId, now.AddMinutes(-1)));
        await db.SaveChangesAsync();

        await using var tx = await db.Database.BeginTransactionAsync();
        var first = await IssueChangeLink.HandleAsync(db, pupil.Id, pupil.AcademyId, PartyKind.Contact, mum.Id, t.FormVersionId, now, Ceiling, default);
        var second = await IssueChangeLink.HandleAsync(db, pupil.Id, pupil.AcademyId, PartyKind.Contact, mum.Id, t.FormVersionId, now.AddSeconds(1), Ceiling, default);
        await tx.CommitAsync();

        // Until the end of the last day the consent is valid (midnight UK time), not 400 days.
        Assert.Equal(UkCalendar.StartOf(validThrough.AddDays(1)), first.ExpiresAt);
        var links = await db.SignerLinks.AsNoTracking().Where(l => l.PupilId == pupil.Id).ToListAsync();
        Assert.NotNull(links.Single(l => l.Id == first.LinkId).RevokedAt);
        Assert.Null(links.Single(l => l.Id == second.LinkId).RevokedAt);
    }

    [Fact]
    public async Task AConsentUntilWithdrawn_GivesALinkForTheConfiguredLongest()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var (pupil, mum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 4, "4U", "Uma", "Untilwithdrawn");
        var version = new FormVersion { Id = Guid.NewGuid(), Label = "open-ended-" + Guid.NewGuid().ToString("N")[..6], PublishedAt = DateTimeOffset.UtcNow.AddDays(-40) };
        db.FormVersions.Add(version);
        await db.SaveChangesAsync();
        var now = DateTimeOffset.UtcNow;
        db.ConsentAnswers.Add(Grant(t, pupil.Id, mum.Id, version.Id, now.AddMinutes(-1)));
        await db.SaveChangesAsync();

        await using var tx = await db.Database.BeginTransactionAsync();
        var link = await IssueChangeLink.HandleAsync(db, pupil.Id, pupil.AcademyId, PartyKind.Contact, mum.Id, version.Id, now, Ceiling, default);
        await tx.CommitAsync();

        Assert.Equal(now + Ceiling, link.ExpiresAt);
    }
}
