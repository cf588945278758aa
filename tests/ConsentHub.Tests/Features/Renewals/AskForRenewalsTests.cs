using ConsentHub.Consent;
using ConsentHub.Pupils;
using ConsentHub.Requests;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Smtp;
using ConsentHub.Tests.Requests;
using ConsentHub.Tests.Takedowns;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace ConsentHub.Tests.Renewals;

/// <summary>Before a consent's validity ends, its party is asked to renew it: once, through the ordinary issuing path.</summary>
public sealed class AskForRenewalsTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly SmtpSink _sink = SmtpSink.Start();
    private readonly JobsTestSupport _jobs = new(database, new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero)));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _sink.DisposeAsync();

    private DateTimeOffset Now => _jobs.Clock.GetUtcNow();

    private sealed record School(TestTrust Trust, Guid YearlyPurpose, Pupil Due, Contact DueMum, Pupil NotDue, Contact NotDueMum, Pupil SixthForm, Contact SixthFormMum);

    /// <summary>
    /// A purpose whose grants last twelve months. The mother of a Year 4 pupil granted it 11 months and 10 days ago
    /// (it runs out in 20 days); another granted it two months ago; a Year 12's mother (no longer asked) granted it
    /// as long ago as the first.
    /// </summary>
    private async Task<School> SchoolAsync()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var purpose = await db.Purposes.FirstOrDefaultAsync(p => p.Key == "school-trips-photos");
        if (purpose is null)
        {
            purpose = new Purpose { Id = Guid.NewGuid(), Key = "school-trips-photos", Name = "Trip photos", Description = "Photos from trips, for a year.", LawfulBasis = LawfulBasis.Consent, ValidityKind = ValidityKind.Months, ValidityMonths = 12, SortOrder = 5 };
            db.Purposes.Add(purpose);
            await db.SaveChangesAsync();
        }
        var (due, dueMum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 4, "4N", "Maya", "Green");
        var (notDue, notDueMum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 4, "4N", "Omar", "Khan");
        var (sixth, sixthMum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 12, "12S", "Ella", "Stone");
        await JobsTestSupport.AnswerAsync(db, due, purpose.Id, t.FormVersionId, PartyKind.Contact, dueMum.Id, AnswerKind.Grant, Now.AddMonths(-11).AddDays(-10));
        await JobsTestSupport.AnswerAsync(db, due, t.SocialPurposeId, t.FormVersionId, PartyKind.Contact, dueMum.Id, AnswerKind.Grant, Now.AddMonths(-11).AddDays(-10));
        await JobsTestSupport.AnswerAsync(db, notDue, purpose.Id, t.FormVersionId, PartyKind.Contact, notDueMum.Id, AnswerKind.Grant, Now.AddMonths(-2));
        await JobsTestSupport.AnswerAsync(db, sixth, purpose.Id, t.FormVersionId, PartyKind.Contact, sixthMum.Id, AnswerKind.Grant, Now.AddMonths(-11).AddDays(-10));
        return new School(t, purpose.Id, due, dueMum, notDue, notDueMum, sixth, sixthMum);
    }

    private async Task<List<SignatureRequest>> RequestsOfAsync(Guid pupilId)
    {
        await using var db = database.CreateDbContext();
        return await db.SignatureRequests.AsNoTracking().Where(r => r.PupilId == pupilId).ToListAsync();
    }

    [Fact]
    public async Task AGrantEndingWithinTheNotice_GetsOneRenewalRequestAndEmail_EvenThoughItAnsweredThisFormVersion()
    {
        var s = await SchoolAsync();

        var summary = await _jobs.Renewals().RunAsync(CancellationToken.None);

        var request = Assert.Single(await RequestsOfAsync(s.Due.Id));
        Assert.Equal((PartyKind.Contact, s.DueMum.Id, RequestStatus.Open, s.Trust.FormVersionId), (request.PartyKind, request.ContactId, request.Status, request.FormVersionId));
        Assert.Equal(UkDate(21), request.Deadline);
        Assert.True(summary.RequestsCreated >= 1);

        await _jobs.DrainAsync(_sink);
        var mail = Assert.Single(_sink.Messages, m => m.Recipients.Contains(s.DueMum.Email!));
        Assert.Contains("please renew your answer", mail.Message.Subject, StringComparison.Ordinal);
        Assert.Contains("Maya", mail.Message.TextBody, StringComparison.Ordinal);
        Assert.Matches(@"https://consent\.trust\.example/s/[A-Za-z0-9_-]{43}", mail.Message.TextBody);
    }

    [Fact]
    public async Task AnArabicSpeakingParent_IsAskedToRenewInArabic_RightToLeft_WithTheDeadlineOnTheUkCalendar()
    {
        var s = await SchoolAsync();
        await using (var db = database.CreateDbContext())
        {
            (await db.Contacts.SingleAsync(c => c.Id == s.DueMum.Id)).PreferredLanguage = "ar";
            await db.SaveChangesAsync();
        }

        await _jobs.Renewals().RunAsync(CancellationToken.None);
        await _jobs.DrainAsync(_sink);

        // Monday 2 November 2026 with 21 days' notice: Monday 23 November 2026.
        var mail = Assert.Single(_sink.Messages, m => m.Recipients.Contains(s.DueMum.Email!)).Message;
        Assert.Equal("صور ومقاطع فيديو Maya: يُرجى تجديد إجابتك بحلول الاثنين، 23 نوفمبر 2026", mail.Subject);
        Assert.StartsWith("عزيزتي Jane Green،", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("إجابتك بشأن صور ومقاطع فيديو Maya في North Academy تقترب من نهاية مدّتها.", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"ar\" dir=\"rtl\">", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("<body dir=\"rtl\"", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Matches(@"https://consent\.trust\.example/s/[A-Za-z0-9_-]{43}", mail.TextBody);
    }

    [Fact]
    public async Task OnlyGrantsWithinTheNotice_AndOnlyPartiesStillAsked()
    {
        var s = await SchoolAsync();

        await _jobs.Renewals().RunAsync(CancellationToken.None);

        Assert.Empty(await RequestsOfAsync(s.NotDue.Id)); // runs out in ten months
        Assert.Empty(await RequestsOfAsync(s.SixthForm.Id)); // a Year 12's parent is not asked any more
    }

    [Fact]
    public async Task RunningAgain_OrAfterTheRequestWasAnswered_AsksNobodyTwice()
    {
        var s = await SchoolAsync();
        await _jobs.Renewals().RunAsync(CancellationToken.None);
        await _jobs.DrainAsync(_sink);
        var first = _sink.Messages.Count(m => m.Recipients.Contains(s.DueMum.Email!));

        _jobs.Clock.Advance(TimeSpan.FromDays(1));
        await _jobs.Renewals().RunAsync(CancellationToken.None);
        await using (var db = database.CreateDbContext())
        {
            // The mother answers; her request is closed. The grant she renewed is a new answer, due again next year only.
            await db.SignatureRequests.Where(r => r.PupilId == s.Due.Id).ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, RequestStatus.Answered));
            // The twelve-month grant is recorded as asked; the social media grant lasts until withdrawn and is not.
            Assert.Equal(1, await db.RenewalAsks.CountAsync(a => a.PupilId == s.Due.Id));
        }
        await _jobs.Renewals().RunAsync(CancellationToken.None);
        await _jobs.DrainAsync(_sink);

        Assert.Single(await RequestsOfAsync(s.Due.Id));
        Assert.Equal(1, first);
        Assert.Single(_sink.Messages, m => m.Recipients.Contains(s.DueMum.Email!));
    }

    private DateOnly UkDate(int daysFromNow) => ConsentHub.Consent.Rules.UkCalendar.DateOf(Now).AddDays(daysFromNow);
}
