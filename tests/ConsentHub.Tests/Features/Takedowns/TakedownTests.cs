using ConsentHub.Access;
using ConsentHub.Consent;
using ConsentHub.Photos;
using ConsentHub.Pupils;
using ConsentHub.Signing;
using ConsentHub.Staff;
using ConsentHub.Takedowns;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Smtp;
using ConsentHub.Trust;
using ConsentHub.Trust.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace ConsentHub.Tests.Takedowns;

/// <summary>
/// A withdrawal or a new safeguarding flag reaches the people who run the trust's accounts (policy §4.1.3, §4.4):
/// tasks per account, an email to both administrative contacts that says only what to do, "done" by a named
/// person, and escalation of what stays open.
/// </summary>
public sealed class TakedownTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private const string SafeguardingReason = "Court order: the father must not learn which school she attends";

    private readonly SmtpSink _sink = SmtpSink.Start();
    private readonly JobsTestSupport _jobs = new(database, new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero)));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _sink.DisposeAsync();

    private sealed record School(TestTrust Trust, Pupil Pupil, AffiliatedAccount Academy, AffiliatedAccount Region, AffiliatedAccount TrustWide,
        AffiliatedAccount OtherAcademy, AffiliatedAccount Closed)
    {
        public AffiliatedAccount[] Featuring => [Academy, Region, TrustWide];
    }

    private async Task<School> SchoolAsync()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        // Tests in this class share a database: an earlier test's trust-wide account would feature this pupil too.
        await db.AffiliatedAccounts.Where(a => a.Scope == PauseScope.Trust && a.ClosedAt == null).ExecuteUpdateAsync(u => u.SetProperty(a => a.ClosedAt, _jobs.Clock.GetUtcNow()));
        var (pupil, _) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 9, "9R", "Zoë", "O'Brien");
        AffiliatedAccount Account(PauseScope scope, Guid? scopeId, string who, bool closed = false)
        {
            var tag = Guid.NewGuid().ToString("N")[..8];
            var a = new AffiliatedAccount
            {
                Id = Guid.NewGuid(),
                Platform = SocialPlatform.Instagram,
                Handle = $"@{who}{tag}",
                Scope = scope,
                ScopeId = scopeId,
                FirstAdminName = $"Ann {who}",
                FirstAdminEmail = $"ann.{who}.{tag}@trust.example.org",
                SecondAdminName = $"Bob {who}",
                SecondAdminEmail = $"bob.{who}.{tag}@trust.example.org",
                RegisteredAt = _jobs.Clock.GetUtcNow().AddYears(-1),
                RegisteredBy = "staff:comms",
                ClosedAt = closed ? _jobs.Clock.GetUtcNow().AddDays(-10) : null,
            };
            db.AffiliatedAccounts.Add(a);
            return a;
        }
        var school = new School(t, pupil, Account(PauseScope.Academy, t.NorthAcademyId, "north"), Account(PauseScope.Region, t.NorthRegionId, "region"),
            Account(PauseScope.Trust, null, "trust"), Account(PauseScope.Academy, t.SouthAcademyId, "south"), Account(PauseScope.Academy, t.NorthAcademyId, "old", closed: true));
        await db.SaveChangesAsync();
        return school;
    }

    private async Task<List<TakedownTask>> TasksAsync(Guid pupilId)
    {
        await using var db = database.CreateDbContext();
        return await db.TakedownTasks.AsNoTracking().Where(t => t.PupilId == pupilId).ToListAsync();
    }

    private async Task FlagAsync(School s) =>
        Assert.IsType<SetSafeguardingFlag.Result.Saved>(await _jobs.Safeguarding().HandleAsync(AccessScope.Academy(s.Trust.NorthAcademyId, "staff:dsl"), s.Pupil.Id, true, SafeguardingReason));

    private static string[] Admins(params AffiliatedAccount[] accounts) => [.. accounts.SelectMany(a => new[] { a.FirstAdminEmail, a.SecondAdminEmail })];

    [Fact]
    public async Task NewSafeguardingFlag_CreatesATaskForEveryAccountThatCouldFeatureThePupil_AndNoneElsewhere()
    {
        var s = await SchoolAsync();

        await FlagAsync(s);

        var tasks = await TasksAsync(s.Pupil.Id);
        Assert.Superset(s.Featuring.Select(a => a.Id).ToHashSet(), tasks.Select(t => t.AccountId).ToHashSet());
        foreach (var account in s.Featuring) Assert.Contains(tasks, t => t.AccountId == account.Id);
        Assert.DoesNotContain(tasks, t => t.AccountId == s.OtherAcademy.Id || t.AccountId == s.Closed.Id);
        Assert.All(tasks, t => Assert.Equal(TakedownTask.DoNotFeatureReason, t.Reason));
        Assert.All(tasks, t => Assert.Equal(s.Trust.SocialPurposeId, t.PurposeId)); // the purpose that publishes on the accounts

        // Saving the flag again (a changed reason) adds nothing.
        await _jobs.Safeguarding().HandleAsync(AccessScope.Academy(s.Trust.NorthAcademyId, "staff:dsl"), s.Pupil.Id, true, "Updated reason");
        Assert.Equal(tasks.Count, (await TasksAsync(s.Pupil.Id)).Count);
    }

    [Fact]
    public async Task Notices_EmailBothAdministrativeContactsOfEachAccount_SayingOnlyWhatToDo_NeverTheReason_AndOnlyOnce()
    {
        var s = await SchoolAsync();
        await FlagAsync(s);

        await _jobs.Notices().RunAsync(CancellationToken.None);
        await _jobs.DrainAsync(_sink);

        var expected = Admins(s.Featuring);
        var mine = _sink.Messages.Where(m => m.Recipients.Any(expected.Contains)).ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), mine.SelectMany(m => m.Recipients).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(_sink.Messages, m => m.Recipients.Any(Admins(s.OtherAcademy, s.Closed).Contains));
        foreach (var m in mine)
        {
            var text = m.Message.TextBody;
            var html = m.Message.HtmlBody;
            Assert.Contains("Zoë O'Brien, Year 9, North Academy", text, StringComparison.Ordinal);
            Assert.Contains("Do not feature the pupils below", text, StringComparison.Ordinal);
            Assert.Contains("remove any content", text, StringComparison.Ordinal);
            Assert.Contains("https://consent.trust.example/takedowns", text, StringComparison.Ordinal);
            Assert.Contains("Zoë O&#x27;Brien", html, StringComparison.Ordinal); // encoded, so a name cannot change the markup
            foreach (var body in new[] { text, html, m.Message.Subject })
            {
                Assert.DoesNotContain("Court order", body, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("safeguarding", body, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(TakedownTask.DoNotFeatureReason, body, StringComparison.OrdinalIgnoreCase);
            }
        }
        Assert.All(await TasksAsync(s.Pupil.Id), t => Assert.Equal(_jobs.Clock.GetUtcNow(), t.NotifiedAt));

        var before = _sink.Messages.Count;
        var again = await _jobs.Notices().RunAsync(CancellationToken.None);
        await _jobs.DrainAsync(_sink);
        Assert.Equal(0, again.EmailsQueued);
        Assert.Equal(before, _sink.Messages.Count);
    }

    [Fact]
    public async Task ANewSafeguardingFlag_TheNoticeNamesThePostsInTheRegisterThatShowThePupil_OnThatAccountOnly()
    {
        var s = await SchoolAsync();
        var url = "https://instagram.example/north/p/" + Guid.NewGuid().ToString("N")[..8];
        await using (var db = database.CreateDbContext())
        {
            var post = new PhotoPost
            {
                Id = Guid.NewGuid(),
                AcademyId = s.Trust.NorthAcademyId,
                AccountId = s.Academy.Id,
                Url = url,
                PostedOn = new DateOnly(2026, 10, 20),
                RecordedBy = "staff:comms",
                RecordedAt = _jobs.Clock.GetUtcNow(),
            };
            post.Pupils.Add(new PhotoPostPupil { PostId = post.Id, PupilId = s.Pupil.Id });
            db.PhotoPosts.Add(post);
            await db.SaveChangesAsync();
        }
        await FlagAsync(s);

        await _jobs.Notices().RunAsync(CancellationToken.None);
        await _jobs.DrainAsync(_sink);

        var academyAdmins = Admins(s.Academy);
        var toAcademy = _sink.Messages.Where(m => m.Recipients.Any(academyAdmins.Contains)).ToList();
        Assert.NotEmpty(toAcademy);
        Assert.All(toAcademy, m =>
        {
            Assert.Contains("recorded post to take down: " + url, m.Message.TextBody, StringComparison.Ordinal);
            Assert.Contains(url, m.Message.HtmlBody, StringComparison.Ordinal);
        });
        var regionAdmins = Admins(s.Region);
        Assert.All(_sink.Messages.Where(m => m.Recipients.Any(regionAdmins.Contains)), m => Assert.DoesNotContain(url, m.Message.TextBody, StringComparison.Ordinal));
        var line = Assert.Single(await _jobs.List().HandleAsync(new ListTakedownTasks.Caller([AccessScope.Trust("staff:comms")], null), TimeSpan.FromDays(2), _jobs.Clock.GetUtcNow()),
            r => r.PupilId == s.Pupil.Id && r.AccountId == s.Academy.Id);
        Assert.Equal([url], line.PostUrls);
    }

    [Fact]
    public async Task AWithdrawal_IsSentTheSameWay_OneLinePerPupilWhateverThePurposes()
    {
        var s = await SchoolAsync();
        await using (var db = database.CreateDbContext())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            var withdrawal = await JobsTestSupport.AnswerAsync(db, s.Pupil, s.Trust.SocialPurposeId, s.Trust.FormVersionId, PartyKind.Pupil, null, AnswerKind.Withdraw, _jobs.Clock.GetUtcNow());
            Assert.Equal(3, await CreateTakedownTasks.HandleAsync(db, s.Pupil.Id, s.Pupil.AcademyId, [withdrawal], _jobs.Clock.GetUtcNow(), CancellationToken.None));
            await tx.CommitAsync();
        }

        await _jobs.Notices().RunAsync(CancellationToken.None);
        await _jobs.DrainAsync(_sink);

        var academyMail = _sink.Messages.Where(m => m.Recipients.Contains(s.Academy.FirstAdminEmail) || m.Recipients.Contains(s.Academy.SecondAdminEmail)).ToList();
        Assert.Equal(2, academyMail.Count);
        Assert.All(academyMail, m => Assert.Contains(s.Academy.Handle, m.Message.Subject, StringComparison.Ordinal));
        Assert.Contains($"Bob north", academyMail.Single(m => m.Recipients.Contains(s.Academy.FirstAdminEmail)).Message.TextBody, StringComparison.Ordinal); // each is told who else has it
    }

    [Fact]
    public async Task TwoNoticeRunsAtOnce_LikeTwoAppInstances_MailEachAdministratorOnce()
    {
        var s = await SchoolAsync();
        await FlagAsync(s);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => _jobs.Notices().RunAsync(CancellationToken.None))));
        await Task.WhenAll(_jobs.DrainAsync(_sink), _jobs.DrainAsync(_sink));

        foreach (var address in Admins(s.Featuring))
            Assert.Single(_sink.Messages, m => m.Recipients.Contains(address));
    }

    private async Task<StaffUser> DirectorAsync()
    {
        await using var db = database.CreateDbContext();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var user = new StaffUser
        {
            Id = Guid.NewGuid(),
            UserName = $"comms.{tag}@trust.example.org",
            NormalizedUserName = $"COMMS.{tag}@TRUST.EXAMPLE.ORG",
            Email = $"comms.{tag}@trust.example.org",
            NormalizedEmail = $"COMMS.{tag}@TRUST.EXAMPLE.ORG",
            DisplayName = "Humayon Director",
            SecurityStamp = Guid.NewGuid().ToString(),
            CreatedAt = _jobs.Clock.GetUtcNow(),
        };
        var role = StaffRoleAssignment.ForTrust(StaffRoles.CommunicationsDirector);
        role.UserId = user.Id;
        db.Users.Add(user);
        db.StaffRoleAssignments.Add(role);
        await db.SaveChangesAsync();
        return user;
    }

    [Fact]
    public async Task OverdueTasks_AreEscalatedToTheCommunicationsDirector_OncePerTask()
    {
        var s = await SchoolAsync();
        var director = await DirectorAsync();
        await FlagAsync(s);

        _jobs.Clock.Advance(TimeSpan.FromDays(1));
        await _jobs.Escalations().RunAsync(CancellationToken.None);
        await _jobs.DrainAsync(_sink);
        Assert.DoesNotContain(_sink.Messages, m => m.Recipients.Contains(director.Email!)); // one day: not overdue yet

        _jobs.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await _jobs.Escalations().RunAsync(CancellationToken.None);
        await _jobs.DrainAsync(_sink);
        var escalation = Assert.Single(_sink.Messages, m => m.Recipients.Contains(director.Email!));
        Assert.Contains("Overdue takedowns", escalation.Message.Subject, StringComparison.Ordinal);
        Assert.Contains("open for more than 2 days", escalation.Message.Subject, StringComparison.Ordinal);
        foreach (var account in s.Featuring) Assert.Contains(account.Handle, escalation.Message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Zoë O'Brien", escalation.Message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Court order", escalation.Message.TextBody, StringComparison.Ordinal);
        Assert.All(await TasksAsync(s.Pupil.Id), t => Assert.NotNull(t.EscalatedAt));

        _jobs.Clock.Advance(TimeSpan.FromDays(3));
        await _jobs.Escalations().RunAsync(CancellationToken.None);
        await _jobs.DrainAsync(_sink);
        Assert.Single(_sink.Messages, m => m.Recipients.Contains(director.Email!));
    }

    [Fact]
    public async Task ANamedPersonMarksDone_InTheirScopeOnly_Audited_AndDoneTasksAreNeverEscalated()
    {
        var s = await SchoolAsync();
        var director = await DirectorAsync();
        await FlagAsync(s);
        var southHead = new ListTakedownTasks.Caller([AccessScope.Academy(s.Trust.SouthAcademyId, "staff:south-head")], "south.head@trust.example.org");
        var northHead = new ListTakedownTasks.Caller([AccessScope.Academy(s.Trust.NorthAcademyId, "staff:north-head")], "north.head@trust.example.org");
        var regionAdmin = new ListTakedownTasks.Caller([], s.Region.SecondAdminEmail.ToUpperInvariant());

        var now = _jobs.Clock.GetUtcNow();
        Assert.DoesNotContain(await _jobs.List().HandleAsync(southHead, TimeSpan.FromDays(2), now), r => r.PupilId == s.Pupil.Id);
        Assert.Equal(s.Featuring.Select(a => a.Id).Order(), (await _jobs.List().HandleAsync(northHead, TimeSpan.FromDays(2), now)).Where(r => r.PupilId == s.Pupil.Id).Select(r => r.AccountId).Order());
        var regionRow = Assert.Single(await _jobs.List().HandleAsync(regionAdmin, TimeSpan.FromDays(2), now), r => r.PupilId == s.Pupil.Id);
        Assert.Equal(s.Region.Id, regionRow.AccountId);

        Assert.IsType<MarkTakedownDone.Result.NotFound>(await _jobs.Done().HandleAsync(southHead, "staff:south-head", "Sam South", s.Academy.Id, s.Pupil.Id, null));
        Assert.IsType<MarkTakedownDone.Result.NotFound>(await _jobs.Done().HandleAsync(regionAdmin, "staff:region", "Bob region", s.Academy.Id, s.Pupil.Id, null));
        var done = Assert.IsType<MarkTakedownDone.Result.Done>(await _jobs.Done().HandleAsync(northHead, "staff:north-head", "Nia North", s.Academy.Id, s.Pupil.Id, "Two posts deleted"));
        Assert.Equal(1, done.Tasks);
        Assert.IsType<MarkTakedownDone.Result.Done>(await _jobs.Done().HandleAsync(regionAdmin, "staff:region", "Bob region", s.Region.Id, s.Pupil.Id, null));
        Assert.IsType<MarkTakedownDone.Result.NotFound>(await _jobs.Done().HandleAsync(northHead, "staff:north-head", "Nia North", s.Academy.Id, s.Pupil.Id, null)); // already done

        var task = (await TasksAsync(s.Pupil.Id)).Single(t => t.AccountId == s.Academy.Id);
        Assert.Equal(("staff:north-head", "Nia North", "Two posts deleted", now), (task.DoneBy, task.DoneByName, task.DoneNote, task.DoneAt!.Value));
        await using (var db = database.CreateDbContext())
        {
            var entry = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.ChainId == s.Trust.NorthAcademyId && e.Action == "takedown.done" && e.Actor == "staff:north-head");
            Assert.Equal(s.Pupil.Id, entry.PupilId);
            Assert.DoesNotContain("Two posts", entry.Payload, StringComparison.Ordinal);
        }

        _jobs.Clock.Advance(TimeSpan.FromDays(3));
        await _jobs.Escalations().RunAsync(CancellationToken.None);
        await _jobs.DrainAsync(_sink);
        var escalation = Assert.Single(_sink.Messages, m => m.Recipients.Contains(director.Email!)).Message.TextBody;
        Assert.Contains(s.TrustWide.Handle, escalation, StringComparison.Ordinal);
        Assert.DoesNotContain(s.Academy.Handle, escalation, StringComparison.Ordinal);
        Assert.DoesNotContain(s.Region.Handle, escalation, StringComparison.Ordinal);
    }
}
