using System.Security.Cryptography;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Data;
using ConsentHub.Files;
using ConsentHub.Requests;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.PaperReturns;

/// <summary>
/// Records what a signed paper form says: an answer per use from the party the form was issued to, as a paper
/// answer by the member of staff who attests they have seen the signed form, with an optional scan kept as evidence
/// (PDF, JPEG or PNG up to 10 MB, type read from the content, stored with its SHA-256). All or nothing: on any
/// problem nothing is recorded and every problem is named.
/// </summary>
public sealed class RecordPaperReturn(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit, TimeProvider clock)
{
    public sealed record Scan(string FileName, byte[] Content);

    /// <param name="Answers">Purpose key → true for Yes, false for No; every use on the form.</param>
    public sealed record Request(Guid RequestId, IReadOnlyDictionary<string, bool> Answers, bool Attested, Scan? ScanFile = null, DateOnly? SignedOn = null);

    public abstract record Result
    {
        public sealed record Recorded(Guid PupilId, int Answers, Guid? ScanId) : Result;
        public sealed record NotFound : Result;
        public sealed record Invalid(IReadOnlyList<string> Problems) : Result;
    }

    public async Task<Result> HandleAsync(AccessScope scope, Request request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.GetUtcNow();
        var problems = new List<string>();
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);

        // Locked, so two people recording the same form at once take turns and both see the other's answers.
        var sr = await db.SignatureRequests.FromSql($"SELECT * FROM consenthub.signature_requests WHERE id = {request.RequestId} FOR UPDATE")
            .AsNoTracking().FirstOrDefaultAsync(ct);
        var pupil = sr is null ? null : await db.Pupils.AsNoTracking().Where(p => p.Id == sr.PupilId).Where(ScopeFilter.Pupils(db, scope)).FirstOrDefaultAsync(ct);
        if (sr is null || pupil is null) return new Result.NotFound();

        if (sr.Status == RequestStatus.Cancelled) problems.Add("This request was cancelled, so its form no longer counts. Issue the form again.");
        if (!request.Attested) problems.Add("Confirm that you have seen the signed form.");
        if (sr.PartyKind == PartyKind.Contact)
        {
            var link = await db.PupilContacts.AsNoTracking().FirstOrDefaultAsync(pc => pc.PupilId == pupil.Id && pc.ContactId == sr.ContactId, ct);
            if (link is null) problems.Add($"The person this form was sent to is no longer a contact of {pupil.FirstName}.");
            else if (link.NoContactOrder) problems.Add("The person this form was sent to now has a no-contact order; their answer cannot be recorded.");
            else if (!link.HasParentalResponsibility) problems.Add($"The person this form was sent to no longer has parental responsibility for {pupil.FirstName}, so their answer would not count.");
        }
        if (request.SignedOn is { } signed && (signed > Consent.Rules.UkCalendar.DateOf(now) || signed < Consent.Rules.UkCalendar.DateOf(sr.IssuedAt)))
            problems.Add("The date signed must be between the day the form was issued and today.");
        else if (request.SignedOn is { } signedOn && signedOn < pupil.DateOfBirth)
            problems.Add($"The date signed cannot be before {pupil.FirstName} was born.");

        var purposes = await FormUses.OfAsync(db, sr.FormVersionId, ct);
        foreach (var missing in purposes.Where(p => !request.Answers.ContainsKey(p.Key)))
            problems.Add($"Say what the form answers for “{missing.Name}” (Yes or No).");
        foreach (var unknown in request.Answers.Keys.Where(k => purposes.All(p => p.Key != k)))
            problems.Add($"“{unknown}” is not a use on this form.");

        string? scanType = null;
        if (request.ScanFile is { } scan)
        {
            if (scan.Content.Length == 0) problems.Add("The scan is an empty file.");
            else if (scan.Content.Length > PaperScan.MaxBytes) problems.Add($"The scan is {scan.Content.Length / 1024.0 / 1024.0:F1} MB; the most is 10 MB. Scan at a lower resolution or in black and white.");
            else if ((scanType = ScanFile.Sniff(scan.Content)) is null) problems.Add($"“{scan.FileName}” is not a PDF, JPEG or PNG file, whatever its name says. Scan the form as one of those.");
        }
        if (problems.Count > 0) return new Result.Invalid(problems);

        PaperScan? stored = null;
        if (request.ScanFile is { } file && scanType is not null)
        {
            stored = new PaperScan
            {
                Id = Guid.NewGuid(),
                PupilId = pupil.Id,
                AcademyId = pupil.AcademyId,
                RequestId = sr.Id,
                ContentType = scanType,
                Sha256 = SHA256.HashData(file.Content),
                Size = file.Content.Length,
                Content = file.Content,
                UploadedBy = scope.Actor,
                UploadedAt = now,
            };
            db.PaperScans.Add(stored);
        }
        var at = request.SignedOn is { } day ? new DateTimeOffset(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero) : now;
        // Midday of today may still be ahead: an answer is never dated after it was recorded.
        if (at > now) at = now;
        foreach (var purpose in purposes)
        {
            db.ConsentAnswers.Add(new ConsentAnswer
            {
                PupilId = pupil.Id,
                AcademyId = pupil.AcademyId,
                PurposeId = purpose.Id,
                PartyKind = sr.PartyKind,
                ContactId = sr.PartyKind == PartyKind.Contact ? sr.ContactId : null,
                Kind = request.Answers[purpose.Key] ? AnswerKind.Grant : AnswerKind.Refuse,
                Method = AnswerMethod.Paper,
                FormVersionId = sr.FormVersionId,
                At = at,
                RecordedAt = now,
                RecordedBy = scope.Actor,
                Attested = true,
                ScanReference = stored?.Reference,
                Note = $"Paper form {SigningSecrets.FormatShortCode(sr.ShortCode.Trim())}",
            });
        }
        await db.SaveChangesAsync(ct);
        if (sr.Status == RequestStatus.Open)
            await db.SignatureRequests.Where(r => r.Id == sr.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RequestStatus.Answered), ct);
        await audit.AppendAsync(db, new AuditEvent(pupil.AcademyId, scope.Actor, "consent.paper-return-recorded", "SignatureRequest", sr.Id.ToString(), pupil.Id,
            new Dictionary<string, object?>
            {
                ["party"] = sr.PartyKind.ToString(),
                ["answers"] = purposes.ToDictionary(p => p.Key, p => (object?)(request.Answers[p.Key] ? "Grant" : "Refuse")),
                ["scan"] = stored is null ? null : Convert.ToHexStringLower(stored.Sha256),
            }), ct);
        await tx.CommitAsync(ct);
        return new Result.Recorded(pupil.Id, purposes.Count, stored?.Id);
    }
}
