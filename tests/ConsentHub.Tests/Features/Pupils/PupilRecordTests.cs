using ConsentHub.Access;
using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.PaperReturns;
using ConsentHub.Pupils;
using ConsentHub.Takedowns;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Tests.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace ConsentHub.Tests.Pupils;

/// <summary>The pupil page's data and the flags staff set on it: who sees what, and what the check does next.</summary>
public sealed class PupilRecordTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    private ConsentStatusReader Reader() => new(database.DataSource, new ConsentReferenceCache(database.DataSource, _clock), _clock);

    private GetPupilRecord Record() => new(new AuditTestSupport.ContextFactory(database), Reader(), AuditTestSupport.Log(database));

    private async Task<(TestTrust T, Pupil Pupil, Contact Mum)> PupilWithPaperAnswerAsync(int year, TestTrust? trust = null)
    {
        await using var db = database.CreateDbContext();
        var t = trust ?? await TestTrust.CreateAsync(db);
        var (pupil, mum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, year, $"{year}R", first: "Maya", last: "Okafor");
        var record = new RecordConsentAnswer(new AuditTestSupport.ContextFactory(database), AuditTestSupport.Log(database), _clock);
        var party = year >= 12 ? PartyKind.Pupil : PartyKind.Contact;
        var result = await record.HandleAsync(AccessScope.Academy(t.NorthAcademyId, "office@north.example"), new RecordConsentAnswer.Request(
            pupil.Id, TestTrust.Social, party, party == PartyKind.Contact ? mum.Id : null, AnswerKind.Grant, AnswerMethod.Paper, true,
            "Mrs Office", ScanReference: "scan-0042"));
        Assert.IsType<RecordConsentAnswer.Result.Recorded>(result);
        return (t, pupil, mum);
    }

    [Fact]
    public async Task OfficeStaff_SeeContactsAndTheProvenance_TeachersDoNotSeeContacts_OtherAcademiesSeeNothing()
    {
        var (t, pupil, _) = await PupilWithPaperAnswerAsync(5);
        var office = GetPupilRecord.Viewer.For(AccessScope.Academy(t.NorthAcademyId, "office@north.example"), [StaffRoles.OfficeStaff]);

        var record = await Record().HandleAsync(office, pupil.Id);

        Assert.NotNull(record);
        var contact = Assert.Single(record.Contacts!);
        Assert.Equal(("Mrs Jane Okafor", "Mother", true), (contact.Name, contact.Relationship, contact.HasParentalResponsibility));
        var answer = Assert.Single(record.History);
        Assert.Equal(("Mrs Jane Okafor", "Mother", AnswerKind.Grant, AnswerMethod.Paper, "Mrs Office", "scan-0042"),
            (answer.Party, answer.Relationship, answer.Kind, answer.Method, answer.RecordedBy, answer.ScanReference));
        Assert.False(string.IsNullOrEmpty(answer.FormVersion));
        Assert.Equal(ConsentStatus.Allowed, record.Consent.Purposes.Single(p => p.Key == TestTrust.Social).Decision.Status);

        var teacher = GetPupilRecord.Viewer.For(AccessScope.Academy(t.NorthAcademyId, "teacher@north.example"), [StaffRoles.Teacher]);
        Assert.Null((await Record().HandleAsync(teacher, pupil.Id))!.Contacts);
        var elsewhere = GetPupilRecord.Viewer.For(AccessScope.Academy(t.SouthAcademyId, "office@south.example"), [StaffRoles.OfficeStaff]);
        Assert.Null(await Record().HandleAsync(elsewhere, pupil.Id));
    }

    [Fact]
    public async Task TheSixthFormFlag_NeedsAReason_AndMakesTheParentRequired()
    {
        var (t, sixthFormer, _) = await PupilWithPaperAnswerAsync(12);
        var (_, year9, _) = await PupilWithPaperAnswerAsync(9, t);
        var scope = AccessScope.Academy(t.NorthAcademyId, "office@north.example");
        var set = new SetAlsoAskParent(new AuditTestSupport.ContextFactory(database), AuditTestSupport.Log(database));
        async Task<ConsentStatus> SocialAsync(Guid id) => (await Reader().ForPupilAsync(scope, id, TestTrust.Social))!.Purposes.Single().Decision.Status;
        Assert.Equal(ConsentStatus.Allowed, await SocialAsync(sixthFormer.Id));

        Assert.Equal("reason", Assert.IsType<SetAlsoAskParent.Result.Invalid>(await set.HandleAsync(scope, sixthFormer.Id, true, " ")).Field);
        Assert.Equal("askParent", Assert.IsType<SetAlsoAskParent.Result.Invalid>(await set.HandleAsync(scope, year9.Id, true, "Court order")).Field);
        Assert.IsType<SetAlsoAskParent.Result.Saved>(await set.HandleAsync(scope, sixthFormer.Id, true, "Shared care arrangement"));

        Assert.Equal(ConsentStatus.Pending, await SocialAsync(sixthFormer.Id));
        Assert.IsType<SetAlsoAskParent.Result.NotFound>(await set.HandleAsync(AccessScope.Academy(t.SouthAcademyId, "x"), sixthFormer.Id, false, null));
        Assert.IsType<SetAlsoAskParent.Result.Saved>(await set.HandleAsync(scope, sixthFormer.Id, false, null));
        Assert.Equal(ConsentStatus.Allowed, await SocialAsync(sixthFormer.Id));
    }

    [Fact]
    public async Task TheSafeguardingFlag_StopsEveryPurpose_ItsReasonIsForTheDslOnly_AndStaysOutOfTheAuditLog()
    {
        var (t, pupil, _) = await PupilWithPaperAnswerAsync(7);
        var dslScope = AccessScope.Academy(t.NorthAcademyId, "dsl@north.example");
        var flag = new SetSafeguardingFlag(new AuditTestSupport.ContextFactory(database), AuditTestSupport.Log(database), _clock);
        const string Reason = "Placed under a protective order in October";

        Assert.IsType<SetSafeguardingFlag.Result.Invalid>(await flag.HandleAsync(dslScope, pupil.Id, true, ""));
        Assert.IsType<SetSafeguardingFlag.Result.Saved>(await flag.HandleAsync(dslScope, pupil.Id, true, Reason));

        var asDsl = await Record().HandleAsync(GetPupilRecord.Viewer.For(dslScope, [StaffRoles.Dsl]), pupil.Id);
        var asHead = await Record().HandleAsync(GetPupilRecord.Viewer.For(AccessScope.Academy(t.NorthAcademyId, "head@north.example"), [StaffRoles.Headteacher]), pupil.Id);
        Assert.Equal((true, Reason), (asDsl!.SafeguardingFlag, asDsl.SafeguardingReason));
        Assert.Equal((true, (string?)null), (asHead!.SafeguardingFlag, asHead.SafeguardingReason));
        Assert.True(asHead.Consent.DoNotFeature);
        Assert.All(asHead.Consent.Purposes, p => Assert.Equal(ConsentStatus.NotAllowed, p.Decision.Status));

        await using var db = database.CreateDbContext();
        Assert.False(await db.AuditEntries.AnyAsync(e => e.Payload.Contains("protective order")));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "safeguarding.flag-set" && e.PupilId == pupil.Id));

        Assert.IsType<SetSafeguardingFlag.Result.Saved>(await flag.HandleAsync(dslScope, pupil.Id, false, null));
        Assert.False((await Record().HandleAsync(GetPupilRecord.Viewer.For(dslScope, [StaffRoles.Dsl]), pupil.Id))!.Consent.DoNotFeature);
        Assert.Equal(1, await db.SafeguardingFlags.CountAsync(f => f.PupilId == pupil.Id && f.ClearedAt != null));
    }
}
