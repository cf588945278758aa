using ConsentHub.Consent;
using ConsentHub.Pupils;
using ConsentHub.Requests;
using ConsentHub.Rollover;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Smtp;
using ConsentHub.Tests.Requests;
using ConsentHub.Tests.Takedowns;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace ConsentHub.Tests.Rollover;

/// <summary>The rollover at a new academic year, or after an import changed year groups: who is asked now, who no longer.</summary>
public sealed class RunRolloverTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly SmtpSink _sink = SmtpSink.Start();
    private readonly JobsTestSupport _jobs = new(database, new FakeTimeProvider(new DateTimeOffset(2026, 9, 1, 6, 0, 0, TimeSpan.Zero)));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _sink.DisposeAsync();

    private sealed record School(TestTrust Trust, Pupil NewYear7, Contact NewYear7Mum, Pupil NewYear12, Contact NewYear12Mum, Pupil Flagged12, Contact Flagged12Mum,
        Pupil Year5, Pupil NeverAsked, Pupil South);

    /// <summary>
    /// Last year's forms: the Year 6 (now Year 7) pupil's mother answered; the Year 11 (now Year 12) pupil and
    /// mother were both still open; the sixth-former staff just flagged was asked on their own and answered; a
    /// Year 5's mother is open; one pupil was never asked; one pupil at South, who moved up too.
    /// </summary>
    private async Task<School> SchoolAsync()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var (y7, mum7) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 7, "7R", "Ravi", "Patel");
        await RequestsTestSupport.UpdatePupilAsync(database, y7.Id, p => p.SchoolEmail = $"ravi.{Guid.NewGuid():N}@pupils.north.example");
        await TestRequests.IssueAsync(db, y7, mum7, status: RequestStatus.Answered);
        var (y12, mum12) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 12, "12S", "Isla", "Jones");
        await TestRequests.IssueAsync(db, y12, mum12);
        await TestRequests.IssueAsync(db, y12, null);
        var (flagged, mumFlagged) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 13, "13S", "Noah", "Brown");
        await TestRequests.IssueAsync(db, flagged, null, status: RequestStatus.Answered);
        await RequestsTestSupport.UpdatePupilAsync(database, flagged.Id, p =>
        {
            p.AlsoAskParent = true;
            p.AlsoAskParentReason = "Agreed with the family";
        });
        var (y5, mum5) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 5, "5B", "Amelia", "Smith");
        await TestRequests.IssueAsync(db, y5, mum5);
        var (never, _) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 8, "8A", "Leo", "Hall");
        var (south, southMum) = await TestTrust.AddPupilAsync(db, t.SouthAcademyId, 7, "7S", "Sid", "South");
        await TestRequests.IssueAsync(db, south, southMum, status: RequestStatus.Answered);
        return new School(t, y7, mum7, y12, mum12, flagged, mumFlagged, y5, never, south);
    }

    private async Task<List<SignatureRequest>> RequestsOfAsync(Guid pupilId)
    {
        await using var db = database.CreateDbContext();
        return await db.SignatureRequests.AsNoTracking().Where(r => r.PupilId == pupilId).OrderBy(r => r.IssuedAt).ToListAsync();
    }

    [Fact]
    public async Task NewYear7_GetsTheirOwnRequestByEmail_AndTheParentWhoAnsweredIsNotAskedAgain()
    {
        var s = await SchoolAsync();

        var done = Assert.IsType<RunRollover.Result.Done>(await _jobs.Rollover().HandleAsync(s.Trust.NorthAcademyId, RolloverTrigger.YearStart, RunRollover.SystemActor));

        var requests = await RequestsOfAsync(s.NewYear7.Id);
        var own = Assert.Single(requests, r => r.PartyKind == PartyKind.Pupil);
        Assert.Equal((RequestStatus.Open, RequestDelivery.Email), (own.Status, own.Delivery));
        Assert.Equal(RunRollover.SystemActor, own.IssuedBy);
        Assert.Single(requests, r => r.PartyKind == PartyKind.Contact); // the mother's answered one, not a second
        Assert.Contains(s.NewYear7.Id, done.Report.PupilNowAsked);

        await _jobs.DrainAsync(_sink);
        await using var db = database.CreateDbContext();
        var email = (await db.Pupils.SingleAsync(p => p.Id == s.NewYear7.Id)).SchoolEmail!;
        var received = Assert.Single(_sink.Messages, m => m.Recipients.Contains(email));
        Assert.Contains("Photos and videos of you at school", received.Message.Subject, StringComparison.Ordinal);
        Assert.Contains("Hi Ravi", received.Message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(_sink.Messages, m => m.Recipients.Contains(s.NewYear7Mum.Email!));
    }

    [Fact]
    public async Task NewYear12_ParentsOpenRequestIsCancelledWithItsReason_SoNobodyChasesThem_ThePupilsStaysOpen()
    {
        var s = await SchoolAsync();

        var done = Assert.IsType<RunRollover.Result.Done>(await _jobs.Rollover().HandleAsync(s.Trust.NorthAcademyId, RolloverTrigger.Import, "staff:office"));

        var requests = await RequestsOfAsync(s.NewYear12.Id);
        var parent = Assert.Single(requests, r => r.PartyKind == PartyKind.Contact);
        Assert.Equal(RequestStatus.Cancelled, parent.Status);
        Assert.Equal(RunRollover.ParentNoLongerAskedReason, parent.CancelReason);
        Assert.Equal(_jobs.Clock.GetUtcNow(), parent.CancelledAt);
        Assert.Equal(RequestStatus.Open, Assert.Single(requests, r => r.PartyKind == PartyKind.Pupil).Status);
        Assert.Equal([s.NewYear12.Id], done.Report.ParentNoLongerAsked);
        Assert.Equal(1, done.Report.RequestsClosed);
        // The open requests list the chasing works from no longer has the parent.
        await using var db = database.CreateDbContext();
        Assert.False(await db.SignatureRequests.AnyAsync(r => r.PupilId == s.NewYear12.Id && r.ContactId == s.NewYear12Mum.Id && r.Status == RequestStatus.Open));
    }

    [Fact]
    public async Task FlaggedSixthFormer_ParentIsAskedNow_OthersAreLeftAlone()
    {
        var s = await SchoolAsync();

        var done = Assert.IsType<RunRollover.Result.Done>(await _jobs.Rollover().HandleAsync(s.Trust.NorthAcademyId, RolloverTrigger.AlsoAskParent, "staff:office"));

        var parent = Assert.Single(await RequestsOfAsync(s.Flagged12.Id), r => r.PartyKind == PartyKind.Contact);
        Assert.Equal((RequestStatus.Open, s.Flagged12Mum.Id), (parent.Status, parent.ContactId));
        Assert.Equal([s.Flagged12.Id], done.Report.ParentNowAsked);
        Assert.Equal(2, done.Report.RequestsCreated); // the Year 7 pupil and the flagged pupil's mother
        Assert.Single(await RequestsOfAsync(s.Year5.Id)); // Year 5: nothing changed
        Assert.Empty(await RequestsOfAsync(s.NeverAsked.Id)); // never asked: the rollover does not start a first issue
        Assert.Single(await RequestsOfAsync(s.South.Id)); // another academy's rollover
    }

    [Fact]
    public async Task ASecondRun_ChangesNothing_AndTheReportIsStoredAndAudited()
    {
        var s = await SchoolAsync();
        var first = Assert.IsType<RunRollover.Result.Done>(await _jobs.Rollover().HandleAsync(s.Trust.NorthAcademyId, RolloverTrigger.Manual, "staff:office")).Report;
        _jobs.Clock.Advance(TimeSpan.FromMinutes(5));

        var second = Assert.IsType<RunRollover.Result.Done>(await _jobs.Rollover().HandleAsync(s.Trust.NorthAcademyId, RolloverTrigger.Manual, "staff:office")).Report;

        Assert.Equal((2, 1), (first.RequestsCreated, first.RequestsClosed));
        Assert.Equal((0, 0), (second.RequestsCreated, second.RequestsClosed));
        Assert.Empty(second.PupilNowAsked);
        Assert.Empty(second.ParentNoLongerAsked);
        await using var db = database.CreateDbContext();
        var stored = await db.RolloverReports.AsNoTracking().Where(r => r.AcademyId == s.Trust.NorthAcademyId).OrderBy(r => r.RanAt).ToListAsync();
        Assert.Equal(2, stored.Count);
        Assert.Equal(first.IssueId, stored[0].IssueId);
        Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.ChainId == s.Trust.NorthAcademyId && e.Action == "rollover.ran"));
    }

    [Fact]
    public async Task TheYearStartRun_HappensOncePerDay()
    {
        var s = await SchoolAsync();
        Assert.IsType<RunRollover.Result.Done>(await _jobs.Rollover().HandleAsync(s.Trust.NorthAcademyId, RolloverTrigger.YearStart, RunRollover.SystemActor));

        Assert.IsType<RunRollover.Result.AlreadyRanToday>(await _jobs.Rollover().HandleAsync(s.Trust.NorthAcademyId, RolloverTrigger.YearStart, RunRollover.SystemActor));
    }

    [Fact]
    public async Task TwoRunsAtOnce_AskEachPartyOnce()
    {
        var s = await SchoolAsync();

        var results = await Task.WhenAll(
            _jobs.Rollover().HandleAsync(s.Trust.NorthAcademyId, RolloverTrigger.Manual, "staff:a"),
            _jobs.Rollover().HandleAsync(s.Trust.NorthAcademyId, RolloverTrigger.Manual, "staff:b"));

        Assert.Contains(results, r => r is RunRollover.Result.Done);
        Assert.Single(await RequestsOfAsync(s.NewYear7.Id), r => r.PartyKind == PartyKind.Pupil);
        Assert.Single(await RequestsOfAsync(s.Flagged12.Id), r => r.PartyKind == PartyKind.Contact);
    }
}
