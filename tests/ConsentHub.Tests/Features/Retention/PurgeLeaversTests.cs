using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Pupils;
using ConsentHub.Requests;
using ConsentHub.Signing;
using ConsentHub.Takedowns;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Tests.Requests;
using ConsentHub.Tests.Takedowns;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace ConsentHub.Tests.Retention;

/// <summary>Leavers' personal data goes after the retention period; the dry run changes nothing; the audit chain still verifies.</summary>
public sealed class PurgeLeaversTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private readonly JobsTestSupport _jobs = new(database, new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero)));

    private DateOnly Today => ConsentHub.Consent.Rules.UkCalendar.DateOf(_jobs.Clock.GetUtcNow());

    private sealed record School(TestTrust Trust, Pupil OldLeaver, Contact SharedMum, Pupil Sibling, Pupil OtherOldLeaver, Contact OwnDad, Pupil RecentLeaver);

    /// <summary>
    /// Two pupils who left seven years ago (one with a sibling still on roll who shares their mother), each with
    /// answers, requests, an online receipt, a change link, a takedown task and a safeguarding flag; a pupil who left
    /// two years ago. Every change is audited as the app audits it.
    /// </summary>
    private async Task<School> SchoolAsync()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var (old, mum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 11, "11A", "Alice", "Ward");
        var (sibling, _) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 5, "5A", "Ben", "Ward");
        db.PupilContacts.Add(new PupilContact { PupilId = sibling.Id, ContactId = mum.Id, Relationship = "Mother", HasParentalResponsibility = true });
        var (other, dad) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 13, "13B", "Carl", "Moss");
        var (recent, _) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 13, "13B", "Dana", "Reed");
        await db.SaveChangesAsync();
        var academy = db.AffiliatedAccounts.Add(new ConsentHub.Trust.Accounts.AffiliatedAccount
        {
            Id = Guid.NewGuid(),
            Platform = ConsentHub.Trust.Accounts.SocialPlatform.Facebook,
            Handle = "@north" + Guid.NewGuid().ToString("N")[..8],
            Scope = ConsentHub.Trust.PauseScope.Academy,
            ScopeId = t.NorthAcademyId,
            FirstAdminName = "Ann",
            FirstAdminEmail = "ann@trust.example.org",
            SecondAdminName = "Bob",
            SecondAdminEmail = "bob@trust.example.org",
            RegisteredAt = _jobs.Clock.GetUtcNow(),
            RegisteredBy = "staff:comms",
        }).Entity;
        await db.SaveChangesAsync();

        foreach (var (pupil, contact) in new[] { (old, mum), (other, dad), (sibling, mum) })
        {
            var request = await TestRequests.IssueAsync(db, pupil, contact, status: RequestStatus.Answered);
            var link = new SignerLink { Id = Guid.NewGuid(), TokenHash = SigningSecrets.HashToken(SigningSecrets.NewToken()), PupilId = pupil.Id, AcademyId = pupil.AcademyId, PartyKind = PartyKind.Contact, ContactId = contact.Id, CreatedAt = _jobs.Clock.GetUtcNow(), ExpiresAt = _jobs.Clock.GetUtcNow().AddDays(400) };
            var receipt = new OnlineSubmission { Id = Guid.NewGuid(), ReceiptNumber = "R-" + Guid.NewGuid().ToString("N")[..9].ToUpperInvariant(), PupilId = pupil.Id, AcademyId = pupil.AcademyId, PartyKind = PartyKind.Contact, ContactId = contact.Id, Kind = SubmissionKind.Answer, SignatureRequestId = request.Id, SignerLinkId = link.Id, FormVersionId = t.FormVersionId, SignatureName = contact.DisplayName, Language = "en", SubmittedAt = _jobs.Clock.GetUtcNow() };
            db.SignerLinks.Add(link);
            db.OnlineSubmissions.Add(receipt);
            await db.SaveChangesAsync();
            db.ConsentAnswers.Add(new ConsentAnswer { PupilId = pupil.Id, AcademyId = pupil.AcademyId, PurposeId = t.SocialPurposeId, PartyKind = PartyKind.Contact, ContactId = contact.Id, Kind = AnswerKind.Grant, Method = AnswerMethod.Online, FormVersionId = t.FormVersionId, At = _jobs.Clock.GetUtcNow().AddYears(-8), RecordedAt = _jobs.Clock.GetUtcNow().AddYears(-8), RecordedBy = "online", SignatureName = contact.DisplayName, SignatureRequestId = request.Id, OnlineSubmissionId = receipt.Id });
            await db.SaveChangesAsync();
        }
        foreach (var pupil in new[] { old, other })
            Assert.IsType<SetSafeguardingFlag.Result.Saved>(await _jobs.Safeguarding().HandleAsync(AccessScope.Academy(t.NorthAcademyId, "staff:dsl"), pupil.Id, true, "A reason only the DSL sees"));
        Assert.NotEmpty(await db.TakedownTasks.Where(x => x.AccountId == academy.Id).ToListAsync());

        await RequestsTestSupport.UpdatePupilAsync(database, old.Id, p => p.LeftOn = Today.AddYears(-7));
        await RequestsTestSupport.UpdatePupilAsync(database, other.Id, p => p.LeftOn = Today.AddYears(-6).AddDays(-1));
        await RequestsTestSupport.UpdatePupilAsync(database, recent.Id, p => p.LeftOn = Today.AddYears(-2));
        return new School(t, old, mum, sibling, other, dad, recent);
    }

    private async Task<Dictionary<string, int>> RowsAsync(params Guid[] pupils)
    {
        await using var db = database.CreateDbContext();
        return new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["pupils"] = await db.Pupils.CountAsync(p => pupils.Contains(p.Id)),
            ["answers"] = await db.ConsentAnswers.CountAsync(a => pupils.Contains(a.PupilId)),
            ["current"] = await db.CurrentAnswers.CountAsync(a => pupils.Contains(a.PupilId)),
            ["requests"] = await db.SignatureRequests.CountAsync(r => pupils.Contains(r.PupilId)),
            ["receipts"] = await db.OnlineSubmissions.CountAsync(r => pupils.Contains(r.PupilId)),
            ["links"] = await db.SignerLinks.CountAsync(r => pupils.Contains(r.PupilId)),
            ["takedowns"] = await db.TakedownTasks.CountAsync(r => pupils.Contains(r.PupilId)),
            ["flags"] = await db.SafeguardingFlags.CountAsync(r => pupils.Contains(r.PupilId)),
            ["facts"] = await db.PupilConsentFacts.CountAsync(r => pupils.Contains(r.PupilId)),
        };
    }

    [Fact]
    public async Task TheDryRun_CountsWhatWouldGo_PerAcademy_AndChangesNothing()
    {
        var s = await SchoolAsync();
        var before = await RowsAsync(s.OldLeaver.Id, s.OtherOldLeaver.Id);

        var run = await _jobs.Purge().HandleAsync(dryRun: true, "staff:trust-admin");

        Assert.NotNull(run);
        Assert.True(run.DryRun);
        Assert.Equal(Today.AddYears(-6), run.LeftBefore);
        Assert.Equal(2, run.PupilsByAcademy[s.Trust.NorthAcademyId.ToString()]);
        Assert.Equal(before, await RowsAsync(s.OldLeaver.Id, s.OtherOldLeaver.Id));
        await using var db = database.CreateDbContext();
        Assert.True(await db.RetentionRuns.AnyAsync(r => r.Id == run.Id && r.DryRun));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "retention.dry-run" && e.EntityId == run.Id.ToString()));
    }

    [Fact]
    public async Task ThePurge_RemovesTheLeaversPersonalData_KeepsEveryoneElses_AndEveryAuditChainStillVerifies()
    {
        var s = await SchoolAsync();
        var keptBefore = await RowsAsync(s.Sibling.Id, s.RecentLeaver.Id);
        await using (var db = database.CreateDbContext())
            Assert.True(await db.AuditEntries.AnyAsync(e => e.PupilId == s.OldLeaver.Id));

        var run = await _jobs.Purge().HandleAsync(dryRun: false, RetentionSystemActor);

        Assert.NotNull(run);
        Assert.Equal(2, run.PupilsByAcademy[s.Trust.NorthAcademyId.ToString()]);
        Assert.All(await RowsAsync(s.OldLeaver.Id, s.OtherOldLeaver.Id), kv => Assert.True(kv.Value == 0, $"{kv.Key}: {kv.Value} left"));
        Assert.Equal(keptBefore, await RowsAsync(s.Sibling.Id, s.RecentLeaver.Id));
        await using (var db = database.CreateDbContext())
        {
            Assert.False(await db.Contacts.AnyAsync(c => c.Id == s.OwnDad.Id)); // nobody else's contact
            Assert.True(await db.Contacts.AnyAsync(c => c.Id == s.SharedMum.Id)); // still the sibling's mother
            // The chain is untouched: the entries about the leaver are still there, holding only ids.
            var entries = await db.AuditEntries.AsNoTracking().Where(e => e.PupilId == s.OldLeaver.Id).ToListAsync();
            Assert.NotEmpty(entries);
            Assert.All(entries, e => Assert.DoesNotContain("Alice", e.Payload, StringComparison.Ordinal));
        }
        var chains = await new VerifyAuditChain(database.DataSource).HandleAsync(new VerifyAuditChain.Request());
        Assert.NotEmpty(chains);
        Assert.All(chains, c => Assert.True(c.IsValid, $"chain {c.ChainId}: {c.FirstBrokenLink}"));

        var again = await _jobs.Purge().HandleAsync(dryRun: false, RetentionSystemActor);
        Assert.Equal(0, again!.Pupils);
    }

    [Fact]
    public async Task Answers_CannotBeDeletedOutsideThePurge()
    {
        var s = await SchoolAsync();
        await using var db = database.CreateDbContext();

        var e = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.ConsentAnswers.Where(a => a.PupilId == s.OldLeaver.Id).ExecuteDeleteAsync());

        Assert.Contains("append-only", e.MessageText, StringComparison.Ordinal);
    }

    private const string RetentionSystemActor = ConsentHub.Retention.PurgeLeavers.SystemActor;
}
