using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Email;
using ConsentHub.Requests;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Smtp;
using ConsentHub.Tests.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConsentHub.Tests.Requests;

/// <summary>A new link for requests that expired unanswered, chosen together on the open-requests page.</summary>
public sealed class ReissueExpiredRequestsTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly SmtpSink _sink = SmtpSink.Start();
    private readonly RequestsTestSupport _support = new(database);

    public Task InitializeAsync() => EmailTestSupport.ClearOutboxAsync(database);

    public async Task DisposeAsync() => await _sink.DisposeAsync();

    private Task<DrainOutboxResult> DrainAsync() =>
        new DrainOutbox(database.DataSource, EmailTestSupport.SmtpSender(_sink), EmailTestSupport.Options(_sink), _support.Clock, NullLogger<DrainOutbox>.Instance)
            .RunAsync(CancellationToken.None);

    [Fact]
    public async Task ExpiredRequests_GetANewLinkAndDeadline_TheOldLinkStaysDead_TheNewOneOpensTheForm_AndOtherAcademiesAreRefused()
    {
        TestTrust t;
        Guid pupilId, southPupilId;
        string mumEmail;
        await using (var db = database.CreateDbContext())
        {
            t = await TestTrust.CreateAsync(db);
            var (pupil, mum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 3, "3B", "Thảo", "Đặng");
            var (southPupil, _) = await TestTrust.AddPupilAsync(db, t.SouthAcademyId, 3, "3S", "Łukasz", "Mureșan");
            (pupilId, southPupilId, mumEmail) = (pupil.Id, southPupil.Id, mum.Email!);
        }
        var tata = await RequestsTestSupport.AddContactAsync(database, pupilId, "Piotr", responsibility: true, language: "pl");
        var office = RequestsTestSupport.Office(t.NorthAcademyId);
        await _support.Issue().HandleAsync(office, new(t.NorthAcademyId, t.FormVersionId, IssueAudience.Chosen(pupilId), _support.Today.AddDays(10), IssueDelivery.EmailWherePossible));
        await _support.Issue().HandleAsync(RequestsTestSupport.Office(t.SouthAcademyId),
            new(t.SouthAcademyId, t.FormVersionId, IssueAudience.Chosen(southPupilId), _support.Today.AddDays(10), IssueDelivery.EmailWherePossible));
        await DrainAsync();
        var oldToken = RequestsTestSupport.TokenIn(Assert.Single(_sink.Messages, m => m.Recipients.Contains(mumEmail, StringComparer.OrdinalIgnoreCase)).Message.TextBody);
        var north = await _support.RequestsAsync(t.NorthAcademyId);
        var south = Assert.Single(await _support.RequestsAsync(t.SouthAcademyId));

        // Past the deadline and the grace period: the link no longer opens the form.
        _support.Clock.Advance(TimeSpan.FromDays(26));
        Assert.Null(await _support.Targets().ByRequestTokenAsync(oldToken));

        var result = await _support.Reissue().HandleAsync(office, [.. north.Select(r => r.Id), south.Id]);

        var summary = Assert.IsType<ReissueExpiredRequests.Result.Done>(result).Summary;
        var deadline = _support.Today.AddDays(14);
        Assert.Equal(new ReissueExpiredRequests.Summary(2, 0, 0, 1, deadline), summary);
        Assert.Equal(2, (await DrainAsync()).Sent);
        var mails = _sink.Messages.Where(m => m.Recipients.Contains(mumEmail, StringComparer.OrdinalIgnoreCase)).ToList();
        Assert.Equal(2, mails.Count);
        var newToken = RequestsTestSupport.TokenIn(mails[1].Message.TextBody);
        Assert.Contains(RequestEmails.FormatDeadline(deadline, "en"), mails[1].Message.TextBody, StringComparison.Ordinal);
        Assert.Contains(RequestEmails.FormatDeadline(deadline, "pl"),
            _sink.Messages.Last(m => m.Recipients.Contains(tata.Email!, StringComparer.OrdinalIgnoreCase)).Message.TextBody, StringComparison.Ordinal);

        // The old link stays dead; the new one opens the same request until the new deadline's grace ends.
        Assert.Null(await _support.Targets().ByRequestTokenAsync(oldToken));
        var target = await _support.Targets().ByRequestTokenAsync(newToken);
        Assert.Equal(north.Single(r => r.ContactId != tata.Id).Id, target?.Id);
        var renewed = await _support.RequestsAsync(t.NorthAcademyId);
        Assert.All(renewed, r => Assert.Equal((RequestStatus.Open, deadline, UkCalendar.StartOf(deadline.AddDays(1)) + TimeSpan.FromDays(14)),
            (r.Status, r.Deadline!.Value, r.ExpiresAt)));
        Assert.Equal(north.Select(r => r.ShortCode).Order(), renewed.Select(r => r.ShortCode).Order());

        // The other academy's request was refused: same token, still expired, nobody emailed.
        var southAfter = Assert.Single(await _support.RequestsAsync(t.SouthAcademyId));
        Assert.Equal(south.TokenHash, southAfter.TokenHash);
        Assert.Equal(south.ExpiresAt, southAfter.ExpiresAt);
        Assert.Single(await _support.OutboxAsync(t.SouthAcademyId));

        await using (var db = database.CreateDbContext())
        {
            Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.Action == "request.reissued" && e.Actor == office.Actor && e.PupilId == pupilId));
        }

        // A second click changes nothing and sends nothing.
        var again = Assert.IsType<ReissueExpiredRequests.Result.Done>(await _support.Reissue().HandleAsync(office, north.Select(r => r.Id).ToList())).Summary;
        Assert.Equal((0, 2), (again.Sent, again.NotExpired));
        Assert.Equal(0, (await DrainAsync()).Sent);
        Assert.NotNull(await _support.Targets().ByRequestTokenAsync(newToken));
    }

    [Fact]
    public async Task AnExpiredRequest_WithNoWorkingEmail_StaysExpired_AndIsCounted()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var (pupil, mum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 2, "2A", "Zoë", "O'Brien");
        var office = RequestsTestSupport.Office(t.NorthAcademyId);
        await _support.Issue().HandleAsync(office, new(t.NorthAcademyId, t.FormVersionId, IssueAudience.Chosen(pupil.Id), _support.Today.AddDays(3), IssueDelivery.EmailWherePossible));
        var request = Assert.Single(await _support.RequestsAsync(t.NorthAcademyId));
        (await db.Contacts.SingleAsync(c => c.Id == mum.Id)).EmailFailingSince = _support.Clock.GetUtcNow();
        await db.SaveChangesAsync();
        _support.Clock.Advance(TimeSpan.FromDays(20));

        var summary = Assert.IsType<ReissueExpiredRequests.Result.Done>(await _support.Reissue().HandleAsync(office, [request.Id])).Summary;

        Assert.Equal((0, 1), (summary.Sent, summary.NoEmail));
        Assert.Equal(request.ExpiresAt, Assert.Single(await _support.RequestsAsync(t.NorthAcademyId)).ExpiresAt);
        Assert.IsType<ReissueExpiredRequests.Result.Invalid>(await _support.Reissue().HandleAsync(office, []));
    }
}
