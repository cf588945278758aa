using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Data;
using ConsentHub.Email;
using ConsentHub.Pupils;
using ConsentHub.Requests;
using ConsentHub.Takedowns;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConsentHub.Signing;

/// <summary>
/// What an online answer and a change have in common, inside the caller's transaction: the submission (receipt),
/// one append-only answer per purpose, takedown tasks for withdrawals, the audit entry, the NOTIFY for open views,
/// a new change link and the receipt email in the outbox. All or nothing with the caller's own changes.
/// </summary>
public sealed class OnlineAnswerWriter(OutboxWriter outbox, EmailTemplates templates, IAuditLog audit, TimeProvider clock, IOptions<SigningOptions> options,
    Trust.ReadSchoolIdentity schools)
{
    public sealed record Choice(SigningFormPurpose Purpose, AnswerKind Kind);

    public sealed record Written(Guid SubmissionId, string ReceiptNumber, bool ReceiptQueued);

    /// <summary>
    /// What a "no" means for this party: a withdrawal when their current answer is a grant (takedown follows), a
    /// refusal otherwise. Null when nothing would change (a change link records only what changed).
    /// </summary>
    public static AnswerKind? KindFor(bool yes, AnswerKind? current, bool onlyChanges) => (yes, current) switch
    {
        (true, AnswerKind.Grant) => onlyChanges ? null : AnswerKind.Grant,
        (true, _) => AnswerKind.Grant,
        (false, AnswerKind.Grant) => AnswerKind.Withdraw,
        (false, AnswerKind.Refuse or AnswerKind.Withdraw) => onlyChanges ? null : AnswerKind.Refuse,
        (false, null) => AnswerKind.Refuse,
        _ => AnswerKind.Refuse,
    };

    /// <summary>The party's current answers, read inside the transaction after the caller's row lock.</summary>
    public static Task<Dictionary<Guid, AnswerKind>> CurrentAsync(ConsentHubDbContext db, SigningTarget target, CancellationToken ct)
    {
        var partyId = target.ContactId ?? Guid.Empty;
        return db.CurrentAnswers.AsNoTracking()
            .Where(c => c.PupilId == target.PupilId && c.PartyKind == target.PartyKind && c.PartyId == partyId)
            .ToDictionaryAsync(c => c.PurposeId, c => c.Kind, ct);
    }

    /// <param name="first">
    /// A statement of the caller's to run first, in the same round trip as the submission and its answers (the
    /// request marked answered); null for none.
    /// </param>
    public async Task<Written> WriteAsync(ConsentHubDbContext db, SigningForm form, SubmissionKind kind, IReadOnlyList<Choice> choices,
        string? signatureName, string language, string? userAgent, CancellationToken ct, NpgsqlBatchCommand? first = null)
    {
        var target = form.Target;
        var now = clock.GetUtcNow();
        var submission = new OnlineSubmission
        {
            Id = Guid.CreateVersion7(),
            ReceiptNumber = "R-" + SigningSecrets.FormatShortCode(SigningSecrets.NewShortCode()),
            PupilId = target.PupilId,
            AcademyId = target.AcademyId,
            PartyKind = target.PartyKind,
            ContactId = target.ContactId,
            Kind = kind,
            SignatureRequestId = target.Kind == SigningTargetKind.Request ? target.Id : null,
            SignerLinkId = target.Kind == SigningTargetKind.ChangeLink ? target.Id : null,
            FormVersionId = form.FormVersionId,
            SignatureName = signatureName,
            Language = language,
            SubmittedAt = now,
        };
        var party = await PartyAsync(db, target, ct);

        // One round trip: the caller's first statement, the submission, its answers and, when a receipt will be sent,
        // the revocation of the party's earlier change links and what the new link's lifetime is read from (after the
        // answers, so it follows the consent just given).
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction
            ?? throw new InvalidOperationException("Online answers are written inside the caller's transaction.");
        await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection(), transaction);
        if (first is not null) batch.BatchCommands.Add(first);
        batch.BatchCommands.Add(InsertSubmissionCommand(submission));
        var answers = Answers(form, submission, choices, Truncate(signatureName ?? party.Name, 200), signatureName,
            userAgent is null ? null : Truncate(userAgent, 400), now);
        if (answers.Count > 0) batch.BatchCommands.Add(InsertAnswersCommand(form, submission, answers));
        if (party.Email is not null)
        {
            batch.BatchCommands.Add(IssueChangeLink.RevokeCommand(target.PupilId, target.PartyKind, target.ContactId, now));
            batch.BatchCommands.Add(IssueChangeLink.ValiditiesCommand(target.PupilId, target.PartyKind, target.ContactId));
        }
        List<DateOnly?> validities = [];
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            if (answers.Count > 0)
            {
                var ids = new Dictionary<Guid, long>(answers.Count);
                while (await reader.ReadAsync(ct)) ids[reader.GetGuid(1)] = reader.GetInt64(0);
                foreach (var a in answers) a.Id = ids[a.PurposeId];
                await reader.NextResultAsync(ct);
            }
            if (party.Email is not null) validities = await IssueChangeLink.ReadValiditiesAsync(reader, ct);
        }

        var withdrawals = answers.Where(a => a.Kind == AnswerKind.Withdraw).ToList();
        var takedowns = withdrawals.Count == 0 ? 0 : await CreateTakedownTasks.HandleAsync(db, target.PupilId, target.AcademyId, withdrawals, now, ct);

        var queued = false;
        if (party.Email is { } email)
        {
            // Earlier links were revoked above; this one lives as long as the consent just given.
            var link = await IssueChangeLink.HandleAsync(db, target.PupilId, target.AcademyId, target.PartyKind, target.ContactId,
                form.FormVersionId, now, options.Value.ChangeLinkLifetime, validities, ct);
            var token = link.Token;
            var lines = await ReceiptLinesAsync(db, form, kind, choices, ct);
            var school = await schools.HandleAsync(target.AcademyId, ct);
            var crestUrl = school.CrestPath is { } crest ? new Uri(options.Value.PublicBaseUrl, crest) : null;
            var message = SigningEmails.Receipt(templates, language, target.PartyKind == PartyKind.Pupil, form.PupilFirstName, submission.ReceiptNumber,
                form.FormVersionLabel, now, signatureName, lines, options.Value.ChangeUrl(token), link.ExpiresAt,
                new SigningEmails.ReceiptSchool(school.Name, crestUrl), party.Greeting);
            // The PDF is made from this when the email is sent (ReceiptAttachment): what it says is fixed now.
            var receipt = new ReceiptRecipe(language, target.PartyKind == PartyKind.Pupil, target.AcademyId, school.Name,
                await PupilNameAsync(db, target, ct), submission.ReceiptNumber, form.FormVersionLabel, now, signatureName, lines);
            queued = await outbox.WriteAsync(db, new OutgoingEmail(ReceiptKey(submission.Id), email, message.Subject, message.Text)
            {
                ToName = party.Name,
                HtmlBody = message.Html,
                AcademyId = target.AcademyId,
                Attachments = [ReceiptAttachment.For(receipt)],
                Secrets = [token],
            }, ct) > 0;
        }
        // Last, just before the caller commits: appending locks the academy's audit chain until the commit, so every
        // other signing at the academy waits for as short a time as possible.
        await audit.AppendAsync(db, new AuditEvent(target.AcademyId, target.Actor, kind switch
        {
            SubmissionKind.Answer => "signing.answered",
            SubmissionKind.Change => "signing.changed",
            _ => "signing.withdrawn",
        }, "OnlineSubmission", submission.Id.ToString(), target.PupilId, new Dictionary<string, object?>
        {
            ["receipt"] = submission.ReceiptNumber,
            ["party"] = target.PartyKind.ToString(),
            ["contactId"] = target.ContactId,
            ["formVersion"] = form.FormVersionLabel,
            ["answers"] = choices.ToDictionary(c => c.Purpose.Key, c => (object?)c.Kind.ToString()),
            ["takedownTasks"] = takedowns,
        }), ct);
        return new Written(submission.Id, submission.ReceiptNumber, queued);
    }

    private static List<ConsentAnswer> Answers(SigningForm form, OnlineSubmission submission, IReadOnlyList<Choice> choices, string recordedBy,
        string? signatureName, string? userAgent, DateTimeOffset now)
    {
        var target = form.Target;
        var note = signatureName is null ? "Withdrawn with \"withdraw all\" from a change link." : null;
        return [.. choices.Select(c => new ConsentAnswer
        {
            PupilId = target.PupilId,
            AcademyId = target.AcademyId,
            PurposeId = c.Purpose.PurposeId,
            PartyKind = target.PartyKind,
            ContactId = target.ContactId,
            Kind = c.Kind,
            Method = AnswerMethod.Online,
            FormVersionId = form.FormVersionId,
            At = now,
            RecordedAt = now,
            RecordedBy = recordedBy,
            SignatureName = signatureName,
            UserAgent = userAgent,
            SignatureRequestId = submission.SignatureRequestId,
            OnlineSubmissionId = submission.Id,
            Note = note,
        })];
    }

    /// <summary>
    /// Appends the submission's answers in one statement: the answer triggers (current answer, check read model)
    /// then run once for the submission instead of once per purpose. Returns each answer's id with its purpose.
    /// </summary>
    private static NpgsqlBatchCommand InsertAnswersCommand(SigningForm form, OnlineSubmission submission, List<ConsentAnswer> answers)
    {
        var target = form.Target;
        var first = answers[0];
        var command = new NpgsqlBatchCommand(InsertAnswersSql);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<Guid>("pupil_id", target.PupilId));
        p.Add(new NpgsqlParameter<Guid>("academy_id", target.AcademyId));
        p.Add(new NpgsqlParameter<string>("party_kind", target.PartyKind.ToString()));
        p.Add(new NpgsqlParameter("contact_id", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)target.ContactId ?? DBNull.Value });
        p.Add(new NpgsqlParameter<string>("method", nameof(AnswerMethod.Online)));
        p.Add(new NpgsqlParameter<Guid>("form_version_id", form.FormVersionId));
        p.Add(new NpgsqlParameter<DateTimeOffset>("now", first.At));
        p.Add(new NpgsqlParameter<string>("recorded_by", first.RecordedBy!));
        p.Add(new NpgsqlParameter("signature_name", NpgsqlTypes.NpgsqlDbType.Varchar) { Value = (object?)first.SignatureName ?? DBNull.Value });
        p.Add(new NpgsqlParameter("user_agent", NpgsqlTypes.NpgsqlDbType.Varchar) { Value = (object?)first.UserAgent ?? DBNull.Value });
        p.Add(new NpgsqlParameter("note", NpgsqlTypes.NpgsqlDbType.Varchar) { Value = (object?)first.Note ?? DBNull.Value });
        p.Add(new NpgsqlParameter("request_id", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)submission.SignatureRequestId ?? DBNull.Value });
        p.Add(new NpgsqlParameter<Guid>("submission_id", submission.Id));
        p.Add(new NpgsqlParameter<Guid[]>("purpose_ids", [.. answers.Select(a => a.PurposeId)]));
        p.Add(new NpgsqlParameter<string[]>("kinds", [.. answers.Select(a => a.Kind.ToString())]));
        return command;
    }

    private static NpgsqlBatchCommand InsertSubmissionCommand(OnlineSubmission s)
    {
        var command = new NpgsqlBatchCommand("""
            INSERT INTO consenthub.online_submissions (id, receipt_number, pupil_id, academy_id, party_kind, contact_id, kind,
                signature_request_id, signer_link_id, form_version_id, signature_name, language, submitted_at)
            VALUES (@id, @receipt_number, @pupil_id, @academy_id, @party_kind, @contact_id, @kind,
                @request_id, @link_id, @form_version_id, @signature_name, @language, @submitted_at)
            """);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<Guid>("id", s.Id));
        p.Add(new NpgsqlParameter<string>("receipt_number", s.ReceiptNumber));
        p.Add(new NpgsqlParameter<Guid>("pupil_id", s.PupilId));
        p.Add(new NpgsqlParameter<Guid>("academy_id", s.AcademyId));
        p.Add(new NpgsqlParameter<string>("party_kind", s.PartyKind.ToString()));
        p.Add(new NpgsqlParameter("contact_id", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)s.ContactId ?? DBNull.Value });
        p.Add(new NpgsqlParameter<string>("kind", s.Kind.ToString()));
        p.Add(new NpgsqlParameter("request_id", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)s.SignatureRequestId ?? DBNull.Value });
        p.Add(new NpgsqlParameter("link_id", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)s.SignerLinkId ?? DBNull.Value });
        p.Add(new NpgsqlParameter<Guid>("form_version_id", s.FormVersionId));
        p.Add(new NpgsqlParameter("signature_name", NpgsqlTypes.NpgsqlDbType.Varchar) { Value = (object?)s.SignatureName ?? DBNull.Value });
        p.Add(new NpgsqlParameter<string>("language", s.Language));
        p.Add(new NpgsqlParameter<DateTimeOffset>("submitted_at", s.SubmittedAt));
        return command;
    }

    private const string InsertAnswersSql = """
        INSERT INTO consenthub.consent_answers (pupil_id, academy_id, purpose_id, party_kind, contact_id, kind, method, form_version_id,
            at, recorded_at, recorded_by, signature_name, user_agent, attested, note, signature_request_id, online_submission_id)
        SELECT @pupil_id, @academy_id, c.purpose_id, @party_kind, @contact_id, c.kind, @method, @form_version_id,
            @now, @now, @recorded_by, @signature_name, @user_agent, false, @note, @request_id, @submission_id
        FROM unnest(@purpose_ids, @kinds) WITH ORDINALITY AS c(purpose_id, kind, ord)
        ORDER BY c.ord
        RETURNING id, purpose_id
        """;

    /// <summary>
    /// What the receipt lists. A first answer: what was answered. A change or withdrawal: the full current position
    /// (read after the insert, in this transaction, so it includes this submission), every use of the form with its
    /// answer now, the ones just changed marked.
    /// </summary>
    private static async Task<List<ReceiptLine>> ReceiptLinesAsync(ConsentHubDbContext db, SigningForm form, SubmissionKind kind,
        IReadOnlyList<Choice> choices, CancellationToken ct)
    {
        if (kind == SubmissionKind.Answer)
            return [.. choices.Select(c => new ReceiptLine(c.Purpose.Key, c.Purpose.Name, c.Kind, c.Purpose.Basis))];
        var changed = choices.ToDictionary(c => c.Purpose.PurposeId, c => c.Kind);
        var position = await CurrentAsync(db, form.Target, ct);
        var lines = new List<ReceiptLine>(form.Purposes.Count);
        foreach (var p in form.Purposes)
        {
            if (changed.TryGetValue(p.PurposeId, out var now)) lines.Add(new ReceiptLine(p.Key, p.Name, now, p.Basis));
            else if (position.TryGetValue(p.PurposeId, out var kept)) lines.Add(new ReceiptLine(p.Key, p.Name, kept, p.Basis) { Changed = false });
        }
        return lines;
    }

    private static async Task<string> PupilNameAsync(ConsentHubDbContext db, SigningTarget target, CancellationToken ct)
    {
        if (target.People is { } people) return $"{people.PupilFirstName} {people.PupilLastName}";
        var p = await db.Pupils.AsNoTracking().Where(x => x.Id == target.PupilId)
            .Select(x => new { x.LegalFirstName, x.PreferredFirstName, x.LegalLastName, x.PreferredLastName })
            .FirstAsync(ct);
        return $"{Pupil.NameUsed(p.LegalFirstName, p.PreferredFirstName)} {Pupil.NameUsed(p.LegalLastName, p.PreferredLastName)}";
    }

    /// <summary>Who the receipt goes to: the name on the envelope, the parts a greeting is made of, and the address.</summary>
    private sealed record Party(string Name, string? Email, string? Title, string FirstName, string LastName, bool IsPupil)
    {
        public string Greeting(string language) => IsPupil
            ? Pupils.Salutation.ForPupil(FirstName, language)
            : Pupils.Salutation.For(Title, FirstName, LastName, language);
    }

    /// <summary>Where the receipt goes: the contact's email, or the pupil's school email.</summary>
    private static async Task<Party> PartyAsync(ConsentHubDbContext db, SigningTarget target, CancellationToken ct)
    {
        // Read with the target, in the statement that locked it: no round trip of its own.
        if (target.People is { } people && (target.PartyKind == PartyKind.Pupil || people.Contact is not null))
        {
            if (target.PartyKind == PartyKind.Pupil)
            {
                var (first, last) = (people.PupilFirstName, people.PupilLastName);
                return new Party($"{first} {last}", string.IsNullOrWhiteSpace(people.PupilSchoolEmail) ? null : people.PupilSchoolEmail, null, first, last,
                    IsPupil: true);
            }
            var contact = people.Contact!;
            return new Party(contact.DisplayName, string.IsNullOrWhiteSpace(contact.Email) ? null : contact.Email, contact.Title, contact.FirstName,
                contact.LastName, IsPupil: false);
        }
        if (target.PartyKind == PartyKind.Pupil)
        {
            var p = await db.Pupils.AsNoTracking().Where(x => x.Id == target.PupilId)
                .Select(x => new { x.LegalFirstName, x.PreferredFirstName, x.LegalLastName, x.PreferredLastName, x.SchoolEmail })
                .FirstAsync(ct);
            var (first, last) = (Pupil.NameUsed(p.LegalFirstName, p.PreferredFirstName), Pupil.NameUsed(p.LegalLastName, p.PreferredLastName));
            return new Party($"{first} {last}", string.IsNullOrWhiteSpace(p.SchoolEmail) ? null : p.SchoolEmail, null, first, last, IsPupil: true);
        }
        var c = await db.Contacts.AsNoTracking().FirstAsync(x => x.Id == target.ContactId, ct);
        return new Party(c.DisplayName, string.IsNullOrWhiteSpace(c.Email) ? null : c.Email, c.Title, c.FirstName, c.LastName, IsPupil: false);
    }

    /// <summary>The outbox business key of a submission's receipt email.</summary>
    public static string ReceiptKey(Guid submissionId) => $"signing-receipt:{submissionId}";

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];

    /// <summary>True for the unique index on a request's submission: another tab got there first.</summary>
    public static bool IsDuplicateSubmission(DbUpdateException e) =>
        e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg
        && pg.ConstraintName?.Contains("signature_request_id", StringComparison.Ordinal) == true;
}
