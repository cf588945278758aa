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

    public async Task<Written> WriteAsync(ConsentHubDbContext db, SigningForm form, SubmissionKind kind, IReadOnlyList<Choice> choices,
        string? signatureName, string language, string? userAgent, CancellationToken ct)
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
        db.OnlineSubmissions.Add(submission);
        await db.SaveChangesAsync(ct);

        var party = await PartyAsync(db, target, ct);
        var answers = await InsertAnswersAsync(db, form, submission, choices, Truncate(signatureName ?? party.Name, 200), signatureName,
            userAgent is null ? null : Truncate(userAgent, 400), now, ct);

        var withdrawals = answers.Where(a => a.Kind == AnswerKind.Withdraw).ToList();
        var takedowns = withdrawals.Count == 0 ? 0 : await CreateTakedownTasks.HandleAsync(db, target.PupilId, target.AcademyId, withdrawals, now, ct);

        var queued = false;
        if (party.Email is { } email)
        {
            // After the answers, so the link's lifetime follows the consent just given; earlier links stop working.
            var link = await IssueChangeLink.HandleAsync(db, target.PupilId, target.AcademyId, target.PartyKind, target.ContactId,
                form.FormVersionId, now, options.Value.ChangeLinkLifetime, ct);
            var token = link.Token;
            var lines = await ReceiptLinesAsync(db, form, kind, choices, ct);
            var school = await schools.HandleAsync(target.AcademyId, ct);
            var crestUrl = school.CrestPath is { } crest ? new Uri(options.Value.PublicBaseUrl, crest) : null;
            var message = SigningEmails.Receipt(templates, language, target.PartyKind == PartyKind.Pupil, form.PupilFirstName, submission.ReceiptNumber,
                form.FormVersionLabel, now, signatureName, lines, options.Value.ChangeUrl(token), link.ExpiresAt,
                new SigningEmails.ReceiptSchool(school.Name, crestUrl), party.Greeting);
            // The PDF is made from this when the email is sent (ReceiptAttachment): what it says is fixed now.
            var receipt = new ReceiptRecipe(language, target.PartyKind == PartyKind.Pupil, target.AcademyId, school.Name,
                await PupilNameAsync(db, target.PupilId, ct), submission.ReceiptNumber, form.FormVersionLabel, now, signatureName, lines);
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

    /// <summary>
    /// Appends the submission's answers in one statement: the answer triggers (current answer, check read model)
    /// then run once for the submission instead of once per purpose. Returns the answers with their ids.
    /// </summary>
    private static async Task<List<ConsentAnswer>> InsertAnswersAsync(ConsentHubDbContext db, SigningForm form, OnlineSubmission submission,
        IReadOnlyList<Choice> choices, string recordedBy, string? signatureName, string? userAgent, DateTimeOffset now, CancellationToken ct)
    {
        var target = form.Target;
        var note = signatureName is null ? "Withdrawn with \"withdraw all\" from a change link." : null;
        var answers = choices.Select(c => new ConsentAnswer
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
        }).ToList();
        if (answers.Count == 0) return answers;

        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Online answers are written inside the caller's transaction.");
        await using var command = new NpgsqlCommand(InsertAnswersSql, (NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)transaction);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<Guid>("pupil_id", target.PupilId));
        p.Add(new NpgsqlParameter<Guid>("academy_id", target.AcademyId));
        p.Add(new NpgsqlParameter<string>("party_kind", target.PartyKind.ToString()));
        p.Add(new NpgsqlParameter("contact_id", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)target.ContactId ?? DBNull.Value });
        p.Add(new NpgsqlParameter<string>("method", nameof(AnswerMethod.Online)));
        p.Add(new NpgsqlParameter<Guid>("form_version_id", form.FormVersionId));
        p.Add(new NpgsqlParameter<DateTimeOffset>("now", now));
        p.Add(new NpgsqlParameter<string>("recorded_by", recordedBy));
        p.Add(new NpgsqlParameter("signature_name", NpgsqlTypes.NpgsqlDbType.Varchar) { Value = (object?)signatureName ?? DBNull.Value });
        p.Add(new NpgsqlParameter("user_agent", NpgsqlTypes.NpgsqlDbType.Varchar) { Value = (object?)userAgent ?? DBNull.Value });
        p.Add(new NpgsqlParameter("note", NpgsqlTypes.NpgsqlDbType.Varchar) { Value = (object?)note ?? DBNull.Value });
        p.Add(new NpgsqlParameter("request_id", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)submission.SignatureRequestId ?? DBNull.Value });
        p.Add(new NpgsqlParameter<Guid>("submission_id", submission.Id));
        p.Add(new NpgsqlParameter<Guid[]>("purpose_ids", [.. answers.Select(a => a.PurposeId)]));
        p.Add(new NpgsqlParameter<string[]>("kinds", [.. answers.Select(a => a.Kind.ToString())]));

        var ids = new Dictionary<Guid, long>(answers.Count);
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) ids[reader.GetGuid(1)] = reader.GetInt64(0);
        }
        foreach (var a in answers) a.Id = ids[a.PurposeId];
        return answers;
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

    private static async Task<string> PupilNameAsync(ConsentHubDbContext db, Guid pupilId, CancellationToken ct)
    {
        var p = await db.Pupils.AsNoTracking().Where(x => x.Id == pupilId)
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
