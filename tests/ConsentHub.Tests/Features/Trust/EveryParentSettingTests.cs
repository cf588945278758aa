using ConsentHub.Access;
using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Pupils;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Tests.Audit;
using ConsentHub.Trust;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace ConsentHub.Tests.Trust;

/// <summary>Rule 1's trust setting: the preview counts the pupils it would change, saving applies and audits it.</summary>
public sealed class EveryParentSettingTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));

    private static readonly AccessScope Admin = AccessScope.Trust("staff:admin");

    [Fact]
    public async Task PreviewCountsThePupilsItWouldChange_SavingAppliesIt_AndOnlyTrustRolesMay()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var (twoParents, mum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 3, "3A", "Ada", "Nowak");
        var dad = new Contact { Id = Guid.NewGuid(), Title = "Mr", FirstName = "Piotr", LastName = "Nowak", Email = $"piotr.{Guid.NewGuid():N}@example.org" };
        db.Contacts.Add(dad);
        db.PupilContacts.Add(new PupilContact { PupilId = twoParents.Id, ContactId = dad.Id, Relationship = "Father", HasParentalResponsibility = true });
        var (oneParent, onlyMum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 3, "3A", "Ben", "Okafor");
        foreach (var (pupil, contact) in new[] { (twoParents, mum), (oneParent, onlyMum) })
        {
            db.ConsentAnswers.Add(new ConsentAnswer
            {
                PupilId = pupil.Id,
                AcademyId = t.NorthAcademyId,
                PurposeId = t.SocialPurposeId,
                PartyKind = PartyKind.Contact,
                ContactId = contact.Id,
                Kind = AnswerKind.Grant,
                Method = AnswerMethod.Paper,
                FormVersionId = t.FormVersionId,
                At = _clock.GetUtcNow().AddDays(-3),
                RecordedAt = _clock.GetUtcNow().AddDays(-3),
                RecordedBy = "office",
            });
        }
        await db.SaveChangesAsync();
        var cache = new ConsentReferenceCache(database.DataSource, _clock);
        var reader = new ConsentStatusReader(database.DataSource, cache, _clock);
        var preview = new PreviewEveryParentSetting(reader, cache);
        var save = new SaveEveryParentSetting(new AuditTestSupport.ContextFactory(database), cache, AuditTestSupport.Log(database, _clock));

        var current = await preview.HandleAsync(Admin, null);
        Assert.False(current.Current);
        Assert.Equal(0, current.Impact.PupilsChanged);

        var every = await preview.HandleAsync(Admin, true);
        Assert.Equal(2, every.Impact.PupilsOnRoll);
        Assert.Equal(1, every.Impact.PupilsChanged);
        Assert.Equal(1, every.Impact.NoLongerAllowed);
        Assert.Equal(0, every.Impact.NewlyAllowed);
        Assert.False((await db.Trusts.AsNoTracking().SingleAsync()).RequireEveryParentalResponsibilityHolder); // a preview writes nothing

        Assert.Equal(SaveEveryParentSetting.Result.NotAllowed, await save.HandleAsync(AccessScope.Academy(t.NorthAcademyId, "staff:head"), true, 1));
        Assert.Equal(SaveEveryParentSetting.Result.Saved, await save.HandleAsync(Admin, true, every.Impact.PupilsChanged));

        var decision = (await reader.ForPupilAsync(Admin, twoParents.Id, TestTrust.Social))!.Purposes.Single().Decision;
        Assert.Equal(ConsentStatus.Pending, decision.Status);
        Assert.StartsWith("Year 3 needs every parent with parental responsibility.", decision.Reason, StringComparison.Ordinal);
        Assert.Equal(ConsentStatus.Allowed, (await reader.ForPupilAsync(Admin, oneParent.Id, TestTrust.Social))!.Purposes.Single().Decision.Status);
        var audit = await db.Set<ConsentHub.Audit.AuditEntry>().AsNoTracking().SingleAsync(e => e.Action == "trust.every-parent-setting-changed");
        Assert.Equal("staff:admin", audit.Actor);
        Assert.Contains("\"pupilsChangedInPreview\":1", audit.Payload, StringComparison.Ordinal);

        var back = await preview.HandleAsync(Admin, false);
        Assert.Equal(1, back.Impact.NewlyAllowed);
        Assert.Equal(SaveEveryParentSetting.Result.Saved, await save.HandleAsync(Admin, false, back.Impact.PupilsChanged));
    }
}
