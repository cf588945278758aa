using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Data;
using ConsentHub.Pupils;
using ConsentHub.Requests;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Tests.Trust;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace ConsentHub.Tests.Checks;

/// <summary>
/// The check read model (one facts row per pupil, kept by triggers) must say what the normalised tables say after
/// every kind of change, in the same transaction, including when two people answer at the same moment.
/// </summary>
public sealed class ConsentFactsTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));

    private ConsentStatusReader Reader() => new(database.DataSource, new ConsentReferenceCache(database.DataSource, _clock), _clock);

    /// <summary>Pupils whose stored facts differ from the facts computed afresh from the tables (or are missing).</summary>
    internal static async Task<int> StaleFactsAsync(ConsentHubDbContext db) =>
        await db.Database.SqlQuery<int>($"""
            SELECT count(*)::int AS "Value"
            FROM consenthub.pupils p
            LEFT JOIN consenthub.pupil_consent_facts f ON f.pupil_id = p.id
            LEFT JOIN consenthub.pupil_consent_facts_of(ARRAY(SELECT id FROM consenthub.pupils)) n ON n.pupil_id = p.id
            WHERE f.pupil_id IS NULL OR f.facts::text IS DISTINCT FROM n.facts::text OR f.academy_id IS DISTINCT FROM n.academy_id
            """).SingleAsync();

    private ConsentAnswer Answer(TestTrust t, Guid pupilId, PartyKind party, Guid? contactId, AnswerKind kind, int daysAgo) => new()
    {
        PupilId = pupilId,
        AcademyId = t.NorthAcademyId,
        PurposeId = t.SocialPurposeId,
        PartyKind = party,
        ContactId = contactId,
        Kind = kind,
        Method = AnswerMethod.Paper,
        FormVersionId = t.FormVersionId,
        At = _clock.GetUtcNow().AddDays(-daysAgo),
        RecordedAt = _clock.GetUtcNow(),
        RecordedBy = "test",
        Attested = true,
    };

    private async Task<PurposeConsent> SocialAsync(Guid pupilId) =>
        (await Reader().ForPupilAsync(AccessScope.Trust("test"), pupilId, TestTrust.Social))!.Purposes.Single();

    [Fact]
    public async Task EveryKindOfChange_ReachesTheCheck_AndTheFactsStayEqualToTheTables()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var (pupil, mum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 6, "6A", first: "Łukasz", last: "Ødegaard");
        Assert.Equal(0, await StaleFactsAsync(db));
        Assert.Equal(ConsentStatus.NotRequested, (await SocialAsync(pupil.Id)).Decision.Status);

        db.SignatureRequests.Add(new SignatureRequest { Id = Guid.NewGuid(), PupilId = pupil.Id, AcademyId = t.NorthAcademyId, FormVersionId = t.FormVersionId, PartyKind = PartyKind.Contact, ContactId = mum.Id, IssuedAt = _clock.GetUtcNow(), IssuedBy = "office", TokenHash = SigningSecrets.HashToken(SigningSecrets.NewToken()), ShortCode = SigningSecrets.NewShortCode(), ExpiresAt = _clock.GetUtcNow().AddDays(30) });
        await db.SaveChangesAsync();
        Assert.Equal(ConsentStatus.Pending, (await SocialAsync(pupil.Id)).Decision.Status);

        db.ConsentAnswers.Add(Answer(t, pupil.Id, PartyKind.Contact, mum.Id, AnswerKind.Grant, 3));
        await db.SaveChangesAsync();
        var granted = await SocialAsync(pupil.Id);
        Assert.Equal(ConsentStatus.Allowed, granted.Decision.Status);
        Assert.Contains("Mrs Jane Ødegaard", granted.Decision.Reason, StringComparison.Ordinal);

        // The parent's name changes on the MIS: the sentence follows.
        await db.Database.ExecuteSqlAsync($"UPDATE consenthub.contacts SET last_name = 'Ødegaard-Smith' WHERE id = {mum.Id}");
        Assert.Contains("Mrs Jane Ødegaard-Smith", (await SocialAsync(pupil.Id)).Decision.Reason, StringComparison.Ordinal);

        // Year 6 → 7: the pupil's own answer is now needed too.
        await db.Database.ExecuteSqlAsync($"UPDATE consenthub.pupils SET year_group = 7 WHERE id = {pupil.Id}");
        Assert.Equal(ConsentStatus.Pending, (await SocialAsync(pupil.Id)).Decision.Status);
        db.ConsentAnswers.Add(Answer(t, pupil.Id, PartyKind.Pupil, null, AnswerKind.Grant, 1));
        await db.SaveChangesAsync();
        Assert.Equal(ConsentStatus.Allowed, (await SocialAsync(pupil.Id)).Decision.Status);

        // A court order on the only parent: their grant no longer counts.
        await db.Database.ExecuteSqlAsync($"UPDATE consenthub.pupil_contacts SET no_contact_order = true WHERE pupil_id = {pupil.Id}");
        Assert.NotEqual(ConsentStatus.Allowed, (await SocialAsync(pupil.Id)).Decision.Status);
        await db.Database.ExecuteSqlAsync($"UPDATE consenthub.pupil_contacts SET no_contact_order = false WHERE pupil_id = {pupil.Id}");
        Assert.Equal(ConsentStatus.Allowed, (await SocialAsync(pupil.Id)).Decision.Status);

        // The DSL's flag stops everything at once; clearing it brings the answers back.
        var flag = new SafeguardingFlag { Id = Guid.NewGuid(), PupilId = pupil.Id, AcademyId = t.NorthAcademyId, Reason = "confidential", SetBy = "dsl", SetAt = _clock.GetUtcNow() };
        db.SafeguardingFlags.Add(flag);
        await db.SaveChangesAsync();
        var flagged = await Reader().ForPupilAsync(AccessScope.Trust("test"), pupil.Id);
        Assert.True(flagged!.DoNotFeature);
        Assert.All(flagged.Purposes, p => Assert.Equal(ConsentStatus.NotAllowed, p.Decision.Status));
        await db.Database.ExecuteSqlAsync($"UPDATE consenthub.safeguarding_flags SET cleared_at = now(), cleared_by = 'dsl' WHERE id = {flag.Id}");
        Assert.Equal(ConsentStatus.Allowed, (await SocialAsync(pupil.Id)).Decision.Status);

        // The parent is unlinked: only the pupil's grant is left, which is not enough below the sixth form.
        await db.Database.ExecuteSqlAsync($"DELETE FROM consenthub.pupil_contacts WHERE pupil_id = {pupil.Id}");
        Assert.Equal(ConsentStatus.Pending, (await SocialAsync(pupil.Id)).Decision.Status);

        // Leaving and moving academy.
        await db.Database.ExecuteSqlAsync($"UPDATE consenthub.pupils SET left_on = '2026-10-31', academy_id = {t.SouthAcademyId} WHERE id = {pupil.Id}");
        Assert.Equal(ConsentStatus.NotAllowed, (await SocialAsync(pupil.Id)).Decision.Status);
        Assert.Null(await Reader().ForPupilAsync(AccessScope.Academy(t.NorthAcademyId, "test"), pupil.Id));
        Assert.NotNull(await Reader().ForPupilAsync(AccessScope.Academy(t.SouthAcademyId, "test"), pupil.Id));

        Assert.Equal(0, await StaleFactsAsync(db));
    }

    /// <summary>Legal first, legal last, preferred first, preferred last, the name the facts and the card show.</summary>
    public static TheoryData<string, string, string?, string?, string> Names => new()
    {
        { "Amelia", "Smith", "", null, "Amelia Smith" },
        { "Thị", "Đặng", "   ", null, "Thị Đặng" },
        { "Siobhán", "O’Brien", "\t ", " ", "Siobhán O’Brien" },
        { "Amelia", "Smith", "Millie", null, "Millie Smith" },
        { "Łukasz", "Mureșan", "Luke", "Đặng", "Luke Đặng" },
        { "محمد", "O’Brien", null, null, "محمد O’Brien" },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public async Task BlankPreferredName_GivesTheLegalName_InTheFactsAndOnTheTeachersCard(
        string legalFirst, string legalLast, string? preferredFirst, string? preferredLast, string expected)
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var (pupil, _) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 5, "5N", legalFirst, legalLast);
        // Set after the pupil exists: the update trigger rebuilds the facts, as an MIS import of a preferred name would.
        pupil.PreferredFirstName = preferredFirst;
        pupil.PreferredLastName = preferredLast;
        await db.SaveChangesAsync();

        var stored = await db.Database.SqlQuery<string>($"""
            SELECT facts->>'name' AS "Value" FROM consenthub.pupil_consent_facts WHERE pupil_id = {pupil.Id}
            """).SingleAsync();
        Assert.Equal(expected, stored);
        // The same meaning as the pupils' generated column and the entity (PupilNamesTests).
        Assert.Equal(pupil.DisplayName, stored);

        var check = new CheckPupil(Reader(), new AccessDenials(new RecordingAuditLog(), _clock,
            Microsoft.Extensions.Options.Options.Create(new AccessDenialOptions())));
        var card = await check.HandleAsync([AccessScope.Academy(t.NorthAcademyId, "staff:teacher")], pupil.Id, "card");
        Assert.NotNull(card);
        Assert.Equal(expected, card.Name);
        Assert.Equal(0, await StaleFactsAsync(db));
    }

    [Fact]
    public async Task TwoParentsAnsweringAtTheSameMoment_AreBothInTheCheck()
    {
        Guid pupilId;
        TestTrust t;
        Guid mumId, dadId;
        await using (var setup = database.CreateDbContext())
        {
            t = await TestTrust.CreateAsync(setup);
            var (pupil, mum) = await TestTrust.AddPupilAsync(setup, t.NorthAcademyId, 3, "3C");
            var dad = new Contact { Id = Guid.NewGuid(), Title = "Mr", FirstName = "John", LastName = "Smith" };
            setup.Contacts.Add(dad);
            setup.PupilContacts.Add(new PupilContact { PupilId = pupil.Id, ContactId = dad.Id, Relationship = "Father", HasParentalResponsibility = true, Priority = 2 });
            await setup.SaveChangesAsync();
            (pupilId, mumId, dadId) = (pupil.Id, mum.Id, dad.Id);
        }

        // Mum's transaction writes first and stays open; Dad's write has to wait for it, and must then build the
        // facts from a snapshot that includes Mum's answer.
        await using var first = database.CreateDbContext();
        await using var second = database.CreateDbContext();
        await using var firstTx = await first.Database.BeginTransactionAsync();
        first.ConsentAnswers.Add(Answer(t, pupilId, PartyKind.Contact, mumId, AnswerKind.Grant, 1));
        await first.SaveChangesAsync();

        await using var secondTx = await second.Database.BeginTransactionAsync();
        second.ConsentAnswers.Add(Answer(t, pupilId, PartyKind.Contact, dadId, AnswerKind.Refuse, 1));
        var secondPid = ((Npgsql.NpgsqlConnection)second.Database.GetDbConnection()).ProcessID;
        var secondSave = second.SaveChangesAsync();
        // Mum commits only once Dad's write is really waiting for her (or has finished without needing to).
        await LockWaits.UntilWaitingForALockAsync(database, secondPid, secondSave);
        await firstTx.CommitAsync();
        await secondSave;
        await secondTx.CommitAsync();

        var social = await SocialAsync(pupilId);
        Assert.Equal(ConsentStatus.NotAllowed, social.Decision.Status);
        Assert.True(social.Decision.Conflict);
        var answered = social.Decision.RequiredParties.Where(p => p.LatestAnswer is not null).Select(p => p.ContactId).ToHashSet();
        Assert.Equal(new HashSet<Guid?> { mumId, dadId }, answered);
        await using var check = database.CreateDbContext();
        Assert.Equal(0, await StaleFactsAsync(check));
    }
}
