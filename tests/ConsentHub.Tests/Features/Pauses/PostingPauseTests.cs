using ConsentHub.Access;
using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Data;
using ConsentHub.Email;
using ConsentHub.Pauses;
using ConsentHub.Requests;
using ConsentHub.Signing;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Ordering;
using ConsentHub.Testing.Smtp;
using ConsentHub.Tests.Audit;
using ConsentHub.Tests.Email;
using ConsentHub.Trust;
using ConsentHub.Trust.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static Microsoft.Extensions.Options.Options;

namespace ConsentHub.Tests.Pauses;

/// <summary>
/// Posting pauses (policy §4.7) on a real database: who may set and lift them where, what a check says at once, and
/// the emails to the register's administrative contacts — real templates, the real outbox, real SMTP to the sink.
/// </summary>
[LongRunning(8)]
public sealed class PostingPauseTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
    private readonly SmtpSink _sink = SmtpSink.Start();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _sink.DisposeAsync();

    private AuditTestSupport.ContextFactory Factory() => new(database);

    private PauseNotices Notices() => new(new OutboxWriter(EmailTestSupport.Options(), _clock), new EmailTemplates(Create(new TemplateOptions())),
        Create(new SigningOptions { PublicBaseUrl = new Uri("https://consent.trust.example/"), GracePeriod = TimeSpan.FromDays(14) }));

    private StartPostingPause Start() => new(Factory(), Notices(), AuditTestSupport.Log(database, _clock), _clock);
    private LiftPostingPause Lift() => new(Factory(), Notices(), AuditTestSupport.Log(database, _clock), _clock);
    private ListPostingPauses List() => new(Factory(), AuditTestSupport.Log(database, _clock), _clock);
    private SendPostingPauseNotices Job() => new(Factory(), Notices(), AuditTestSupport.Log(database, _clock), _clock);

    private ConsentStatusReader Reader() => new(database.DataSource, new ConsentReferenceCache(database.DataSource, _clock), _clock);

    private Task<DrainOutboxResult> DrainAsync() =>
        new DrainOutbox(database.DataSource, EmailTestSupport.SmtpSender(_sink), EmailTestSupport.Options(_sink), _clock, NullLogger<DrainOutbox>.Instance).RunAsync(CancellationToken.None);

    private static PauseAuthority Headteacher(Guid academyId) => new([AccessScope.Academy(academyId, "staff:head")]);
    private static PauseAuthority RegionalDirector(Guid regionId) => new([AccessScope.Region(regionId, "staff:regional")]);
    private static PauseAuthority CommsDirector() => new([AccessScope.Trust("staff:comms")]);

    private sealed record Setup(TestTrust Trust, Guid NorthPupil, string Tag)
    {
        public string Admin(string who) => $"{who}.{Tag}@trust.example.org";
    }

    /// <summary>A trust with a pupil at North whose parent agreed, and an account in the register at each level.</summary>
    private async Task<Setup> SetupAsync()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var (pupil, parent) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 4, "4N");
        db.ConsentAnswers.Add(new ConsentAnswer
        {
            PupilId = pupil.Id,
            AcademyId = t.NorthAcademyId,
            PurposeId = t.SocialPurposeId,
            PartyKind = PartyKind.Contact,
            ContactId = parent.Id,
            Kind = AnswerKind.Grant,
            Method = AnswerMethod.Paper,
            FormVersionId = t.FormVersionId,
            At = _clock.GetUtcNow().AddDays(-10),
            RecordedAt = _clock.GetUtcNow().AddDays(-10),
            RecordedBy = "office",
        });
        var tag = Guid.NewGuid().ToString("N")[..8];
        var setup = new Setup(t, pupil.Id, tag);
        void Account(string handle, PauseScope scope, Guid? scopeId, string who) => db.AffiliatedAccounts.Add(new AffiliatedAccount
        {
            Id = Guid.NewGuid(),
            Platform = SocialPlatform.Instagram,
            Handle = $"@{handle}_{tag}",
            Scope = scope,
            ScopeId = scopeId,
            FirstAdminName = $"{who} One",
            FirstAdminEmail = setup.Admin(who + "1"),
            SecondAdminName = $"{who} Two",
            SecondAdminEmail = setup.Admin(who + "2"),
            RegisteredAt = _clock.GetUtcNow(),
            RegisteredBy = "setup",
        });
        Account("north", PauseScope.Academy, t.NorthAcademyId, "north");
        Account("northregion", PauseScope.Region, t.NorthRegionId, "region");
        Account("south", PauseScope.Academy, t.SouthAcademyId, "south");
        await db.SaveChangesAsync();
        return setup;
    }

    private List<string> MailTo(Setup s) => [.. _sink.Messages.Where(m => m.Recipients.Any(r => r.Contains(s.Tag, StringComparison.Ordinal))).SelectMany(m => m.Recipients)];

    private async Task<string> SocialReasonAsync(Setup s) =>
        (await Reader().ForPupilAsync(AccessScope.Trust("test"), s.NorthPupil, TestTrust.Social))!.Purposes.Single().Decision.Reason;

    [Fact]
    public async Task HeadteacherPausesTheirAcademy_TheCheckSaysPostingPaused_AndTheAdminContactsAreEmailedWithoutTheReason()
    {
        var s = await SetupAsync();
        Assert.StartsWith("Year 4 needs a parent.", await SocialReasonAsync(s), StringComparison.Ordinal);

        var result = await Start().HandleAsync(Headteacher(s.Trust.NorthAcademyId),
            new StartPostingPause.Request(PauseScope.Academy, s.Trust.NorthAcademyId, null, new DateTimeOffset(2026, 12, 10, 17, 0, 0, TimeSpan.Zero), "Incident at the gates under review"));

        Assert.IsType<StartPostingPause.Result.Started>(result);
        Assert.Equal("Posting paused until 10 Dec 2026: nothing may be posted on trust accounts, so do not photograph or feature.", await SocialReasonAsync(s));
        var displays = (await Reader().ForPupilAsync(AccessScope.Trust("test"), s.NorthPupil, TestTrust.Displays))!.Purposes.Single().Decision;
        Assert.Equal(ConsentStatus.Allowed, displays.Status); // internal displays are not posts

        await DrainAsync();
        var to = MailTo(s);
        Assert.Equal([s.Admin("north1"), s.Admin("north2"), s.Admin("region1"), s.Admin("region2")], to.Order(StringComparer.Ordinal));
        var mail = _sink.Messages.First(m => m.Recipients.Contains(s.Admin("north1"))).Message;
        Assert.Contains("North Academy", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("until Thu 10 Dec 2026 at 17:00", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("gates", mail.TextBody + mail.HtmlBody, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Headteacher_MayNotPauseAnotherAcademyOrTheTrust_AndNothingIsWritten()
    {
        var s = await SetupAsync();
        var head = new PauseAuthority([AccessScope.Academy(s.Trust.NorthAcademyId, "staff:head-" + s.Tag)]);

        Assert.IsType<StartPostingPause.Result.Forbidden>(await Start().HandleAsync(head, new StartPostingPause.Request(PauseScope.Academy, s.Trust.SouthAcademyId, null, null, "x")));
        Assert.IsType<StartPostingPause.Result.Forbidden>(await Start().HandleAsync(head, new StartPostingPause.Request(PauseScope.Trust, null, null, null, "x")));
        Assert.IsType<StartPostingPause.Result.Forbidden>(await Start().HandleAsync(head, new StartPostingPause.Request(PauseScope.Region, s.Trust.NorthRegionId, null, null, "x")));

        await using var db = database.CreateDbContext();
        Assert.False(await db.PostingPauses.AnyAsync(p => p.SetBy == head.Actor));
        Assert.StartsWith("Year 4 needs a parent.", await SocialReasonAsync(s), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegionalDirector_MayPauseTheirRegionAndItsAcademies_NotAnotherRegion()
    {
        var s = await SetupAsync();
        var director = RegionalDirector(s.Trust.NorthRegionId);

        Assert.IsType<StartPostingPause.Result.Started>(await Start().HandleAsync(director, new StartPostingPause.Request(PauseScope.Academy, s.Trust.NorthAcademyId, null, null, "a")));
        Assert.IsType<StartPostingPause.Result.Started>(await Start().HandleAsync(director, new StartPostingPause.Request(PauseScope.Region, s.Trust.NorthRegionId, null, null, "b")));
        Assert.IsType<StartPostingPause.Result.Forbidden>(await Start().HandleAsync(director, new StartPostingPause.Request(PauseScope.Region, s.Trust.SouthRegionId, null, null, "c")));
        Assert.IsType<StartPostingPause.Result.Forbidden>(await Start().HandleAsync(director, new StartPostingPause.Request(PauseScope.Academy, s.Trust.SouthAcademyId, null, null, "d")));
        Assert.StartsWith("Posting paused until further notice", await SocialReasonAsync(s), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadInput_NamesTheField_AndPausesNothing()
    {
        var s = await SetupAsync();
        var now = _clock.GetUtcNow();

        var invalid = Assert.IsType<StartPostingPause.Result.Invalid>(await Start().HandleAsync(CommsDirector(),
            new StartPostingPause.Request(PauseScope.Academy, null, now.AddHours(2), now.AddHours(1), "  ")));

        Assert.Equal(["reason", "scopeId", "until"], invalid.Errors.Keys.Order(StringComparer.Ordinal));
        var past = Assert.IsType<StartPostingPause.Result.Invalid>(await Start().HandleAsync(CommsDirector(),
            new StartPostingPause.Request(PauseScope.Trust, null, now.AddDays(-1), null, "late")));
        Assert.Contains("cannot start in the past", past.Errors["from"][0], StringComparison.Ordinal);
        Assert.StartsWith("Year 4 needs a parent.", await SocialReasonAsync(s), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PauseSetAhead_IsEmailedWhenItBeginsAndWhenItEnds_OnceEach_AndChecksFollowTheClock()
    {
        var s = await SetupAsync();
        var now = _clock.GetUtcNow();
        await Start().HandleAsync(CommsDirector(), new StartPostingPause.Request(PauseScope.Academy, s.Trust.NorthAcademyId, now.AddHours(1), now.AddHours(3), "Inspection week"));

        await Job().RunAsync(CancellationToken.None);
        await DrainAsync();
        Assert.Empty(MailTo(s));
        Assert.StartsWith("Year 4 needs a parent.", await SocialReasonAsync(s), StringComparison.Ordinal);

        _clock.Advance(TimeSpan.FromHours(1));
        await Job().RunAsync(CancellationToken.None);
        await Job().RunAsync(CancellationToken.None); // a second run (or a second instance) sends nothing more
        await DrainAsync();
        Assert.Equal(4, MailTo(s).Count);
        Assert.StartsWith("Posting paused until 3 Dec 2026", await SocialReasonAsync(s), StringComparison.Ordinal);

        _clock.Advance(TimeSpan.FromHours(2));
        await Job().RunAsync(CancellationToken.None);
        await Job().RunAsync(CancellationToken.None);
        await DrainAsync();
        var ended = _sink.Messages.Where(m => m.Recipients.Any(r => r.Contains(s.Tag, StringComparison.Ordinal)) && (m.Message.Subject ?? "").StartsWith("Posting may resume", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, ended.Count);
        Assert.Contains("ended on Thu 3 Dec 2026 at 12:00", ended[0].Message.TextBody, StringComparison.Ordinal);
        Assert.StartsWith("Year 4 needs a parent.", await SocialReasonAsync(s), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LiftingEarly_EndsItNow_RecordsWho_TellsTheContacts_AndKeepsTheHistory()
    {
        var s = await SetupAsync();
        var start = Assert.IsType<StartPostingPause.Result.Started>(await Start().HandleAsync(Headteacher(s.Trust.NorthAcademyId),
            new StartPostingPause.Request(PauseScope.Academy, s.Trust.NorthAcademyId, null, null, "Press interest")));
        _clock.Advance(TimeSpan.FromHours(5));

        Assert.Equal(LiftPostingPause.Result.Lifted, await Lift().HandleAsync(Headteacher(s.Trust.NorthAcademyId), start.PauseId));
        Assert.Equal(LiftPostingPause.Result.NotFound, await Lift().HandleAsync(Headteacher(s.Trust.NorthAcademyId), start.PauseId));

        Assert.StartsWith("Year 4 needs a parent.", await SocialReasonAsync(s), StringComparison.Ordinal);
        await DrainAsync();
        var resumed = _sink.Messages.Single(m => m.Recipients.Contains(s.Admin("north1")) && (m.Message.Subject ?? "").StartsWith("Posting may resume", StringComparison.Ordinal));
        Assert.Contains("was lifted early on Thu 3 Dec 2026 at 14:00", resumed.Message.TextBody, StringComparison.Ordinal);

        var row = Assert.Single(await List().HandleAsync(Headteacher(s.Trust.NorthAcademyId)), r => r.Id == start.PauseId);
        Assert.Equal(ListPostingPauses.PauseState.Lifted, row.State);
        Assert.Equal("Press interest", row.Reason);
        Assert.False(row.MayLift);
        await using var db = database.CreateDbContext();
        var id = start.PauseId.ToString();
        var audit = await db.Set<ConsentHub.Audit.AuditEntry>().Where(e => e.EntityId == id).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync();
        Assert.Equal(["pause.started", "pause.lifted"], audit);
    }

    [Fact]
    public async Task Headteacher_SeesTheTrustWidePauseThatCoversThem_ButMayNotLiftIt()
    {
        var s = await SetupAsync();
        var trustWide = Assert.IsType<StartPostingPause.Result.Started>(await Start().HandleAsync(CommsDirector(),
            new StartPostingPause.Request(PauseScope.Trust, null, null, null, "Trust-wide review")));
        var south = Assert.IsType<StartPostingPause.Result.Started>(await Start().HandleAsync(CommsDirector(),
            new StartPostingPause.Request(PauseScope.Academy, s.Trust.SouthAcademyId, null, null, "South only")));
        var head = Headteacher(s.Trust.NorthAcademyId);

        var rows = await List().HandleAsync(head);

        var row = Assert.Single(rows, r => r.Id == trustWide.PauseId);
        Assert.Equal(ListPostingPauses.PauseState.Active, row.State);
        Assert.False(row.MayLift);
        Assert.DoesNotContain(rows, r => r.Id == south.PauseId);
        Assert.Equal(LiftPostingPause.Result.Forbidden, await Lift().HandleAsync(head, trustWide.PauseId));
        Assert.Equal(LiftPostingPause.Result.Lifted, await Lift().HandleAsync(CommsDirector(), trustWide.PauseId));
        Assert.Equal(LiftPostingPause.Result.Lifted, await Lift().HandleAsync(CommsDirector(), south.PauseId));
    }
}
