using ConsentHub.Access;
using ConsentHub.Checks;
using ConsentHub.Data;
using ConsentHub.Email;
using ConsentHub.Monitoring;
using ConsentHub.Signing;
using ConsentHub.Staff;
using ConsentHub.Takedowns;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Ordering;
using ConsentHub.Testing.Pdf;
using ConsentHub.Testing.Smtp;
using ConsentHub.Tests.Audit;
using ConsentHub.Tests.Email;
using ConsentHub.Tests.Trust;
using ConsentHub.Trust;
using ConsentHub.Trust.Accounts;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static Microsoft.Extensions.Options.Options;

namespace ConsentHub.Tests.Monitoring;

/// <summary>
/// The Regional Performance Board report: asked for by a director, built by its job with progress, read back from the
/// PDF with PdfPig; and the scheduled copy e-mailed a week before the board, received over real SMTP.
/// </summary>
[LongRunning(10)]
public sealed class BoardReportTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 7, 0, 0, TimeSpan.Zero));
    private readonly RecordingAuditLog _audit = new();
    private readonly Jobs _jobs = new();
    private readonly SmtpSink _sink = SmtpSink.Start();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _sink.DisposeAsync();

    private sealed class Jobs : IBackgroundJobClient
    {
        public List<Job> Enqueued { get; } = [];

        public string Create(Job job, IState state)
        {
            Enqueued.Add(job);
            return Enqueued.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }

    private AuditTestSupport.ContextFactory Factory() => new(database);

    private LoadMonitoringFigures Figures() => new(database.DataSource, _clock);

    private BuildBoardReport Build() => new(Factory(), Figures(),
        new ListMonitoringDetail(database.DataSource, new ConsentStatusReader(database.DataSource, new ConsentReferenceCache(database.DataSource, _clock), _clock), _audit, _clock),
        Create(new MonitoringOptions()), Create(new TakedownOptions()), _clock, NullLogger<BuildBoardReport>.Instance);

    private static DateTimeOffset At(int month, int day, int hour = 9) => new(2026, month, day, hour, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// North region, one academy. October: social media 6 of 10 allowed (below the 80% line), displays 10 of 10;
    /// September: social 5 of 10. One takedown overdue since 20 Oct; one register entry with a single contact; one pause.
    /// </summary>
    private async Task<TestTrust> RegionAsync()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        await db.Academies.Where(a => a.Id == t.NorthAcademyId).ExecuteUpdateAsync(u => u.SetProperty(a => a.Name, "Łukasz Mureșan Academy"));
        CoverageSnapshot Snap(int month, int day, Guid purpose, int allowed, int pending) => new()
        {
            Day = new DateOnly(2026, month, day),
            AcademyId = t.NorthAcademyId,
            PurposeId = purpose,
            Pupils = 10,
            Allowed = allowed,
            Pending = pending,
            Classes = 2,
            ClassesAllAllowed = allowed == 10 ? 2 : 0,
            TakenAt = At(month, day, 22),
        };
        db.CoverageSnapshots.AddRange(Snap(9, 15, t.SocialPurposeId, 5, 5), Snap(9, 15, t.DisplaysPurposeId, 10, 0),
            Snap(10, 15, t.SocialPurposeId, 6, 4), Snap(10, 15, t.DisplaysPurposeId, 10, 0));
        var (pupil, _) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 6, "6A", "Zoë", "O'Brien");
        var tag = Guid.NewGuid().ToString("N")[..6];
        var account = new AffiliatedAccount
        {
            Id = Guid.NewGuid(),
            Platform = SocialPlatform.Facebook,
            Handle = "@single" + tag,
            Scope = PauseScope.Academy,
            ScopeId = t.NorthAcademyId,
            FirstAdminName = "Ann",
            FirstAdminEmail = $"ann{tag}@trust.example.org",
            SecondAdminName = "Ann",
            SecondAdminEmail = $"ann{tag}@trust.example.org",
            RegisteredAt = At(1, 1),
            RegisteredBy = "staff:comms",
        };
        db.AffiliatedAccounts.Add(account);
        db.TakedownTasks.Add(new TakedownTask { Id = Guid.NewGuid(), PupilId = pupil.Id, AcademyId = t.NorthAcademyId, PurposeId = t.SocialPurposeId, AccountId = account.Id, Reason = TakedownTask.WithdrawalReason, CreatedAt = At(10, 20) });
        db.PostingPauses.Add(new PostingPause { Id = Guid.NewGuid(), Scope = PauseScope.Academy, ScopeId = t.NorthAcademyId, From = At(10, 10), Until = At(10, 12), Reason = "Incident on site", SetBy = "staff:head", SetAt = At(10, 10) });
        await db.SaveChangesAsync();
        return t;
    }

    [Fact]
    public async Task RegionalDirector_AsksForTheirRegionsReport_TheJobBuildsIt_AndThePdfReadsBackTheFigures()
    {
        var t = await RegionAsync();
        var director = AccessScope.Region(t.NorthRegionId, "staff:director");
        var request = new RequestBoardReport(Factory(), _jobs, _audit, _clock);

        // Another region's report, or one from an academy's staff, is refused.
        Assert.IsType<RequestBoardReport.Result.Denied>(await request.HandleAsync(director, new(t.SouthRegionId, new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 31))));
        Assert.IsType<RequestBoardReport.Result.Denied>(await request.HandleAsync(AccessScope.Academy(t.NorthAcademyId, "staff:head"), new(t.NorthRegionId, new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 31))));
        Assert.Equal("The period ends before it starts.",
            Assert.IsType<RequestBoardReport.Result.Invalid>(await request.HandleAsync(director, new(t.NorthRegionId, new DateOnly(2026, 10, 31), new DateOnly(2026, 10, 1)))).Message);

        var queued = Assert.IsType<RequestBoardReport.Result.Queued>(await request.HandleAsync(director, new(t.NorthRegionId, new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 31))));
        var job = Assert.Single(_jobs.Enqueued);
        Assert.Equal((typeof(BuildBoardReport), queued.ReportId), (job.Type, (Guid)job.Args[0]));

        await Build().RunAsync(queued.ReportId, CancellationToken.None);
        await Build().RunAsync(queued.ReportId, CancellationToken.None); // a second run leaves the built report alone

        var list = await new ListBoardReports(Factory()).HandleAsync(director);
        var row = Assert.Single(list);
        Assert.Equal((MonitoringReportStatus.Ready, 100), (row.Status, row.Progress));
        Assert.Null(await new ListBoardReports(Factory()).PdfAsync(AccessScope.Region(t.SouthRegionId, "staff:south"), queued.ReportId));
        var (pdf, _) = (await new ListBoardReports(Factory()).PdfAsync(director, queued.ReportId))!.Value;
        PdfInspection.Keep("board-report.pdf", pdf);

        var pages = PdfInspection.PageTexts(pdf);
        Assert.Equal(row.Pages, pages.Count);
        var all = string.Join("\n", pages);
        Assert.Contains("Regional Performance Board", pages[0], StringComparison.Ordinal);
        Assert.Contains("North ", pages[0], StringComparison.Ordinal);
        Assert.Contains("1 October 2026 to 31 October 2026", pages[0], StringComparison.Ordinal);
        // Headlines with the change since September: social media 60% against 50%.
        Assert.Contains("Pupils allowed: Academy social media 60% 50% +10 pts", Squash(all), StringComparison.Ordinal);
        Assert.Contains("Takedowns overdue 1 0 +1", Squash(all), StringComparison.Ordinal);
        Assert.Contains("Register entries with a gap 1 1 0", Squash(all), StringComparison.Ordinal);
        // Exceptions: below the 80% line, the overdue takedown, the register gap, the pause.
        Assert.Contains("Łukasz Mureșan Academy Academy social media 60%", Squash(all), StringComparison.Ordinal);
        Assert.DoesNotContain("Łukasz Mureșan Academy Internal displays 100%", Squash(all), StringComparison.Ordinal);
        Assert.Contains("no second administrative contact", all, StringComparison.Ordinal);
        Assert.Contains("Incident on site", all, StringComparison.Ordinal);
        // The academy's own page, last.
        Assert.Contains("Appendix: Łukasz Mureșan Academy", pages[^1], StringComparison.Ordinal);
        Assert.Contains("Academy social media 6 0 4 0 0%", Squash(pages[^1]), StringComparison.Ordinal);
    }

    private static string Squash(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");

    [Fact]
    public async Task AWeekBeforeTheBoard_TheReportIsEmailedToTheRegionsDirector_Once()
    {
        var t = await RegionAsync();
        string directorEmail;
        await using (var db = database.CreateDbContext())
        {
            directorEmail = $"director.{Guid.NewGuid():N}@trust.example.org";
            var user = new StaffUser { Id = Guid.NewGuid(), UserName = directorEmail, NormalizedUserName = directorEmail.ToUpperInvariant(), Email = directorEmail, NormalizedEmail = directorEmail.ToUpperInvariant(), DisplayName = "Mariana Đặng", SecurityStamp = "x", CreatedAt = At(1, 1) };
            db.Users.Add(user);
            db.StaffRoleAssignments.Add(new StaffRoleAssignment { Id = Guid.NewGuid(), UserId = user.Id, Role = StaffRoles.RegionalDirector, RegionId = t.NorthRegionId });
            await db.SaveChangesAsync();
        }
        // Boards on 9 Nov (a week from today, 2 Nov) and 10 Dec (not yet); an earlier board on 30 Sep sets the period's start.
        var boards = new SaveBoardMeetings(Factory(), _audit, _clock);
        Assert.Equal("You can set the board dates of your own region only.", await boards.HandleAsync(AccessScope.Region(t.SouthRegionId, "staff:s"), t.NorthRegionId, [new DateOnly(2026, 11, 9)]));
        Assert.Null(await boards.HandleAsync(AccessScope.Region(t.NorthRegionId, "staff:d"), t.NorthRegionId, [new DateOnly(2026, 11, 9), new DateOnly(2026, 12, 10)]));
        await using (var db = database.CreateDbContext())
        {
            db.BoardMeetings.Add(new BoardMeeting { Id = Guid.NewGuid(), RegionId = t.NorthRegionId, Date = new DateOnly(2026, 9, 30), ReportSentAt = At(9, 23) });
            await db.SaveChangesAsync();
        }

        var send = new SendBoardReports(Factory(), Build(), new OutboxWriter(EmailTestSupport.Options(), _clock), _audit, Create(new MonitoringOptions()), _clock,
            NullLogger<SendBoardReports>.Instance);
        Assert.Equal(1, await send.RunAsync(CancellationToken.None));
        Assert.Equal(0, await send.RunAsync(CancellationToken.None));
        await new DrainOutbox(database.DataSource, EmailTestSupport.SmtpSender(_sink), EmailTestSupport.Options(_sink), _clock, NullLogger<DrainOutbox>.Instance).RunAsync(CancellationToken.None);

        var mail = Assert.Single(_sink.Messages, m => m.Recipients.Contains(directorEmail));
        Assert.Contains("board on 9 November 2026", mail.Message.Subject, StringComparison.Ordinal);
        Assert.Contains("1 October 2026 to 1 November 2026", mail.Message.TextBody, StringComparison.Ordinal);
        var attachment = Assert.Single(mail.Message.Attachments.OfType<MimeKit.MimePart>());
        using var content = new MemoryStream();
        await attachment.Content!.DecodeToAsync(content);
        var text = Squash(string.Join("\n", PdfInspection.PageTexts(content.ToArray())));
        Assert.Contains("Pupils allowed: Academy social media 60%", text, StringComparison.Ordinal);
        await using (var db = database.CreateDbContext())
        {
            var meetings = await db.BoardMeetings.Where(m => m.RegionId == t.NorthRegionId).OrderBy(m => m.Date).ToListAsync();
            Assert.Equal([false, true, false], meetings.Select(m => m.ReportSentAt == null ? false : m.Date == new DateOnly(2026, 11, 9)));
        }
    }

    [Fact]
    public async Task TheListBehindAFigure_IsScoped_AndItsViewAudited()
    {
        var t = await RegionAsync();
        var details = new ListMonitoringDetail(database.DataSource, new ConsentStatusReader(database.DataSource, new ConsentReferenceCache(database.DataSource, _clock), _clock), _audit, _clock);
        var october = new MonitoringFilter(new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 31));

        var overdue = await details.HandleAsync(AccessScope.Region(t.NorthRegionId, "staff:director"), october, MonitoringDetail.TakedownsOverdue, takedownOverdueAfter: TimeSpan.FromDays(2));
        var row = Assert.Single(overdue.Rows);
        Assert.Equal(["Zoë O'Brien", "Łukasz Mureșan Academy", "20 Oct 2026 10:00", "no"], row.Cells.Skip(1));
        var read = Assert.Single(_audit.Reads);
        Assert.Equal(("monitoring.detail-viewed", "staff:director", "TakedownsOverdue", 1), (read.Action, read.Actor, read.Data!["detail"], read.Data!["rows"]));

        var south = await details.HandleAsync(AccessScope.Region(t.SouthRegionId, "staff:south"), october, MonitoringDetail.TakedownsOverdue);
        Assert.Empty(south.Rows);
        var gaps = await details.HandleAsync(AccessScope.Region(t.NorthRegionId, "staff:director"), october, MonitoringDetail.RegisterGaps);
        Assert.Equal("no second administrative contact; no owner in post", Assert.Single(gaps.Rows).Cells[2]);
    }
}
