using ConsentHub.Access;
using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Consent.Purposes;
using ConsentHub.PaperReturns;
using ConsentHub.Pupils;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Tests.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace ConsentHub.Tests.Pupils;

/// <summary>Office staff correct who has parental responsibility; the trust edits its purposes.</summary>
public sealed class UpdatePupilContactTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task RemovingParentalResponsibility_StopsHerGrantCountingAtOnce_AndBadDetailsAreNamed()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var factory = new AuditTestSupport.ContextFactory(database);
        TestTrust t;
        Pupil pupil;
        Contact mum;
        await using (var db = database.CreateDbContext())
        {
            t = await TestTrust.CreateAsync(db);
            (pupil, mum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 2, "2C");
        }
        var office = AccessScope.Academy(t.NorthAcademyId, "staff:office");
        await new RecordConsentAnswer(factory, AuditTestSupport.Log(database), clock).HandleAsync(office, new RecordConsentAnswer.Request(
            pupil.Id, TestTrust.Social, PartyKind.Contact, mum.Id, AnswerKind.Grant, AnswerMethod.Paper, true, "Office"));
        var reader = new ConsentStatusReader(database.DataSource, new ConsentReferenceCache(database.DataSource, clock), clock);
        async Task<ConsentStatus> SocialAsync() => (await reader.ForPupilAsync(office, pupil.Id, TestTrust.Social))!.Purposes.Single().Decision.Status;
        Assert.Equal(ConsentStatus.Allowed, await SocialAsync());
        var update = new UpdatePupilContact(factory, AuditTestSupport.Log(database));

        var bad = Assert.IsType<UpdatePupilContact.Result.Invalid>(await update.HandleAsync(office, new(pupil.Id, mum.Id, "", true, false, "not-an-address", null)));
        Assert.Equal(["email", "relationship"], bad.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.IsType<UpdatePupilContact.Result.Saved>(await update.HandleAsync(office, new(pupil.Id, mum.Id, "Stepmother", false, false, "jane.new@example.org", "07700 900123")));

        Assert.NotEqual(ConsentStatus.Allowed, await SocialAsync()); // her grant no longer counts
        await using var check = database.CreateDbContext();
        var link = await check.PupilContacts.Include(l => l.Contact).SingleAsync(l => l.PupilId == pupil.Id);
        Assert.Equal(("Stepmother", false, "jane.new@example.org"), (link.Relationship, link.HasParentalResponsibility, link.Contact!.Email));
        Assert.IsType<UpdatePupilContact.Result.NotFound>(await update.HandleAsync(AccessScope.Academy(t.SouthAcademyId, "staff:x"), new(pupil.Id, mum.Id, "Mother", true, false, null, null)));
    }

    [Fact]
    public async Task APurpose_IsAdded_WithAFixedKey_AndChangedWithClearMessagesForBadInput()
    {
        await using (var db = database.CreateDbContext()) await TestTrust.CreateAsync(db);
        var save = new SavePurpose(new AuditTestSupport.ContextFactory(database), AuditTestSupport.Log(database));

        var bad = Assert.IsType<SavePurpose.Result.Invalid>(await save.HandleAsync(new(null, "Yearbook!", "", "x", LawfulBasis.Consent, ValidityKind.Months, 0, false, true, 9), "staff:admin"));
        Assert.Equal(["key", "name", "validityMonths"], bad.Errors.Keys.Order(StringComparer.Ordinal));
        var added = Assert.IsType<SavePurpose.Result.Saved>(await save.HandleAsync(
            new(null, "yearbook", "Yearbook", "Photos in the printed leavers' yearbook.", LawfulBasis.Consent, ValidityKind.Months, 12, false, true, 9), "staff:admin"));
        var duplicate = Assert.IsType<SavePurpose.Result.Invalid>(await save.HandleAsync(
            new(null, "yearbook", "Yearbook 2", "Again.", LawfulBasis.Consent, ValidityKind.UntilWithdrawn, 0, false, true, 10), "staff:admin"));
        Assert.Equal("There is already a purpose with the key 'yearbook'.", duplicate.Errors["key"][0]);

        Assert.IsType<SavePurpose.Result.Saved>(await save.HandleAsync(
            new(added.Id, "ignored-on-change", "Leavers' yearbook", "Photos in the printed leavers' yearbook.", LawfulBasis.Consent, ValidityKind.EndOfAcademicYear, 5, true, false, 9), "staff:admin"));
        await using var check = database.CreateDbContext();
        var stored = await check.Purposes.SingleAsync(p => p.Id == added.Id);
        Assert.Equal(("yearbook", "Leavers' yearbook", ValidityKind.EndOfAcademicYear, 0, true, false),
            (stored.Key, stored.Name, stored.ValidityKind, stored.ValidityMonths, stored.PublishesOnTrustAccounts, stored.Active));
    }
}
