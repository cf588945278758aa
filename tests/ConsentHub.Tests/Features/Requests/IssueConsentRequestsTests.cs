using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Pupils;
using ConsentHub.Requests;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ConsentHub.Tests.Requests;

/// <summary>Office staff issue the form: who is asked, what the preview promises, and that nobody is asked twice.</summary>
public sealed class IssueConsentRequestsTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private readonly RequestsTestSupport _support = new(database);

    private sealed record School(TestTrust Trust, Pupil Year5, Contact Year5Mum, Contact Year5Dad, Pupil Year9, Contact Year9Mum,
        Pupil Year12, Pupil Year12Flagged, Contact Year12FlaggedMum, Pupil Year3NoParent, Pupil Left, Pupil South);

    /// <summary>
    /// North Academy: a Year 5 pupil with a mother and father (both with parental responsibility), a stepfather
    /// without it and a grandmother under a no-contact order; Year 9 and Year 12 pupils with school emails; a
    /// flagged Year 12; a Year 3 pupil whose only contact has no parental responsibility; a pupil who has left.
    /// South Academy: one pupil, never in North's audience.
    /// </summary>
    private async Task<School> SchoolAsync()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var (year5, mum5) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 5, "5B", "Amelia", "Smith");
        var dad5 = await RequestsTestSupport.AddContactAsync(database, year5.Id, "Tom", responsibility: true);
        await RequestsTestSupport.AddContactAsync(database, year5.Id, "Steve", responsibility: false, relationship: "Stepfather");
        await RequestsTestSupport.AddContactAsync(database, year5.Id, "Gran", responsibility: true, noContactOrder: true, relationship: "Grandmother");
        var (year9, mum9) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 9, "9R", "Ravi", "Patel");
        await RequestsTestSupport.UpdatePupilAsync(database, year9.Id, p => p.SchoolEmail = "ravi.patel@pupils.north.example");
        var (year12, _) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 12, "12S", "Isla", "Jones");
        await RequestsTestSupport.UpdatePupilAsync(database, year12.Id, p => p.SchoolEmail = "isla.jones@pupils.north.example");
        var (flagged, mum12) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 12, "12S", "Noah", "Brown");
        await RequestsTestSupport.UpdatePupilAsync(database, flagged.Id, p =>
        {
            p.AlsoAskParent = true;
            p.AlsoAskParentReason = "Agreed with the family";
            p.SchoolEmail = "noah.brown@pupils.north.example";
        });
        var (year3, _) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 3, "3A", "Leo", "Hall", parentHasResponsibility: false);
        var (left, _) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 5, "5B", "Freya", "Wood");
        await RequestsTestSupport.UpdatePupilAsync(database, left.Id, p => p.LeftOn = _support.Today.AddDays(-3));
        var (south, _) = await TestTrust.AddPupilAsync(db, t.SouthAcademyId, 5, "5S", "Sid", "South");
        return new School(t, year5, mum5, dad5, year9, mum9, year12, flagged, mum12, year3, left, south);
    }

    private IssueConsentRequests.Request WholeNorth(School s, IssueDelivery delivery = IssueDelivery.EmailWherePossible) =>
        new(s.Trust.NorthAcademyId, s.Trust.FormVersionId, IssueAudience.WholeAcademy, _support.Today.AddDays(14), delivery);

    private static HashSet<(Guid, PartyKind, Guid?)> Parties(IEnumerable<SignatureRequest> requests) =>
        [.. requests.Select(r => (r.PupilId, r.PartyKind, r.ContactId))];

    [Fact]
    public async Task TheRulesDecideWhoIsAsked_ByYearGroup_AndOnlyPupilsOnRollAtThisAcademy()
    {
        var s = await SchoolAsync();
        var office = RequestsTestSupport.Office(s.Trust.NorthAcademyId);

        var issued = Assert.IsType<IssueConsentRequests.Result.Issued>(await _support.Issue().HandleAsync(office, WholeNorth(s))).Summary;

        var requests = await _support.RequestsAsync(s.Trust.NorthAcademyId);
        Assert.Equal(new HashSet<(Guid, PartyKind, Guid?)>
        {
            (s.Year5.Id, PartyKind.Contact, s.Year5Mum.Id), (s.Year5.Id, PartyKind.Contact, s.Year5Dad.Id), // not the stepfather, not the grandmother
            (s.Year9.Id, PartyKind.Pupil, null), (s.Year9.Id, PartyKind.Contact, s.Year9Mum.Id),
            (s.Year12.Id, PartyKind.Pupil, null),
            (s.Year12Flagged.Id, PartyKind.Pupil, null), (s.Year12Flagged.Id, PartyKind.Contact, s.Year12FlaggedMum.Id),
        }, Parties(requests));
        Assert.Empty(await _support.RequestsAsync(s.Trust.SouthAcademyId));
        Assert.Equal(5, issued.Pupils); // the leaver and South's pupil are not in the audience
        Assert.Equal(7, issued.RequestsCreated);
        var noParent = Assert.Single(issued.WithoutParent);
        Assert.Equal((s.Year3NoParent.Id, "Leo Hall", "Year 3", false), (noParent.PupilId, noParent.Name, noParent.YearGroup, noParent.PupilAsked));

        Assert.All(requests, r =>
        {
            Assert.Equal(RequestStatus.Open, r.Status);
            Assert.Equal(s.Trust.FormVersionId, r.FormVersionId);
            Assert.Equal(issued.IssueId, r.IssueId);
            Assert.Equal(_support.Today.AddDays(14), r.Deadline);
            Assert.Equal(UkCalendar.StartOf(_support.Today.AddDays(15)) + TimeSpan.FromDays(14), r.ExpiresAt);
            Assert.True(SigningSecrets.TryNormaliseShortCode(r.ShortCode, out _));
            Assert.Equal(32, r.TokenHash.Length);
        });
        Assert.Equal(requests.Count, requests.Select(r => r.ShortCode).Distinct().Count());
        Assert.Equal(requests.Count, requests.Select(r => Convert.ToHexString(r.TokenHash)).Distinct().Count());
        // Every party here has a working address, so everyone is emailed.
        Assert.All(requests, r => Assert.Equal(RequestDelivery.Email, r.Delivery));
        Assert.Equal(7, (await _support.OutboxAsync(s.Trust.NorthAcademyId)).Count);
    }

    [Fact]
    public async Task ThePreview_CountsExactlyWhatTheIssueCreates_AndWritesNothing()
    {
        var s = await SchoolAsync();
        await RequestsTestSupport.UpdatePupilAsync(database, s.Year12.Id, p => p.SchoolEmail = null); // Isla: paper
        await using (var db = database.CreateDbContext())
        {
            var dad = await db.Contacts.SingleAsync(c => c.Id == s.Year5Dad.Id);
            dad.EmailFailingSince = _support.Clock.GetUtcNow().AddDays(-10); // bounced: paper
            await db.SaveChangesAsync();
        }
        var office = RequestsTestSupport.Office(s.Trust.NorthAcademyId);

        var preview = Assert.IsType<PreviewConsentRequests.Result.Previewed>(await _support.Preview().HandleAsync(office, WholeNorth(s))).Preview;

        Assert.Equal((5, 7, 3, 2, 2, 0, 0), (preview.Pupils, preview.NewRequests, preview.ParentEmails, preview.PupilEmails, preview.OnPaper, preview.AlreadyOpen, preview.AlreadyAnswered));
        Assert.Equal([s.Year3NoParent.Id], preview.WithoutParent.Select(p => p.PupilId));
        Assert.Empty(await _support.RequestsAsync(s.Trust.NorthAcademyId));

        var issued = Assert.IsType<IssueConsentRequests.Result.Issued>(await _support.Issue().HandleAsync(office, WholeNorth(s))).Summary;
        var requests = await _support.RequestsAsync(s.Trust.NorthAcademyId);
        Assert.Equal((preview.NewRequests, preview.ParentEmails + preview.PupilEmails, preview.OnPaper), (issued.RequestsCreated, issued.EmailsQueued, issued.OnPaper));
        Assert.Equal(preview.NewRequests, requests.Count);
        Assert.Equal(preview.OnPaper, requests.Count(r => r.Delivery == RequestDelivery.Paper));
        Assert.Equal(preview.ParentEmails + preview.PupilEmails, (await _support.OutboxAsync(s.Trust.NorthAcademyId)).Count);

        // Paper for everyone: nobody is emailed, every party is on paper.
        var paper = Assert.IsType<PreviewConsentRequests.Result.Previewed>(await _support.Preview().HandleAsync(office,
            WholeNorth(s, IssueDelivery.PaperForEveryone) with { FormVersionId = s.Trust.FormVersionId })).Preview;
        Assert.Equal((0, 0, 0, 7), (paper.NewRequests, paper.ParentEmails, paper.PupilEmails, paper.AlreadyOpen)); // all open now
    }

    [Fact]
    public async Task IssuingAgain_OrToAnOverlappingAudience_NeverAsksAnyoneTwice()
    {
        var s = await SchoolAsync();
        var office = RequestsTestSupport.Office(s.Trust.NorthAcademyId);
        var year9 = WholeNorth(s) with { Audience = IssueAudience.Years(9) };

        var first = Assert.IsType<IssueConsentRequests.Result.Issued>(await _support.Issue().HandleAsync(office, year9)).Summary;
        var again = Assert.IsType<IssueConsentRequests.Result.Issued>(await _support.Issue().HandleAsync(office, year9)).Summary;
        var preview = Assert.IsType<PreviewConsentRequests.Result.Previewed>(await _support.Preview().HandleAsync(office, WholeNorth(s))).Preview;
        var whole = Assert.IsType<IssueConsentRequests.Result.Issued>(await _support.Issue().HandleAsync(office, WholeNorth(s))).Summary;

        Assert.Equal((2, 0, 2), (first.RequestsCreated, again.RequestsCreated, again.Skipped));
        Assert.Null(again.IssueId); // nothing to do: no issue recorded
        Assert.Equal((2, 5), (preview.AlreadyOpen, preview.NewRequests));
        Assert.Equal((5, 2), (whole.RequestsCreated, whole.Skipped));
        var requests = await _support.RequestsAsync(s.Trust.NorthAcademyId);
        Assert.Equal(7, requests.Count);
        Assert.Equal(7, Parties(requests).Count);
        Assert.Equal(7, (await _support.OutboxAsync(s.Trust.NorthAcademyId)).Count);
    }

    [Fact]
    public async Task AnExpiredOpenRequest_IsClosed_AndThePartyAskedAfresh_ButAnAnswerOnThisVersionIsNotAskedAgain()
    {
        var s = await SchoolAsync();
        var office = RequestsTestSupport.Office(s.Trust.NorthAcademyId);
        var year9 = WholeNorth(s) with { Audience = IssueAudience.Years(9) };
        await _support.Issue().HandleAsync(office, year9);
        await using (var db = database.CreateDbContext())
        {
            var pupilRequest = await db.SignatureRequests.SingleAsync(r => r.PupilId == s.Year9.Id && r.PartyKind == PartyKind.Pupil);
            pupilRequest.ExpiresAt = _support.Clock.GetUtcNow().AddMinutes(-1);
            var mumRequest = await db.SignatureRequests.SingleAsync(r => r.PupilId == s.Year9.Id && r.PartyKind == PartyKind.Contact);
            mumRequest.Status = RequestStatus.Answered;
            await db.SaveChangesAsync();
        }

        var again = Assert.IsType<IssueConsentRequests.Result.Issued>(await _support.Issue().HandleAsync(office, year9)).Summary;

        Assert.Equal((1, 1), (again.RequestsCreated, again.Skipped));
        var requests = await _support.RequestsAsync(s.Trust.NorthAcademyId);
        Assert.Equal([RequestStatus.Open, RequestStatus.Expired], requests.Where(r => r.PartyKind == PartyKind.Pupil).Select(r => r.Status).Order());
        Assert.Equal(RequestStatus.Answered, requests.Single(r => r.PartyKind == PartyKind.Contact).Status);
    }

    [Fact]
    public async Task TwoPeopleIssuingTheSameAudienceAtOnce_AskEachPartyOnce()
    {
        var s = await SchoolAsync();
        var office = RequestsTestSupport.Office(s.Trust.NorthAcademyId);

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => _support.Issue().HandleAsync(office, WholeNorth(s)))));

        var created = results.Select(r => Assert.IsType<IssueConsentRequests.Result.Issued>(r).Summary.RequestsCreated).ToList();
        Assert.Equal(7, created.Sum());
        Assert.Equal(7, created.Max());
        var requests = await _support.RequestsAsync(s.Trust.NorthAcademyId);
        Assert.Equal(7, requests.Count);
        Assert.Equal(7, (await _support.OutboxAsync(s.Trust.NorthAcademyId)).Count);
    }

    [Fact]
    public async Task TheDatabase_RefusesASecondOpenRequest_ForTheSameParty_EvenThePupilWithNoContact()
    {
        var s = await SchoolAsync();
        await _support.Issue().HandleAsync(RequestsTestSupport.Office(s.Trust.NorthAcademyId), WholeNorth(s));

        foreach (var (kind, contact) in new[] { (PartyKind.Pupil, (Guid?)null), (PartyKind.Contact, s.Year9Mum.Id) })
        {
            await using var db = database.CreateDbContext();
            db.SignatureRequests.Add(new SignatureRequest
            {
                Id = Guid.NewGuid(),
                PupilId = s.Year9.Id,
                AcademyId = s.Trust.NorthAcademyId,
                FormVersionId = s.Trust.FormVersionId,
                PartyKind = kind,
                ContactId = contact,
                IssuedAt = DateTimeOffset.UtcNow,
                IssuedBy = "script",
                Status = RequestStatus.Open,
                TokenHash = SigningSecrets.HashToken(SigningSecrets.NewToken()),
                ShortCode = SigningSecrets.NewShortCode(),
                ExpiresAt = DateTimeOffset.UtcNow.AddDays(30),
            });
            var e = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            Assert.Equal("ux_signature_requests_open_party", Assert.IsType<PostgresException>(e.InnerException).ConstraintName);
        }
    }

    [Fact]
    public async Task BadInput_GetsAClearMessage_AndWritesNothing()
    {
        var s = await SchoolAsync();
        var office = RequestsTestSupport.Office(s.Trust.NorthAcademyId);
        var draft = Guid.NewGuid();
        await using (var db = database.CreateDbContext())
        {
            db.FormVersions.Add(new FormVersion { Id = draft, Label = "draft-" + draft.ToString("N")[..6] });
            await db.SaveChangesAsync();
        }
        var good = WholeNorth(s);
        var cases = new (string Field, IssueConsentRequests.Request Request, Access.AccessScope Scope, string Message)[]
        {
            ("formVersion", good with { FormVersionId = draft }, office, "Choose a published form version."),
            ("formVersion", good with { FormVersionId = Guid.NewGuid() }, office, "Choose a published form version."),
            ("deadline", good with { Deadline = _support.Today.AddDays(-1) }, office, $"The deadline cannot be in the past: choose {UkCalendar.Format(_support.Today)} or later."),
            ("audience", good with { Audience = IssueAudience.Years() }, office, "Choose at least one year group."),
            ("audience", good with { Audience = IssueAudience.Classes(" ") }, office, "Choose at least one class."),
            ("audience", good with { Audience = IssueAudience.Chosen() }, office, "Choose at least one pupil."),
            ("audience", good with { Audience = IssueAudience.Years(13) }, office, "No pupils on roll at this academy match this audience."),
            ("audience", good with { Audience = IssueAudience.Chosen(s.South.Id) }, office, "No pupils on roll at this academy match this audience."),
            ("academy", good, RequestsTestSupport.Office(s.Trust.SouthAcademyId), "Choose an academy you may issue forms for."),
        };
        foreach (var (field, request, scope, message) in cases)
        {
            var preview = Assert.IsType<PreviewConsentRequests.Result.Invalid>(await _support.Preview().HandleAsync(scope, request));
            var issue = Assert.IsType<IssueConsentRequests.Result.Invalid>(await _support.Issue().HandleAsync(scope, request));
            Assert.Equal(message, Assert.Single(issue.Errors[field]));
            Assert.Equal(issue.Errors[field], preview.Errors[field]);
        }

        await using var check = database.CreateDbContext();
        Assert.Empty(await _support.RequestsAsync(s.Trust.NorthAcademyId));
        Assert.False(await check.RequestIssues.AnyAsync(i => i.AcademyId == s.Trust.NorthAcademyId));
        Assert.Empty(await _support.OutboxAsync(s.Trust.NorthAcademyId));
        Assert.False(await check.AuditEntries.AnyAsync(e => e.ChainId == s.Trust.NorthAcademyId && e.Action == "requests.issued"));
    }

    [Fact]
    public async Task TheIssue_IsAuditedOnce_WithCountsAndAudience_AndNoNamesOrEmails()
    {
        var s = await SchoolAsync();
        var office = RequestsTestSupport.Office(s.Trust.NorthAcademyId);

        var issued = Assert.IsType<IssueConsentRequests.Result.Issued>(await _support.Issue().HandleAsync(office,
            WholeNorth(s) with { Audience = IssueAudience.Classes("5B", "9R") })).Summary;

        await using var db = database.CreateDbContext();
        var entry = Assert.Single(await db.AuditEntries.AsNoTracking().Where(e => e.Action == "requests.issued" && e.EntityId == issued.IssueId.ToString()).ToListAsync());
        Assert.Equal(office.Actor, entry.Actor);
        var data = entry.Payload;
        Assert.Contains("\"requests\":4", data, StringComparison.Ordinal);
        Assert.Contains("Classes 5B, 9R", data, StringComparison.Ordinal);
        Assert.Contains(s.Trust.FormVersionId.ToString(), data, StringComparison.Ordinal);
        foreach (var personal in new[] { "Amelia", "Smith", "Ravi", "Patel", "@" })
            Assert.DoesNotContain(personal, data, StringComparison.Ordinal);
        var batch = await db.RequestIssues.SingleAsync(i => i.Id == issued.IssueId);
        Assert.Equal(("Classes 5B, 9R", 2, 4, 4, 0, office.Actor), (batch.AudienceDescription, batch.Pupils, batch.RequestsCreated, batch.EmailsQueued, batch.OnPaper, batch.IssuedBy));
    }

    [Fact]
    public async Task ChosenPupils_AndNewStarters_AreAudiencesToo()
    {
        var s = await SchoolAsync();
        var office = RequestsTestSupport.Office(s.Trust.NorthAcademyId);
        await RequestsTestSupport.UpdatePupilAsync(database, s.Year9.Id, p => p.StartedOn = _support.Today.AddDays(-5));
        await RequestsTestSupport.UpdatePupilAsync(database, s.Year5.Id, p => p.StartedOn = _support.Today.AddYears(-3));

        var chosen = Assert.IsType<PreviewConsentRequests.Result.Previewed>(await _support.Preview().HandleAsync(office,
            WholeNorth(s) with { Audience = IssueAudience.Chosen(s.Year12.Id, s.Left.Id, s.South.Id) })).Preview;
        var starters = Assert.IsType<PreviewConsentRequests.Result.Previewed>(await _support.Preview().HandleAsync(office,
            WholeNorth(s) with { Audience = IssueAudience.StartersSince(_support.Today.AddDays(-30)) })).Preview;

        Assert.Equal((1, 1), (chosen.Pupils, chosen.NewRequests)); // the leaver and South's pupil are not issued to
        Assert.Equal((1, 2), (starters.Pupils, starters.NewRequests));
    }

    [Fact]
    public async Task ASecondaryPupilWithNoParentToAsk_IsStillAsked_AndListedForTheOffice()
    {
        var s = await SchoolAsync();
        await using (var db = database.CreateDbContext())
        {
            var link = await db.PupilContacts.SingleAsync(l => l.PupilId == s.Year9.Id);
            link.NoContactOrder = true;
            await db.SaveChangesAsync();
        }

        var preview = Assert.IsType<PreviewConsentRequests.Result.Previewed>(await _support.Preview().HandleAsync(RequestsTestSupport.Office(s.Trust.NorthAcademyId),
            WholeNorth(s) with { Audience = IssueAudience.Years(9) })).Preview;

        Assert.Equal((1, 1, 1, 0), (preview.Pupils, preview.NewRequests, preview.PupilEmails, preview.ParentEmails));
        var listed = Assert.Single(preview.WithoutParent);
        Assert.Equal((s.Year9.Id, "Year 9", true), (listed.PupilId, listed.YearGroup, listed.PupilAsked));
    }

    [Fact]
    public async Task ARequestCommittedWhileTheIssueIsWriting_IsNotDuplicated_AndThatPartyGetsNoSecondEmail()
    {
        var s = await SchoolAsync();
        // Another writer (not taking turns with issues) holds a new open request for Ravi, uncommitted, while the
        // issue plans without seeing it and then meets it in the unique index.
        await using var other = database.CreateDbContext();
        await using var tx = await other.Database.BeginTransactionAsync();
        other.SignatureRequests.Add(new SignatureRequest
        {
            Id = Guid.NewGuid(),
            PupilId = s.Year9.Id,
            AcademyId = s.Trust.NorthAcademyId,
            FormVersionId = s.Trust.FormVersionId,
            PartyKind = PartyKind.Pupil,
            IssuedAt = DateTimeOffset.UtcNow,
            IssuedBy = "other writer",
            Status = RequestStatus.Open,
            TokenHash = SigningSecrets.HashToken(SigningSecrets.NewToken()),
            ShortCode = SigningSecrets.NewShortCode(),
            ExpiresAt = DateTimeOffset.UtcNow.AddDays(30),
        });
        await other.SaveChangesAsync();

        var issuing = Task.Run(() => _support.Issue().HandleAsync(RequestsTestSupport.Office(s.Trust.NorthAcademyId), WholeNorth(s)));
        await using (var watch = database.CreateDbContext())
        {
            var waited = 0;
            while (await watch.Database.SqlQueryRaw<int>(
                "SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").SingleAsync() == 0)
            {
                Assert.False(issuing.IsCompleted, "The issue finished without meeting the uncommitted request.");
                Assert.True(++waited < 200, "The issue never waited on the unique index.");
                await Task.Delay(50);
            }
        }
        await tx.CommitAsync();
        var summary = Assert.IsType<IssueConsentRequests.Result.Issued>(await issuing).Summary;

        Assert.Equal((6, 1), (summary.RequestsCreated, summary.Skipped));
        var requests = await _support.RequestsAsync(s.Trust.NorthAcademyId);
        Assert.Equal(7, requests.Count);
        Assert.Equal(7, Parties(requests).Count);
        var mail = await _support.OutboxAsync(s.Trust.NorthAcademyId);
        Assert.Equal(6, mail.Count);
        Assert.DoesNotContain(mail, m => m.ToAddress == "ravi.patel@pupils.north.example");
    }
}
