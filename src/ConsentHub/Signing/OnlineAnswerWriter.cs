using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Data;
using ConsentHub.Email;
using ConsentHub.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConsentHub.Signing;

/// <summary>
/// What an online answer and a change have in common, inside the caller's transaction: the submission (receipt),
/// one append-only answer per purpose, takedown tasks for withdrawals, the audit entry, the NOTIFY for open views,
/// a new change link and the receipt email in the outbox. All or nothing with the caller's own changes.
/// </summary>
public sealed class OnlineAnswerWriter(OutboxWriter outbox, IAuditLog audit, TimeProvider clock, IOptions<SigningOptions> options)
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
            RecordedBy = Truncate(signatureName ?? party.Name, 200),
            SignatureName = signatureName,
            UserAgent = userAgent is null ? null : Truncate(userAgent, 400),
            SignatureRequestId = submission.SignatureRequestId,
            OnlineSubmissionId = submission.Id,
            Note = signatureName is null ? "Withdrawn with \"withdraw all\" from a change link." : null,
        }).ToList();
        db.ConsentAnswers.AddRange(answers);
        await db.SaveChangesAsync(ct);

        var withdrawals = answers.Where(a => a.Kind == AnswerKind.Withdraw).ToList();
        var takedowns = withdrawals.Count == 0 ? 0 : await CreateTakedownTasks.HandleAsync(db, target.PupilId, target.AcademyId, withdrawals, now, ct);

        var queued = false;
        if (party.Email is { } email)
        {
            var token = SigningSecrets.NewToken();
            var link = new SignerLink
            {
                Id = Guid.CreateVersion7(),
                TokenHash = SigningSecrets.HashToken(token),
                PupilId = target.PupilId,
                AcademyId = target.AcademyId,
                PartyKind = target.PartyKind,
                ContactId = target.ContactId,
                CreatedAt = now,
                ExpiresAt = now + options.Value.ChangeLinkLifetime,
            };
            db.SignerLinks.Add(link);
            await db.SaveChangesAsync(ct);
            var lines = choices.Select(c => new ReceiptLine(c.Purpose.Key, c.Purpose.Name, c.Kind)).ToList();
            var message = SigningEmails.Receipt(language, target.PartyKind == PartyKind.Pupil, form.PupilFirstName, submission.ReceiptNumber,
                form.FormVersionLabel, now, signatureName, lines, options.Value.ChangeUrl(token), link.ExpiresAt);
            var copy = Forms.ReceiptDocument.Render(language, target.PartyKind == PartyKind.Pupil, form.PupilFirstName, submission.ReceiptNumber,
                form.FormVersionLabel, now, signatureName, lines);
            queued = await outbox.WriteAsync(db, new OutgoingEmail(ReceiptKey(submission.Id), email, message.Subject, message.Text)
            {
                ToName = party.Name,
                HtmlBody = message.Html,
                AcademyId = target.AcademyId,
                Attachments = [new EmailAttachment($"consent-receipt-{submission.ReceiptNumber}.pdf", "application/pdf", copy)],
            }, ct) > 0;
        }
        // Last, just before the caller commits: appending locks the academy's audit chain until the commit, so every
        // other signing at the academy waits for as short a time as possible (the receipt PDF is made before it).
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

    /// <summary>Where the receipt goes: the contact's email, or the pupil's school email.</summary>
    private static async Task<(string Name, string? Email)> PartyAsync(ConsentHubDbContext db, SigningTarget target, CancellationToken ct)
    {
        if (target.PartyKind == PartyKind.Pupil)
        {
            var p = await db.Pupils.AsNoTracking().Where(x => x.Id == target.PupilId)
                .Select(x => new { First = x.PreferredFirstName ?? x.LegalFirstName, Last = x.PreferredLastName ?? x.LegalLastName, x.SchoolEmail })
                .FirstAsync(ct);
            return ($"{p.First} {p.Last}", string.IsNullOrWhiteSpace(p.SchoolEmail) ? null : p.SchoolEmail);
        }
        var c = await db.Contacts.AsNoTracking().FirstAsync(x => x.Id == target.ContactId, ct);
        return (c.DisplayName, string.IsNullOrWhiteSpace(c.Email) ? null : c.Email);
    }

    /// <summary>The outbox business key of a submission's receipt email.</summary>
    public static string ReceiptKey(Guid submissionId) => $"signing-receipt:{submissionId}";

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];

    /// <summary>True for the unique index on a request's submission: another tab got there first.</summary>
    public static bool IsDuplicateSubmission(DbUpdateException e) =>
        e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg
        && pg.ConstraintName?.Contains("signature_request_id", StringComparison.Ordinal) == true;
}
