using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Data;
using ConsentHub.Email;
using ConsentHub.Hosting;
using ConsentHub.Pupils;
using ConsentHub.Renewals;
using ConsentHub.Requests;
using ConsentHub.Retention;
using ConsentHub.Rollover;
using ConsentHub.Signing;
using ConsentHub.Takedowns;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Smtp;
using ConsentHub.Tests.Audit;
using ConsentHub.Tests.Email;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static Microsoft.Extensions.Options.Options;

namespace ConsentHub.Tests.Takedowns;

/// <summary>
/// The rollover, renewal, takedown and retention jobs wired over a test class's database, with the real templates,
/// the real outbox, and a drain that speaks real SMTP to the in-process sink.
/// </summary>
internal sealed class JobsTestSupport(DatabaseFixture database, FakeTimeProvider clock)
{
    public const string PublicBaseUrl = "https://consent.trust.example/";

    public FakeTimeProvider Clock => clock;

    public SigningOptions Signing { get; } = new() { PublicBaseUrl = new Uri(PublicBaseUrl), GracePeriod = TimeSpan.FromDays(14) };

    public TakedownOptions Takedowns { get; } = new();

    public RetentionOptions Retention { get; } = new() { BatchSize = 2 };

    private AuditTestSupport.ContextFactory Factory() => new(database);

    private static EmailTemplates Templates() => new(Create(new TemplateOptions()));

    private OutboxWriter Outbox() => new(EmailTestSupport.Options(), clock);

    public IssueConsentRequests Issue() => new(Factory(), Outbox(), new RequestEmails(Templates(), Create(Signing)), AuditTestSupport.Log(database, clock), Create(Signing), clock);

    public RunRollover Rollover() => new(Factory(), Issue(), AuditTestSupport.Log(database, clock), Create(new RolloverOptions()), clock, NullLogger<RunRollover>.Instance);

    public AskForRenewals Renewals() => new(Factory(), Issue(), Create(new RenewalOptions()), clock, NullLogger<AskForRenewals>.Instance);

    public SendTakedownNotices Notices() => new(Factory(), Outbox(), Templates(), AuditTestSupport.Log(database, clock), new PublicAddress(Signing.PublicBaseUrl), clock);

    public EscalateOverdueTakedowns Escalations() => new(Factory(), Outbox(), Templates(), AuditTestSupport.Log(database, clock), Create(Takedowns), new PublicAddress(Signing.PublicBaseUrl), clock,
        NullLogger<EscalateOverdueTakedowns>.Instance);

    public MarkTakedownDone Done() => new(Factory(), AuditTestSupport.Log(database, clock), clock);

    public ListTakedownTasks List() => new(Factory());

    public SetSafeguardingFlag Safeguarding() => new(Factory(), AuditTestSupport.Log(database, clock), clock);

    public PurgeLeavers Purge() => new(Factory(), AuditTestSupport.Log(database, clock), Create(Retention), clock, NullLogger<PurgeLeavers>.Instance);

    /// <summary>Sends everything due in the outbox to <paramref name="sink"/> over SMTP, as the recurring drain does.</summary>
    public Task<DrainOutboxResult> DrainAsync(SmtpSink sink) =>
        new DrainOutbox(database.DataSource, EmailTestSupport.SmtpSender(sink), EmailTestSupport.Options(sink), clock, NullLogger<DrainOutbox>.Instance).RunAsync(CancellationToken.None);

    /// <summary>A recorded answer, as signing or a paper return would leave it (the triggers keep the current answer).</summary>
    public static async Task<ConsentAnswer> AnswerAsync(ConsentHubDbContext db, Pupil pupil, Guid purposeId, Guid formVersionId, PartyKind party, Guid? contactId,
        AnswerKind kind, DateTimeOffset at)
    {
        var answer = new ConsentAnswer
        {
            PupilId = pupil.Id,
            AcademyId = pupil.AcademyId,
            PurposeId = purposeId,
            PartyKind = party,
            ContactId = contactId,
            Kind = kind,
            Method = AnswerMethod.Paper,
            FormVersionId = formVersionId,
            At = at,
            RecordedAt = at,
            RecordedBy = "test office",
            Attested = true,
        };
        db.ConsentAnswers.Add(answer);
        await db.SaveChangesAsync();
        return answer;
    }
}
