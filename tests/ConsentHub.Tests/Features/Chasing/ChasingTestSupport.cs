using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Chasing;
using ConsentHub.Consent.Rules;
using ConsentHub.Data;
using ConsentHub.Email;
using ConsentHub.Requests;
using ConsentHub.Signing;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Smtp;
using ConsentHub.Tests.Audit;
using ConsentHub.Tests.Email;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace ConsentHub.Tests.Chasing;

/// <summary>
/// The chase and the drain wired over a test class's database, the real templates, and a clock the test moves.
/// Requests are issued through <see cref="IssueConsentRequests"/> at a fixed UK school morning.
/// </summary>
internal sealed class ChasingTestSupport(DatabaseFixture database, NpgsqlDataSource? dataSource = null)
{
    public const string PublicBaseUrl = "https://consent.trust.example/";

    /// <summary>Tuesday 6 October 2026, 09:00 UK time (BST).</summary>
    public static readonly DateTimeOffset IssuedAt = new(2026, 10, 6, 8, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Clock { get; } = new(IssuedAt);

    public NpgsqlDataSource DataSource { get; } = dataSource ?? database.DataSource;

    public SigningOptions Signing { get; } = new() { PublicBaseUrl = new Uri(PublicBaseUrl), GracePeriod = TimeSpan.FromDays(14) };

    private static readonly EmailTemplates Templates = new(Options.Create(new TemplateOptions()));

    public IDbContextFactory<ConsentHubDbContext> Factory() => new AuditTestSupport.ContextFactory(database);

    public IAuditLog Audit { get; set; } = null!;

    public ChasingTestSupport Init()
    {
        Audit = AuditTestSupport.Log(database, Clock);
        return this;
    }

    public ChaseAcademies Chase(IAuditLog? audit = null) => new(Factory(), new ReadChaseSettings(DataSource),
        new ReminderEmails(Templates, Options.Create(Signing)), new OutboxWriter(EmailTestSupport.Options(), Clock), audit ?? Audit, Clock,
        NullLogger<ChaseAcademies>.Instance);

    public DrainOutbox Drain(SmtpSink sink, Action<EmailOptions>? configure = null) =>
        new(DataSource, EmailTestSupport.SmtpSender(sink, configure), EmailTestSupport.Options(sink, configure), Clock, NullLogger<DrainOutbox>.Instance,
            [new MarkFailingAddresses(Clock)]);

    public IssueConsentRequests Issue() => new(Factory(), new OutboxWriter(EmailTestSupport.Options(), Clock),
        new RequestEmails(Templates, Options.Create(Signing)), Audit, Options.Create(Signing), Clock);

    public DateOnly Today => UkCalendar.DateOf(Clock.GetUtcNow());

    /// <summary>Issues the form to the whole academy by email, deadline in <paramref name="deadlineDays"/> days, and empties the outbox of the request emails.</summary>
    public async Task IssueAsync(TestTrust trust, Guid academyId, int deadlineDays = 21)
    {
        var result = await Issue().HandleAsync(AccessScope.Academy(academyId, "staff:office"),
            new IssueConsentRequests.Request(academyId, trust.FormVersionId, IssueAudience.WholeAcademy, Today.AddDays(deadlineDays), IssueDelivery.EmailWherePossible));
        Assert.IsType<IssueConsentRequests.Result.Issued>(result);
        await using var db = database.CreateDbContext();
        await db.Database.ExecuteSqlRawAsync("DELETE FROM consenthub.outbox_messages WHERE business_key LIKE 'request-issued:%'");
    }

    public async Task<List<OutboxMessage>> RemindersAsync(Guid academyId)
    {
        await using var db = database.CreateDbContext();
        return await db.OutboxMessages.AsNoTracking().Where(m => m.AcademyId == academyId && m.BusinessKey.StartsWith("reminder:")).OrderBy(m => m.Id).ToListAsync();
    }

    public async Task<List<FollowUp>> FollowUpsAsync(Guid academyId)
    {
        await using var db = database.CreateDbContext();
        return await db.FollowUps.AsNoTracking().Where(f => f.AcademyId == academyId).ToListAsync();
    }

    public async Task SetSettingsAsync(Action<ConsentHub.Trust.TrustOrganisation> change)
    {
        await using var db = database.CreateDbContext();
        var trust = await db.Trusts.SingleAsync();
        change(trust);
        await db.SaveChangesAsync();
    }

    /// <summary>Moves the clock to a UK wall-clock time <paramref name="days"/> after the issue.</summary>
    public void SetUkTime(int days, int hour, int minute = 0)
    {
        var london = UkCalendar.TimeZone;
        var date = UkCalendar.DateOf(IssuedAt).AddDays(days).ToDateTime(new TimeOnly(hour, minute));
        Clock.SetUtcNow(new DateTimeOffset(date, london.GetUtcOffset(date)).ToUniversalTime());
    }

    /// <summary>A job client that records what was enqueued instead of running it.</summary>
    public sealed class RecordingJobs : IBackgroundJobClient
    {
        public List<Job> Enqueued { get; } = [];

        public string Create(Job job, IState state)
        {
            lock (Enqueued) Enqueued.Add(job);
            return Enqueued.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }
}
