using ConsentHub.Access;
using ConsentHub.Chasing;
using ConsentHub.Email;
using ConsentHub.Pupils;
using ConsentHub.Requests;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Smtp;
using ConsentHub.Tests.Email;
using ConsentHub.Tests.Requests;
using ConsentHub.Trust;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Tests.Chasing;

/// <summary>
/// The chase against a real database and real SMTP (the drain through MailKit to the in-process sink): the
/// schedule, quiet hours, reminders that stop when the request is answered, failing addresses and escalation to
/// the office follow-up list.
/// </summary>
public sealed class ChaseTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly SmtpSink _sink = SmtpSink.Start();
    private readonly ChasingTestSupport _s = new ChasingTestSupport(database).Init();

    public async Task InitializeAsync()
    {
        await EmailTestSupport.ClearOutboxAsync(database);
        await using var db = database.CreateDbContext();
        await TestTrust.CreateAsync(db); // makes sure the trust row exists
        await _s.SetSettingsAsync(t =>
        {
            t.ChaseAnchor = ChaseAnchor.AfterIssue;
            t.ChaseOffsetsDays = [3, 7, 14];
            t.ChaseQuietFrom = new TimeOnly(21, 0);
            t.ChaseQuietUntil = new TimeOnly(7, 0);
            t.ChaseSkipWeekends = false;
            t.ChaseFollowUpAfterDays = 2;
        });
    }

    public async Task DisposeAsync() => await _sink.DisposeAsync();

    private sealed record School(TestTrust Trust, Pupil Pupil, Contact Parent);

    /// <summary>A Year 3 pupil with one parent, issued the form by email at 09:00 on Tuesday 6 October.</summary>
    private async Task<School> IssuedAsync(Action<Contact>? parent = null, int deadlineDays = 21)
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var (pupil, mum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 3, "3B", "Ava", "Jones");
        if (parent is not null)
        {
            parent(mum);
            db.Update(mum);
            await db.SaveChangesAsync();
        }
        _s.Clock.SetUtcNow(ChasingTestSupport.IssuedAt);
        await _s.IssueAsync(t, t.NorthAcademyId, deadlineDays);
        return new School(t, pupil, mum);
    }

    private async Task<ChaseBatchResult> ChaseAsync(School s, int days, int hour = 10, int minute = 0)
    {
        _s.SetUkTime(days, hour, minute);
        return await _s.Chase().RunAsync([s.Trust.NorthAcademyId], CancellationToken.None);
    }

    private Task<DrainOutboxResult> DrainAsync() => _s.Drain(_sink).RunAsync(CancellationToken.None);

    private async Task<SignatureRequest> RequestAsync(School s)
    {
        await using var db = database.CreateDbContext();
        return await db.SignatureRequests.AsNoTracking().SingleAsync(r => r.PupilId == s.Pupil.Id);
    }

    [Fact]
    public async Task Reminders_GoThreeSevenAndFourteenDaysAfterIssue_OnceEach_ThenThePartyIsOnTheFollowUpList()
    {
        var s = await IssuedAsync();
        var request = await RequestAsync(s);

        Assert.Equal(0, (await ChaseAsync(s, 2)).RemindersWritten);
        Assert.Equal(1, (await ChaseAsync(s, 3)).RemindersWritten);
        Assert.Equal(0, (await ChaseAsync(s, 3, 11)).RemindersWritten); // the same day again: nothing new
        Assert.Equal(1, (await DrainAsync()).Sent);

        var first = Assert.Single(_sink.Messages).Message;
        Assert.Equal([s.Parent.Email], first.To.Mailboxes.Select(m => m.Address));
        Assert.StartsWith("Reminder: photos and videos of Ava, please answer by", first.Subject, StringComparison.Ordinal);
        Assert.StartsWith("Dear Mrs Jones,", first.TextBody, StringComparison.Ordinal);
        // The token is stored only as a hash: the reminder carries the short-code link (date of birth still asked).
        Assert.Contains($"{ChasingTestSupport.PublicBaseUrl}sign?code={request.ShortCode.Trim()}", first.TextBody, StringComparison.Ordinal);
        Assert.Contains(SigningSecrets.FormatShortCode(request.ShortCode.Trim()), first.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("/s/", first.TextBody, StringComparison.Ordinal);
        Assert.Contains($"href=\"{ChasingTestSupport.PublicBaseUrl}sign?code={request.ShortCode.Trim()}\"", first.HtmlBody, StringComparison.Ordinal);
        Assert.Equal(EmailTestSupport.Bare(OutboxWriter.MessageIdFor($"reminder:{request.Id}:1", EmailTestSupport.MessageIdDomain)), first.MessageId);

        Assert.Equal(0, (await ChaseAsync(s, 6)).RemindersWritten);
        Assert.Equal(1, (await ChaseAsync(s, 7)).RemindersWritten);
        Assert.Equal(1, (await ChaseAsync(s, 14)).RemindersWritten);
        await DrainAsync();
        Assert.Equal(3, _sink.Messages.Count);
        Assert.StartsWith("Last reminder:", _sink.Messages[2].Message.Subject, StringComparison.Ordinal);
        Assert.Contains("the school office will contact you another way", _sink.Messages[2].Message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("another way", _sink.Messages[0].Message.TextBody, StringComparison.Ordinal);
        Assert.Equal(["reminder:" + request.Id + ":1", "reminder:" + request.Id + ":2", "reminder:" + request.Id + ":3"],
            (await _s.RemindersAsync(s.Trust.NorthAcademyId)).Select(m => m.BusinessKey));

        Assert.Equal(0, (await ChaseAsync(s, 15)).FollowUpsAdded);
        Assert.Empty(await _s.FollowUpsAsync(s.Trust.NorthAcademyId));
        Assert.Equal(1, (await ChaseAsync(s, 16)).FollowUpsAdded);
        Assert.Equal(0, (await ChaseAsync(s, 17)).FollowUpsAdded);
        var followUp = Assert.Single(await _s.FollowUpsAsync(s.Trust.NorthAcademyId));
        Assert.Equal((FollowUpReason.NoAnswer, request.Id, s.Parent.Id), (followUp.Reason, followUp.SignatureRequestId, followUp.ContactId));
        Assert.Equal(0, (await ChaseAsync(s, 20)).RemindersWritten);
        Assert.Equal(0, (await DrainAsync()).Sent);
    }

    [Fact]
    public async Task AMissedRun_SendsOnlyTheLatestReminderDue_NotTwoAtOnce()
    {
        var s = await IssuedAsync();

        Assert.Equal(1, (await ChaseAsync(s, 8)).RemindersWritten);

        Assert.EndsWith(":2", Assert.Single(await _s.RemindersAsync(s.Trust.NorthAcademyId)).BusinessKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChaseInQuietHours_HoldsTheReminderUntilSevenInTheMorning_UkTime()
    {
        var s = await IssuedAsync();

        await ChaseAsync(s, 3, 22, 30);
        Assert.Equal(0, (await DrainAsync()).Sent);
        _s.SetUkTime(4, 6, 59);
        Assert.Equal(0, (await DrainAsync()).Sent);
        _s.SetUkTime(4, 7, 0);
        Assert.Equal(1, (await DrainAsync()).Sent);

        var reminder = Assert.Single(await _s.RemindersAsync(s.Trust.NorthAcademyId));
        Assert.Equal(new DateTimeOffset(2026, 10, 10, 6, 0, 0, TimeSpan.Zero), reminder.NextAttemptAt.ToUniversalTime()); // Sat 07:00 BST
        Assert.Single(_sink.Messages);
    }

    [Fact]
    public async Task WithWeekendsOff_AFridayNightReminder_WaitsForMonday()
    {
        await _s.SetSettingsAsync(t => t.ChaseSkipWeekends = true);
        var s = await IssuedAsync();

        await ChaseAsync(s, 3, 21, 15); // Friday 9 October, 21:15

        var reminder = Assert.Single(await _s.RemindersAsync(s.Trust.NorthAcademyId));
        Assert.Equal(new DateTimeOffset(2026, 10, 12, 6, 0, 0, TimeSpan.Zero), reminder.NextAttemptAt.ToUniversalTime()); // Mon 07:00 BST
        _s.SetUkTime(5, 12);
        Assert.Equal(0, (await DrainAsync()).Sent);
    }

    [Fact]
    public async Task TheTrustsOwnSchedule_IsUsed()
    {
        await _s.SetSettingsAsync(t => t.ChaseOffsetsDays = [2, 5]);
        var s = await IssuedAsync();

        Assert.Equal(1, (await ChaseAsync(s, 2)).RemindersWritten);
        Assert.Equal(1, (await ChaseAsync(s, 5)).RemindersWritten);
        Assert.Equal(0, (await ChaseAsync(s, 6)).FollowUpsAdded);
        Assert.Equal(1, (await ChaseAsync(s, 7)).FollowUpsAdded);
        await DrainAsync();
        Assert.StartsWith("Last reminder:", _sink.Messages[^1].Message.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReminderWaitingInTheOutbox_IsNotSent_OnceTheRequestIsAnswered()
    {
        var s = await IssuedAsync();
        await ChaseAsync(s, 3, 22, 0); // held until the morning
        await using (var db = database.CreateDbContext())
        {
            await db.SignatureRequests.Where(r => r.PupilId == s.Pupil.Id).ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, RequestStatus.Answered));
        }

        _s.SetUkTime(4, 8);
        var result = await DrainAsync();

        Assert.Equal(0, result.Claimed);
        Assert.Empty(_sink.Messages);
        var row = Assert.Single(await _s.RemindersAsync(s.Trust.NorthAcademyId));
        Assert.Equal(OutboxStatus.Cancelled, row.Status);
        Assert.Equal(0, (await ChaseAsync(s, 7)).Requests);
    }

    [Fact]
    public async Task AnAddressTheServerRejects_IsMarkedFailing_ThePartyGoesOnTheFollowUpList_AndGetsNoMoreReminders()
    {
        var s = await IssuedAsync();
        _sink.RejectRecipient(s.Parent.Email!, 550, $"5.1.1 <{s.Parent.Email}>: mailbox unavailable");

        await ChaseAsync(s, 3);
        var result = await DrainAsync();

        Assert.Equal(1, result.Failed);
        await using (var db = database.CreateDbContext())
        {
            var contact = await db.Contacts.AsNoTracking().SingleAsync(c => c.Id == s.Parent.Id);
            Assert.Equal(_s.Clock.GetUtcNow(), contact.EmailFailingSince);
            Assert.Contains("550", contact.EmailFailingReason, StringComparison.Ordinal);
            Assert.DoesNotContain(s.Parent.Email!, contact.EmailFailingReason, StringComparison.OrdinalIgnoreCase);
        }
        var followUp = Assert.Single(await _s.FollowUpsAsync(s.Trust.NorthAcademyId));
        Assert.Equal(FollowUpReason.EmailFailing, followUp.Reason);

        Assert.Equal(0, (await ChaseAsync(s, 7)).RemindersWritten);
        Assert.Single(await _s.RemindersAsync(s.Trust.NorthAcademyId));
    }

    [Fact]
    public async Task AMessageThatKeepsFailingTransiently_AlsoMarksTheAddressFailing_AtMaxAttempts()
    {
        var s = await IssuedAsync();
        _sink.AddFault(c => c.Command == SmtpCommand.RcptTo ? new SmtpReply(451, "4.3.0 Try again later") : null);

        await ChaseAsync(s, 3);
        for (var i = 0; i < 3; i++)
        {
            await _s.Drain(_sink, o => o.MaxAttempts = 3).RunAsync(CancellationToken.None);
            _s.Clock.Advance(TimeSpan.FromHours(7));
        }

        Assert.Equal(OutboxStatus.Failed, Assert.Single(await _s.RemindersAsync(s.Trust.NorthAcademyId)).Status);
        Assert.Equal(FollowUpReason.EmailFailing, Assert.Single(await _s.FollowUpsAsync(s.Trust.NorthAcademyId)).Reason);
    }

    [Fact]
    public async Task ANewAddressFromTheOffice_ClearsTheFailingMark_AndRemindersResume()
    {
        var s = await IssuedAsync(c => { c.EmailFailingSince = ChasingTestSupport.IssuedAt; c.EmailFailingReason = "550 5.1.1 mailbox unavailable"; });
        var update = new UpdatePupilContact(_s.Factory(), _s.Audit);

        var saved = await update.HandleAsync(AccessScope.Academy(s.Trust.NorthAcademyId, "staff:office"),
            new UpdatePupilContact.Request(s.Pupil.Id, s.Parent.Id, "Mother", true, false, "jane.new@example.org", null));

        Assert.IsType<UpdatePupilContact.Result.Saved>(saved);
        await using (var db = database.CreateDbContext())
        {
            var contact = await db.Contacts.AsNoTracking().SingleAsync(c => c.Id == s.Parent.Id);
            Assert.Null(contact.EmailFailingSince);
            Assert.Null(contact.EmailFailingReason);
        }
        Assert.Equal(1, (await ChaseAsync(s, 3)).RemindersWritten);
        Assert.Equal("jane.new@example.org", Assert.Single(await _s.RemindersAsync(s.Trust.NorthAcademyId)).ToAddress);
    }

    [Fact]
    public async Task AParentWithNoEmail_GoesOnTheFollowUpList_WhenTheFirstReminderWouldHaveGone()
    {
        var s = await IssuedAsync(c => c.Email = null);

        Assert.Equal(0, (await ChaseAsync(s, 2)).FollowUpsAdded);
        var result = await ChaseAsync(s, 3);

        Assert.Equal((0, 1), (result.RemindersWritten, result.FollowUpsAdded));
        Assert.Equal(FollowUpReason.NoEmail, Assert.Single(await _s.FollowUpsAsync(s.Trust.NorthAcademyId)).Reason);
    }

    [Fact]
    public async Task AParentUnderANoContactOrder_IsNeverChased()
    {
        var s = await IssuedAsync();
        await using (var db = database.CreateDbContext())
        {
            await db.PupilContacts.Where(pc => pc.PupilId == s.Pupil.Id).ExecuteUpdateAsync(u => u.SetProperty(pc => pc.NoContactOrder, true));
        }

        var result = await ChaseAsync(s, 16);

        Assert.Equal(new ChaseBatchResult(0, 0, 0), result);
    }

    [Fact]
    public async Task APupilInYear8_GetsThePupilsOwnReminder_AtTheirSchoolEmail_AndAPolishParentGetsPolish()
    {
        await using (var db = database.CreateDbContext())
        {
            var t = await TestTrust.CreateAsync(db);
            var (pupil, mum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 8, "8K", "Zoë", "Nowak");
            pupil.SchoolEmail = "zoe.nowak@pupils.north.example";
            mum.PreferredLanguage = "pl";
            db.Update(pupil);
            db.Update(mum);
            await db.SaveChangesAsync();
            _s.Clock.SetUtcNow(ChasingTestSupport.IssuedAt);
            await _s.IssueAsync(t, t.NorthAcademyId);
            _s.SetUkTime(3, 10);
            Assert.Equal(2, (await _s.Chase().RunAsync([t.NorthAcademyId], CancellationToken.None)).RemindersWritten);
        }

        await DrainAsync();

        var toPupil = Assert.Single(_sink.Messages, m => m.Recipients.Contains("zoe.nowak@pupils.north.example")).Message;
        Assert.StartsWith("Reminder: photos and videos of you at school", toPupil.Subject, StringComparison.Ordinal);
        Assert.StartsWith("Hi Zoë,", toPupil.TextBody, StringComparison.Ordinal);
        var toParent = Assert.Single(_sink.Messages, m => !m.Recipients.Contains("zoe.nowak@pupils.north.example")).Message;
        Assert.StartsWith("Przypomnienie: zdjęcia i filmy z udziałem Zoë", toParent.Subject, StringComparison.Ordinal);
        Assert.Contains("lang=\"pl\"", toParent.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUrduSpeakingParent_GetsTheReminderInUrdu_RightToLeft_WithTheDeadlineOnTheUkCalendar()
    {
        var s = await IssuedAsync(mum => mum.PreferredLanguage = "ur");

        Assert.Equal(1, (await ChaseAsync(s, 3)).RemindersWritten);
        await DrainAsync();

        // Issued Tuesday 6 October 2026 with 21 days to answer: Tuesday 27 October 2026.
        var mail = Assert.Single(_sink.Messages).Message;
        Assert.Equal("یاد دہانی: Ava کی تصاویر اور ویڈیوز، براہ کرم منگل، 27 اکتوبر، 2026 تک جواب دیں", mail.Subject);
        Assert.StartsWith("محترمہ Jane Jones،", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("ہمیں ابھی تک North Academy میں Ava کی تصاویر اور ویڈیوز کے بارے میں آپ کا جواب نہیں ملا۔", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"ur\" dir=\"rtl\">", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("<body dir=\"rtl\"", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("This translation is to be reviewed by the trust.", mail.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDailyRun_FansOutOneBatchJobPerAcademyWithOpenRequests()
    {
        await IssuedAsync();
        var jobs = new ChasingTestSupport.RecordingJobs();

        var enqueued = await new RunChase(database.DataSource, jobs, _s.Clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<RunChase>.Instance).RunAsync(CancellationToken.None);

        Assert.Equal(enqueued, jobs.Enqueued.Count);
        Assert.InRange(enqueued, 1, RunChase.MaxBatchJobs);
        Assert.All(jobs.Enqueued, j => Assert.Equal(typeof(ChaseAcademies), j.Type));
    }

    [Fact]
    public async Task TheOfficesButton_QueuesTheSameBatchJob_ForItsOwnAcademyOnly_AndIsAudited()
    {
        var s = await IssuedAsync();
        var jobs = new ChasingTestSupport.RecordingJobs();
        var now = new ChaseAcademyNow(_s.Factory(), jobs, _s.Audit);

        Assert.IsType<ChaseAcademyNow.Result.NotFound>(await now.HandleAsync(AccessScope.Academy(s.Trust.SouthAcademyId, "staff:south"), s.Trust.NorthAcademyId));
        Assert.Empty(jobs.Enqueued);
        Assert.IsType<ChaseAcademyNow.Result.Queued>(await now.HandleAsync(AccessScope.Academy(s.Trust.NorthAcademyId, "staff:north"), s.Trust.NorthAcademyId));

        var job = Assert.Single(jobs.Enqueued);
        Assert.Equal(typeof(ChaseAcademies), job.Type);
        Assert.Equal([s.Trust.NorthAcademyId], (Guid[])job.Args[0]);
        await using var db = database.CreateDbContext();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "chase.requested" && e.Actor == "staff:north"));
    }
}
