using ConsentHub.Access;
using ConsentHub.Chasing;
using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Data;
using ConsentHub.Email;
using ConsentHub.Monitoring;
using ConsentHub.Pupils;
using ConsentHub.Requests;
using ConsentHub.Signing;
using ConsentHub.Staff;
using ConsentHub.Takedowns;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Trust;
using ConsentHub.Trust.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ConsentHub.Tests.Monitoring;

/// <summary>
/// Every dashboard figure over a small hand-built history, with the expected values worked out by hand in the
/// comments. Each test builds its own trust (its own regions and academies) and reads through a region scope, so
/// the tests of the class share a database without seeing each other's rows.
/// </summary>
public sealed class MonitoringFiguresTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static readonly TimeSpan OverdueAfter = TimeSpan.FromDays(2);
    // "Now" is 2 Nov 2026 09:00 unless a test moves it (a new instance per test, so each test starts here).
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));

    /// <summary>The coverage test walks from summer to November, so it starts its own clock earlier.</summary>
    private readonly FakeTimeProvider _summer = new(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero));

    private static DateTimeOffset At(int month, int day, int hour = 9) => new(2026, month, day, hour, 0, 0, TimeSpan.Zero);

    private LoadMonitoringFigures Figures() => new(database.DataSource, _clock);

    private TakeCoverageSnapshot Snapshot() =>
        new(database.DataSource, new ConsentStatusReader(database.DataSource, new ConsentReferenceCache(database.DataSource, _summer), _summer), _summer,
            NullLogger<TakeCoverageSnapshot>.Instance);

    private static AccessScope Director(TestTrust t) => AccessScope.Region(t.NorthRegionId, "staff:director");

    private static readonly MonitoringFilter October = new(new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 31));

    private static async Task<ConsentAnswer> AnswerAsync(ConsentHubDbContext db, TestTrust t, Pupil pupil, Contact parent, AnswerKind kind, AnswerMethod method,
        DateTimeOffset at, DateTimeOffset? recordedAt = null, Guid? requestId = null)
    {
        var answer = new ConsentAnswer
        {
            PupilId = pupil.Id,
            AcademyId = pupil.AcademyId,
            PurposeId = t.SocialPurposeId,
            PartyKind = PartyKind.Contact,
            ContactId = parent.Id,
            Kind = kind,
            Method = method,
            FormVersionId = t.FormVersionId,
            At = at,
            RecordedAt = recordedAt ?? at,
            RecordedBy = "test office",
            Attested = method != AnswerMethod.Online,
            SignatureRequestId = requestId,
        };
        db.ConsentAnswers.Add(answer);
        await db.SaveChangesAsync();
        return answer;
    }

    private static async Task<Guid> RequestAsync(ConsentHubDbContext db, Pupil pupil, Contact parent, DateTimeOffset issuedAt, RequestStatus status,
        RequestDelivery delivery = RequestDelivery.Email)
    {
        var r = await TestRequests.IssueAsync(db, pupil, parent, status: status, expiresAt: At(12, 31));
        await db.SignatureRequests.Where(x => x.Id == r.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.IssuedAt, issuedAt).SetProperty(x => x.Delivery, delivery));
        return r.Id;
    }

    private static void Reminder(ConsentHubDbContext db, Guid requestId, int n, DateTimeOffset sentAt, OutboxStatus status = OutboxStatus.Sent) =>
        db.OutboxMessages.Add(new OutboxMessage
        {
            BusinessKey = $"reminder:{requestId}:{n}",
            MessageId = $"<reminder.{requestId:N}.{n}@test>",
            ToAddress = "parent@example.org",
            Subject = "Reminder",
            TextBody = "Please answer",
            SignatureRequestId = requestId,
            Status = status,
            CreatedAt = sentAt.AddMinutes(-1),
            NextAttemptAt = sentAt,
            SentAt = status == OutboxStatus.Sent ? sentAt : null,
        });

    // ---------------------------------------------------------------- coverage

    [Fact]
    public async Task Coverage_WeeksAndTerms_AreTheLastSnapshotOfEach_AndSnapshotsAreIdempotent()
    {
        TestTrust t;
        await using (var db = database.CreateDbContext())
        {
            t = await TestTrust.CreateAsync(db);
            // Year 3 (only the parent answers). 3A: Amelia, Bartosz; 3B: Chidi, Đặng.
            var (a, pa) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 3, "3A", "Amelia", "Smith");
            var (b, pb) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 3, "3A", "Bartosz", "Łukasiewicz");
            var (c, pc) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 3, "3B", "Chidi", "O'Brien");
            await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 3, "3B", "Đặng", "Văn");
            await TestRequests.IssueAsync(db, a, pa);
            await TestRequests.IssueAsync(db, b, pb);
            await TestRequests.IssueAsync(db, c, pc);
            await AnswerAsync(db, t, a, pa, AnswerKind.Grant, AnswerMethod.Paper, At(6, 30));

            // 1 Jul: Amelia allowed; Bartosz and Chidi asked, no answer; Đặng never asked. Neither class complete.
            _summer.SetUtcNow(At(7, 1, 12));
            await Snapshot().RunAsync(CancellationToken.None);

            // 2 Nov: Bartosz's parent agrees, so 3A is complete.
            await AnswerAsync(db, t, b, pb, AnswerKind.Grant, AnswerMethod.Paper, At(11, 1));
            _summer.SetUtcNow(At(11, 2, 18));
            await Snapshot().RunAsync(CancellationToken.None);

            // 4 Nov: Chidi's parent refuses.
            await AnswerAsync(db, t, c, pc, AnswerKind.Refuse, AnswerMethod.Paper, At(11, 3));
            _summer.SetUtcNow(At(11, 4, 18));
            await Snapshot().RunAsync(CancellationToken.None);
        }
        // 9 Nov, twice: the second run replaces the day's rows.
        _summer.SetUtcNow(At(11, 9, 18));
        await Snapshot().RunAsync(CancellationToken.None);
        await Snapshot().RunAsync(CancellationToken.None);
        await using (var db = database.CreateDbContext())
            Assert.Equal(2, await db.CoverageSnapshots.CountAsync(s => s.AcademyId == t.NorthAcademyId && s.Day == new DateOnly(2026, 11, 9)));

        var f = await Figures().HandleAsync(Director(t), new MonitoringFilter(new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 15)), OverdueAfter);

        static CoverageCounts Social(CoveragePoint p) => p.Purposes.Single(x => x.PurposeKey == TestTrust.Social);
        static (int, int, int, int, int, int) Tuple(CoverageCounts c) => (c.Allowed, c.NotAllowed, c.Pending, c.NotRequested, c.Classes, c.ClassesAllAllowed);

        // Week of 2 Nov stands at its last snapshot (4 Nov), the week of 9 Nov at 9 Nov.
        Assert.Equal([new DateOnly(2026, 11, 4), new DateOnly(2026, 11, 9)], f.Coverage.Weeks.Select(w => w.Day));
        Assert.Equal(["w/c 2 Nov", "w/c 9 Nov"], f.Coverage.Weeks.Select(w => w.Label));
        Assert.Equal((2, 1, 0, 1, 2, 1), Tuple(Social(f.Coverage.Weeks[0])));
        Assert.Equal(new DateOnly(2026, 11, 9), f.Coverage.Latest!.Day);
        Assert.Equal(0.5, Social(f.Coverage.Latest).AllowedShare, 6);
        Assert.Equal(0.5, Social(f.Coverage.Latest).ClassShare, 6);

        // Term on term: summer (1 Jul) and this autumn (9 Nov); earlier terms have no snapshot.
        Assert.Equal(["Summer 2026", "Autumn 2026"], f.Coverage.Terms.Select(x => x.Label));
        Assert.Equal((1, 0, 2, 1, 2, 0), Tuple(Social(f.Coverage.Terms[0])));
        Assert.Equal((2, 1, 0, 1, 2, 1), Tuple(Social(f.Coverage.Terms[1])));

        var north = Assert.Single(f.Coverage.ByAcademy);
        Assert.Equal("North Academy", north.AcademyName);
        Assert.Equal(4, north.Purposes.Single(p => p.PurposeKey == TestTrust.Social).Pupils);

        // The South region's director sees none of it; an academy filter outside the scope finds nothing.
        var south = await Figures().HandleAsync(AccessScope.Region(t.SouthRegionId, "staff:other"), new MonitoringFilter(new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 15)), OverdueAfter);
        Assert.Empty(south.Coverage.Weeks);
        var outside = await Figures().HandleAsync(AccessScope.Region(t.SouthRegionId, "staff:other"),
            new MonitoringFilter(new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 15), AcademyId: t.NorthAcademyId), OverdueAfter);
        Assert.Empty(outside.Academies);
        Assert.Null(outside.Coverage.Latest);
    }

    // ---------------------------------------------------------------- chasing

    [Fact]
    public async Task Chasing_ResponseRatesByReminder_TimeToAnswer_PaperAndOnline_FollowUps_FailingAddresses()
    {
        TestTrust t;
        await using (var db = database.CreateDbContext())
        {
            t = await TestTrust.CreateAsync(db);
            async Task<(Pupil, Contact)> Pupil(string first) => await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 4, "4C", first, "Mureșan");
            var (p1, c1) = await Pupil("Ana");
            var (p2, c2) = await Pupil("Bogdan");
            var (p3, c3) = await Pupil("Carmen");
            var (p4, c4) = await Pupil("Dan");
            var (p5, c5) = await Pupil("Elena");
            var (p6, c6) = await Pupil("Florin");

            // All issued 5 Oct 09:00 except R6 (20 Sep, before the period).
            var r1 = await RequestAsync(db, p1, c1, At(10, 5), RequestStatus.Answered);
            var r2 = await RequestAsync(db, p2, c2, At(10, 5), RequestStatus.Answered);
            var r3 = await RequestAsync(db, p3, c3, At(10, 5), RequestStatus.Answered);
            var r4 = await RequestAsync(db, p4, c4, At(10, 5), RequestStatus.Open);
            await RequestAsync(db, p5, c5, At(10, 5), RequestStatus.Answered, RequestDelivery.Paper);
            await RequestAsync(db, p6, c6, At(9, 20), RequestStatus.Answered);

            // R1 online after 6 h, before any reminder.
            await AnswerAsync(db, t, p1, c1, AnswerKind.Grant, AnswerMethod.Online, At(10, 5, 15), requestId: r1);
            // R2 on paper after one reminder: signed 9 Oct 09:00 (96 h), typed in an hour later.
            Reminder(db, r2, 1, At(10, 8));
            await AnswerAsync(db, t, p2, c2, AnswerKind.Grant, AnswerMethod.Paper, At(10, 9), At(10, 9, 10));
            // R3 online after two reminders: 13 Oct 09:00 (192 h). A third reminder was never sent.
            Reminder(db, r3, 1, At(10, 8));
            Reminder(db, r3, 2, At(10, 12));
            Reminder(db, r3, 3, At(10, 19), OutboxStatus.Cancelled);
            await AnswerAsync(db, t, p3, c3, AnswerKind.Refuse, AnswerMethod.Online, At(10, 13), requestId: r3);
            // R4 never answered: three reminders, then the follow-up list (21 Oct).
            Reminder(db, r4, 1, At(10, 8));
            Reminder(db, r4, 2, At(10, 12));
            Reminder(db, r4, 3, At(10, 19));
            await db.SaveChangesAsync();
            // R5 went on paper; the office recorded the phone answer after 24 h.
            await AnswerAsync(db, t, p5, c5, AnswerKind.Grant, AnswerMethod.RecordedByStaff, At(10, 6));
            // R6: before the period.
            await AnswerAsync(db, t, p6, c6, AnswerKind.Grant, AnswerMethod.Online, At(9, 21));

            db.FollowUps.Add(new FollowUp { Id = Guid.NewGuid(), AcademyId = t.NorthAcademyId, SignatureRequestId = r4, PupilId = p4.Id, PartyKind = PartyKind.Contact, ContactId = c4.Id, Reason = FollowUpReason.NoAnswer, CreatedAt = At(10, 21) });
            db.FollowUps.Add(new FollowUp { Id = Guid.NewGuid(), AcademyId = t.NorthAcademyId, SignatureRequestId = r2, PupilId = p2.Id, PartyKind = PartyKind.Contact, ContactId = c2.Id, Reason = FollowUpReason.EmailFailing, CreatedAt = At(10, 7), ResolvedAt = At(10, 9) });
            await db.SaveChangesAsync();
            // Failing addresses: Bogdan's parent since 7 Oct (in the period), Florin's since 1 Sep.
            await db.Contacts.Where(c => c.Id == c2.Id).ExecuteUpdateAsync(u => u.SetProperty(c => c.EmailFailingSince, At(10, 7)));
            await db.Contacts.Where(c => c.Id == c6.Id).ExecuteUpdateAsync(u => u.SetProperty(c => c.EmailFailingSince, At(9, 1)));
        }

        var c = (await Figures().HandleAsync(Director(t), October, OverdueAfter)).Chasing;

        Assert.Equal((5, 4, 1), (c.Issued, c.IssuedByEmail, c.IssuedOnPaper));
        Assert.Equal((4, 2, 1, 1), (c.Answered, c.AnsweredOnline, c.AnsweredOnPaper, c.AnsweredByStaff));
        // Email requests answered after 0, 1, 2, 3 reminders (R4 had 3 and no answer).
        Assert.Equal([1, 1, 1, 0], c.AnsweredAfterReminders);
        Assert.Equal([0.25, 0.5, 0.75, 0.75], c.ResponseRates);
        // Hours 6, 24, 96, 192: median (24 + 96) / 2; p90 at 2.7 of 3 → 96 + 0.7 × 96.
        Assert.Equal(60, c.MedianHoursToAnswer!.Value, 6);
        Assert.Equal(163.2, c.P90HoursToAnswer!.Value, 6);
        // One open follow-up, 12 days old on 2 Nov 09:00; two added in October.
        Assert.Equal((1, 2), (c.FollowUpsOpen, c.FollowUpsAddedInPeriod));
        Assert.Equal(12, c.FollowUpMedianAgeDays!.Value, 6);
        Assert.Equal(12, c.FollowUpOldestDays!.Value, 6);
        Assert.Equal(1, c.FollowUpsByReason["NoAnswer"]);
        Assert.Equal((2, 1), (c.FailingAddresses, c.FailingAddressesNewInPeriod));

        // The South director sees no requests of North.
        var south = (await Figures().HandleAsync(AccessScope.Region(t.SouthRegionId, "staff:other"), October, OverdueAfter)).Chasing;
        Assert.Equal((0, 0, 0), (south.Issued, south.FollowUpsOpen, south.FailingAddresses));
    }

    // ---------------------------------------------------------------- takedowns

    [Fact]
    public async Task Takedowns_OpenedDoneTimeToDoneOverdueEscalated_ByAcademyAndAccount()
    {
        TestTrust t;
        AffiliatedAccount academyAccount, regionAccount;
        await using (var db = database.CreateDbContext())
        {
            t = await TestTrust.CreateAsync(db);
            academyAccount = Account(PauseScope.Academy, t.NorthAcademyId, "north");
            regionAccount = Account(PauseScope.Region, t.NorthRegionId, "northregion");
            db.AffiliatedAccounts.AddRange(academyAccount, regionAccount);
            var (p1, _) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 5, "5A", "Zoë", "O'Brien");
            var (p2, _) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 5, "5A", "محمد", "Al-Sayed");
            var (p3, _) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 5, "5A", "Łukasz", "Nowak");
            TakedownTask Task(AffiliatedAccount acc, Pupil p, DateTimeOffset created, DateTimeOffset? done = null, DateTimeOffset? escalated = null) => new()
            {
                Id = Guid.NewGuid(),
                PupilId = p.Id,
                AcademyId = p.AcademyId,
                PurposeId = t.SocialPurposeId,
                AccountId = acc.Id,
                Reason = TakedownTask.WithdrawalReason,
                CreatedAt = created,
                DoneAt = done,
                DoneBy = done is null ? null : "staff:x",
                EscalatedAt = escalated,
            };
            db.TakedownTasks.AddRange(
                Task(academyAccount, p1, At(10, 2), done: At(10, 2, 15)),                       // T1: 6 h
                Task(regionAccount, p1, At(10, 2), done: At(10, 5), escalated: At(10, 4)),      // T2: 72 h, escalated
                Task(academyAccount, p2, At(10, 30)),                                           // T3: open, not yet 2 days old on 1 Nov
                Task(regionAccount, p3, At(10, 20), escalated: At(10, 22)),                     // T4: open, overdue, escalated
                Task(academyAccount, p3, At(9, 25), done: At(10, 3)));                          // T5: opened before, done in October: 192 h
            await db.SaveChangesAsync();
        }

        var d = (await Figures().HandleAsync(Director(t), October, OverdueAfter)).Takedowns;

        Assert.Equal((4, 3, 1, 2), (d.Opened, d.Done, d.Overdue, d.Escalated));
        // Hours to done 6, 72, 192: median 72; p90 at 1.8 of 2 → 72 + 0.8 × 120.
        Assert.Equal(72, d.MedianHoursToDone!.Value, 6);
        Assert.Equal(168, d.P90HoursToDone!.Value, 6);
        var academy = Assert.Single(d.ByAcademy);
        Assert.Equal(("North Academy", 4, 3, 1, 2), (academy.Name, academy.Opened, academy.Done, academy.Overdue, academy.Escalated));
        var byAccount = d.ByAccount.ToDictionary(a => a.Id);
        Assert.Equal((2, 2, 0, 0), (byAccount[academyAccount.Id].Opened, byAccount[academyAccount.Id].Done, byAccount[academyAccount.Id].Overdue, byAccount[academyAccount.Id].Escalated));
        Assert.Equal((2, 1, 1, 2), (byAccount[regionAccount.Id].Opened, byAccount[regionAccount.Id].Done, byAccount[regionAccount.Id].Overdue, byAccount[regionAccount.Id].Escalated));

        // Looking at the first week of November instead (now 2 Nov 09:00): T3 has become overdue too.
        var nov = (await Figures().HandleAsync(Director(t), new MonitoringFilter(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 7)), OverdueAfter)).Takedowns;
        Assert.Equal((0, 0, 2, 0), (nov.Opened, nov.Done, nov.Overdue, nov.Escalated));
    }

    private static AffiliatedAccount Account(PauseScope scope, Guid? scopeId, string who, string? first = null, string? second = null, string? secondName = "Bob",
        DateTimeOffset? closed = null)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        return new AffiliatedAccount
        {
            Id = Guid.NewGuid(),
            Platform = SocialPlatform.Instagram,
            Handle = $"@{who}{tag}",
            Scope = scope,
            ScopeId = scopeId,
            FirstAdminName = "Ann",
            FirstAdminEmail = first ?? $"ann.{tag}@trust.example.org",
            SecondAdminName = secondName ?? "",
            SecondAdminEmail = second ?? $"bob.{tag}@trust.example.org",
            RegisteredAt = At(1, 5),
            RegisteredBy = "staff:comms",
            ClosedAt = closed,
        };
    }

    // ---------------------------------------------------------------- register

    [Fact]
    public async Task Register_CountsMissingSecondContact_OffDomainContacts_AndAccountsWithNoOwnerInPost()
    {
        TestTrust t;
        await using (var db = database.CreateDbContext())
        {
            t = await TestTrust.CreateAsync(db);
            var trust = await db.Trusts.SingleAsync();
            if (!trust.EmailDomains.Contains("trust.example.org")) trust.EmailDomains = [.. trust.EmailDomains, "trust.example.org"];
            var tag = Guid.NewGuid().ToString("N")[..8];
            string Staff(string name, bool disabled = false)
            {
                var email = $"{name}.{tag}@trust.example.org";
                db.Users.Add(new StaffUser
                {
                    Id = Guid.NewGuid(),
                    UserName = email,
                    NormalizedUserName = email.ToUpperInvariant(),
                    Email = email,
                    NormalizedEmail = email.ToUpperInvariant(),
                    DisplayName = name,
                    Disabled = disabled,
                    SecurityStamp = Guid.NewGuid().ToString(),
                    CreatedAt = At(1, 1),
                });
                return email;
            }
            var head = Staff("head");
            var comms = Staff("comms");
            var gone = Staff("gone", disabled: true);
            db.AffiliatedAccounts.AddRange(
                Account(PauseScope.Academy, t.NorthAcademyId, "good", first: head),                                       // no gaps
                Account(PauseScope.Academy, t.NorthAcademyId, "single", first: head, second: head.ToUpperInvariant()),    // missing second
                Account(PauseScope.Academy, t.NorthAcademyId, "gmail", first: head, second: "bob.pta@gmail.com"),         // off domain
                Account(PauseScope.Academy, t.NorthAcademyId, "orphan", first: gone),                                     // no owner in post
                Account(PauseScope.Academy, t.NorthAcademyId, "closed", first: "x@gmail.com", closed: At(2, 1)),          // closed: not counted
                Account(PauseScope.Academy, t.SouthAcademyId, "south", first: "y@gmail.com"),                             // other region
                Account(PauseScope.Region, t.NorthRegionId, "region", first: comms));                                     // region's own, no gaps
            await db.SaveChangesAsync();
        }

        var r = (await Figures().HandleAsync(Director(t), October, OverdueAfter)).Register;

        Assert.Equal((5, 1, 1, 1, 3), (r.OpenAccounts, r.MissingSecondContact, r.NonTrustDomain, r.NoOwnerInPost, r.WithGaps));
    }

    // ---------------------------------------------------------------- pauses

    [Fact]
    public async Task Pauses_InForceDuringThePeriod_OverTheScope_AreListedInOrder()
    {
        TestTrust t;
        await using (var db = database.CreateDbContext())
        {
            t = await TestTrust.CreateAsync(db);
            PostingPause Pause(PauseScope scope, Guid? id, DateTimeOffset from, DateTimeOffset? until, string reason) =>
                new() { Id = Guid.NewGuid(), Scope = scope, ScopeId = id, From = from, Until = until, Reason = reason, SetBy = "staff:head", SetAt = from };
            db.PostingPauses.AddRange(
                Pause(PauseScope.Region, t.NorthRegionId, At(9, 1), null, "Regional review"),
                Pause(PauseScope.Academy, t.NorthAcademyId, At(10, 10), At(10, 12), "Incident on site"),
                Pause(PauseScope.Academy, t.NorthAcademyId, At(9, 1), At(9, 15), "Ended before October"),
                Pause(PauseScope.Academy, t.SouthAcademyId, At(10, 10), At(10, 11), "Another region"));
            await db.SaveChangesAsync();
        }

        var pauses = (await Figures().HandleAsync(Director(t), October, OverdueAfter)).Pauses
            .Where(p => p.Scope != "Trust").ToList(); // a trust-wide pause another class set would show here too

        Assert.Equal(["Regional review", "Incident on site"], pauses.Select(p => p.Reason));
        Assert.StartsWith("North ", pauses[0].Where);
        Assert.Equal("North Academy", pauses[1].Where);
    }
}
