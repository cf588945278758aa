using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.PaperReturns;

/// <summary>
/// Records one party's answer for one pupil and purpose: a paper return or an answer heard by staff (the online
/// signing flow records its own). Appends; never edits. Validates everything first and records nothing on bad
/// input, naming the field at fault. With an <see cref="Idempotency"/> key, a repeat of the same request within
/// <see cref="IdempotencyWindow"/> returns the first answer instead of recording another (even when the two
/// arrive at once: the key's row is written in the answer's transaction).
/// </summary>
public sealed class RecordConsentAnswer(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit, TimeProvider clock)
{
    public sealed record Request(
        Guid PupilId,
        string PurposeKey,
        PartyKind PartyKind,
        Guid? ContactId,
        AnswerKind Kind,
        AnswerMethod Method,
        bool Attested,
        string RecordedBy,
        DateTimeOffset? At = null,
        string? FormVersionLabel = null,
        string? ScanReference = null,
        string? Note = null,
        Idempotency? IdempotencyKey = null);

    /// <summary>A client's key for one request: <paramref name="Owner"/> is who may replay it, <paramref name="RequestHash"/> what it asked.</summary>
    public sealed record Idempotency(string Owner, string Key, string RequestHash);

    /// <summary>How long a key is remembered; after it, the key may be used again.</summary>
    public static readonly TimeSpan IdempotencyWindow = TimeSpan.FromHours(24);

    public abstract record Result
    {
        public sealed record Recorded(long AnswerId, Guid PurposeId) : Result;

        /// <summary>The same key and request arrived before: nothing new was recorded; this is the first answer.</summary>
        public sealed record Replayed(long AnswerId, Guid PurposeId) : Result;

        /// <summary>The key was used within the window for a different request.</summary>
        public sealed record KeyReused : Result;
        public sealed record NotFound : Result;
        public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : Result;
    }

    public async Task<Result> HandleAsync(AccessScope scope, Request request, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        void Error(string field, string message) => errors[field] = [message];

        await using var db = await factory.CreateDbContextAsync(ct);
        var pupil = await db.Pupils.AsNoTracking()
            .Where(p => p.Id == request.PupilId)
            .Where(ScopeFilter.Pupils(db, scope))
            .Select(p => new { p.Id, p.AcademyId, p.YearGroup, p.LegalFirstName, p.DateOfBirth })
            .FirstOrDefaultAsync(ct);
        if (pupil is null) return new Result.NotFound();
        if (request.IdempotencyKey is { } idempotency && await PriorAsync(db, idempotency, now, ct) is { } prior) return prior;

        var purpose = await db.Purposes.AsNoTracking().FirstOrDefaultAsync(p => p.Key == request.PurposeKey && p.Active, ct);
        if (purpose is null) Error("purpose", $"There is no purpose with the key '{request.PurposeKey}'.");

        if (request.Method == AnswerMethod.Online)
            Error("method", "Online answers come only from the signing page; record a paper form as 'paper' or a spoken answer as 'recordedByStaff'.");
        if (!request.Attested)
            Error("attested", request.Method == AnswerMethod.Paper
                ? "Confirm that you have seen the signed form."
                : "Confirm that you heard this answer from the person yourself.");
        if (string.IsNullOrWhiteSpace(request.RecordedBy) || request.RecordedBy.Length > 200)
            Error("recordedBy", "Say who recorded the answer (up to 200 characters).");
        if (request.At is { } at && AnswerDates.Problem(at, pupil.DateOfBirth, pupil.LegalFirstName, now) is { } badDate)
            Error("at", badDate);
        if (request.ScanReference is { Length: > 200 }) Error("scanReference", "The scan reference is longer than 200 characters.");
        if (request.Note is { Length: > 1000 }) Error("note", "The note is longer than 1,000 characters.");

        if (request.PartyKind == PartyKind.Pupil)
        {
            if (request.ContactId is not null) Error("contactId", "Leave contactId empty when the pupil is the one answering.");
            if (pupil.YearGroup < 7)
                Error("party", $"{new YearGroup(pupil.YearGroup).DisplayName} pupils are not asked themselves; record the answer of a parent with parental responsibility.");
        }
        else if (request.ContactId is not { } contactId)
        {
            Error("contactId", "Say which contact answered.");
        }
        else
        {
            var link = await db.PupilContacts.AsNoTracking().FirstOrDefaultAsync(pc => pc.PupilId == pupil.Id && pc.ContactId == contactId, ct);
            if (link is null) Error("contactId", $"That contact is not linked to {pupil.LegalFirstName}.");
            else if (link.NoContactOrder) Error("contactId", "That contact has a no-contact order; their answer cannot be recorded.");
            else if (!link.HasParentalResponsibility) Error("contactId", $"That contact does not have parental responsibility for {pupil.LegalFirstName}, so their answer would not count.");
        }

        var formVersion = request.FormVersionLabel is { } label
            ? await db.FormVersions.AsNoTracking().FirstOrDefaultAsync(f => f.Label == label && f.PublishedAt != null, ct)
            : await db.FormVersions.AsNoTracking().Where(f => f.PublishedAt != null).OrderByDescending(f => f.PublishedAt).FirstOrDefaultAsync(ct);
        if (formVersion is null)
            Error("formVersion", request.FormVersionLabel is null ? "No consent form has been published yet." : $"There is no published form version '{request.FormVersionLabel}'.");

        if (errors.Count > 0) return new Result.Invalid(errors);

        var answer = new ConsentAnswer
        {
            PupilId = pupil.Id,
            AcademyId = pupil.AcademyId,
            PurposeId = purpose!.Id,
            PartyKind = request.PartyKind,
            ContactId = request.PartyKind == PartyKind.Contact ? request.ContactId : null,
            Kind = request.Kind,
            Method = request.Method,
            FormVersionId = formVersion!.Id,
            At = request.At ?? now,
            RecordedAt = now,
            RecordedBy = request.RecordedBy.Trim(),
            Attested = request.Attested,
            ScanReference = request.ScanReference,
            Note = request.Note,
        };

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.ConsentAnswers.Add(answer);
        await db.SaveChangesAsync(ct);
        if (request.IdempotencyKey is { } key)
        {
            // A live row with this key (committed by a concurrent repeat, which this insert waits for) wins: roll back
            // and answer with it. An expired row is taken over.
            var expired = now - IdempotencyWindow;
            var claimed = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO consenthub.answer_idempotency_keys (owner, key, request_hash, answer_id, created_at)
                VALUES ({key.Owner}, {key.Key}, {key.RequestHash}, {answer.Id}, {now})
                ON CONFLICT (owner, key) DO UPDATE
                   SET request_hash = excluded.request_hash, answer_id = excluded.answer_id, created_at = excluded.created_at
                 WHERE answer_idempotency_keys.created_at <= {expired}
                """, ct);
            if (claimed == 0)
            {
                await tx.RollbackAsync(ct);
                return await PriorAsync(db, key, now, ct) ?? throw new InvalidOperationException("An idempotency key conflicted but cannot be read.");
            }
        }
        await audit.AppendAsync(db, new AuditEvent(pupil.AcademyId, scope.Actor, "consent.answer-recorded", "ConsentAnswer",
            answer.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), pupil.Id, new Dictionary<string, object?>
            {
                ["purpose"] = purpose.Key,
                ["party"] = request.PartyKind.ToString(),
                ["contactId"] = answer.ContactId,
                ["answer"] = request.Kind.ToString(),
                ["method"] = request.Method.ToString(),
                ["formVersion"] = formVersion.Label,
                ["at"] = answer.At,
            }), ct);
        await tx.CommitAsync(ct);
        return new Result.Recorded(answer.Id, purpose.Id);
    }

    private static async Task<Result?> PriorAsync(ConsentHubDbContext db, Idempotency key, DateTimeOffset now, CancellationToken ct)
    {
        var since = now - IdempotencyWindow;
        var prior = await db.AnswerIdempotencyKeys.AsNoTracking()
            .Where(k => k.Owner == key.Owner && k.Key == key.Key && k.CreatedAt > since)
            .Join(db.ConsentAnswers, k => k.AnswerId, a => a.Id, (k, a) => new { k.RequestHash, a.Id, a.PurposeId })
            .FirstOrDefaultAsync(ct);
        if (prior is null) return null;
        return prior.RequestHash == key.RequestHash ? new Result.Replayed(prior.Id, prior.PurposeId) : new Result.KeyReused();
    }
}
