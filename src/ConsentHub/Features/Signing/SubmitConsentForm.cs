using ConsentHub.Data;
using ConsentHub.Email;
using ConsentHub.Requests;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ConsentHub.Signing;

/// <summary>
/// Records a signer's answers to a signature request: one online answer per purpose, the request marked
/// answered, audit, NOTIFY and the receipt email, in one transaction. The request row is locked first and its
/// status checked again, and a unique index allows one submission per request, so two tabs or a retry record one
/// set of answers; the loser is told it was already answered and shown that receipt.
/// </summary>
public sealed class SubmitConsentForm(IDbContextFactory<ConsentHubDbContext> factory, SigningTargets targets, OnlineAnswerWriter writer, RequestOutboxDrain drain)
{
    public abstract record Result
    {
        public sealed record Recorded(Guid SubmissionId, string ReceiptNumber) : Result;

        /// <summary>Another submission (another tab, a retry) already answered this request.</summary>
        public sealed record AlreadyAnswered(Guid SubmissionId) : Result;

        /// <summary>Nothing recorded; the form again with what is wrong.</summary>
        public sealed record Invalid(SigningForm Form, IReadOnlyList<SigningError> Errors) : Result;

        /// <summary>Expired, cancelled, or the party may no longer answer: the neutral message.</summary>
        public sealed record Unavailable : Result;
    }

    public async Task<Result> HandleAsync(Guid requestId, SigningAnswers answers, string language, string? userAgent, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        // Nothing here recovers from a failed save inside the transaction (it is rolled back whole), so EF's savepoint
        // around each save would be two round trips (SAVEPOINT, RELEASE) for nothing.
        db.Database.AutoSavepointsEnabled = false;
        // One statement reads the request with every check and locks it: a second tab or a retry waits here, then
        // finds it answered (a request with a submission is never open: both are written by the one transaction
        // below), so an earlier answer is looked for only when the lock finds nothing to answer.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var target = await targets.LockAsync(db, SigningTargetKind.Request, requestId, ct);
        if (target is null)
        {
            await tx.RollbackAsync(ct);
            return await ExistingSubmissionAsync(db, requestId, ct) is { } other ? new Result.AlreadyAnswered(other) : new Result.Unavailable();
        }
        var form = await LoadSigningForm.LoadAsync(db, target, language, ct);
        if (form is null) return new Result.Unavailable();

        var (errors, yes, name) = SigningValidation.Validate(form, answers);
        if (errors.Count > 0) return new Result.Invalid(form, errors);

        // The form's current answers were read after the lock, in this transaction.
        var choices = form.Purposes
            .Select(p => new OnlineAnswerWriter.Choice(p, OnlineAnswerWriter.KindFor(yes[p.PurposeId], p.Current, onlyChanges: false)!.Value))
            .ToList();
        // Before the answers: the writer appends the audit entry last, which holds the academy's audit chain until
        // the commit, so nothing else of this transaction may run after it.
        // The request is marked answered in the writer's first round trip.
        var answered = new NpgsqlBatchCommand("UPDATE consenthub.signature_requests SET status = @status WHERE id = @id");
        answered.Parameters.Add(new NpgsqlParameter<string>("status", nameof(RequestStatus.Answered)));
        answered.Parameters.Add(new NpgsqlParameter<Guid>("id", requestId));
        var written = await writer.WriteAsync(db, form, SubmissionKind.Answer, choices, name, language, userAgent, ct, answered);
        await tx.CommitAsync(ct);
        if (written.ReceiptQueued) drain.Now();
        return new Result.Recorded(written.SubmissionId, written.ReceiptNumber);
    }

    private static Task<Guid?> ExistingSubmissionAsync(ConsentHubDbContext db, Guid requestId, CancellationToken ct) =>
        db.OnlineSubmissions.AsNoTracking().Where(s => s.SignatureRequestId == requestId).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct);
}
