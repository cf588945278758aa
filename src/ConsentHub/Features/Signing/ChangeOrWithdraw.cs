using ConsentHub.Consent;
using ConsentHub.Data;
using ConsentHub.Email;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Signing;

/// <summary>
/// A change made from a change link: the same form, prefilled; only the purposes whose answer changed are
/// recorded (a "no" after a "yes" is a withdrawal, with takedown tasks). "Withdraw all" records a withdrawal for
/// every purpose currently granted (and a refusal for any never answered) without anything to fill in. The link's
/// row is locked while the current answers are read and written, so a double submit records one change.
/// </summary>
public sealed class ChangeOrWithdraw(IDbContextFactory<ConsentHubDbContext> factory, SigningTargets targets, OnlineAnswerWriter writer, RequestOutboxDrain drain)
{
    public abstract record Result
    {
        public sealed record Recorded(Guid SubmissionId, string ReceiptNumber) : Result;

        /// <summary>The answers already say this (also what a repeated submit finds): nothing recorded.</summary>
        public sealed record NothingChanged : Result;

        public sealed record Invalid(SigningForm Form, IReadOnlyList<SigningError> Errors) : Result;

        public sealed record Unavailable : Result;
    }

    public Task<Result> ChangeAsync(Guid linkId, SigningAnswers answers, string language, string? userAgent, CancellationToken ct = default) =>
        HandleAsync(linkId, answers, withdrawAll: false, language, userAgent, ct);

    public Task<Result> WithdrawAllAsync(Guid linkId, string language, string? userAgent, CancellationToken ct = default) =>
        HandleAsync(linkId, null, withdrawAll: true, language, userAgent, ct);

    private async Task<Result> HandleAsync(Guid linkId, SigningAnswers? answers, bool withdrawAll, string language, string? userAgent, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        // One statement reads the link with every check and locks it: two tabs sending at once take turns.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var target = await targets.LockAsync(db, SigningTargetKind.ChangeLink, linkId, ct);
        if (target is null) return new Result.Unavailable();
        var form = await LoadSigningForm.LoadAsync(db, target, language, ct);
        if (form is null) return new Result.Unavailable();

        Dictionary<Guid, bool> yes;
        string? name = null;
        if (withdrawAll)
        {
            yes = form.Purposes.ToDictionary(p => p.PurposeId, _ => false);
        }
        else
        {
            var (errors, chosen, typed) = SigningValidation.Validate(form, answers!);
            if (errors.Count > 0) return new Result.Invalid(form, errors);
            (yes, name) = (chosen, typed);
        }

        var current = await OnlineAnswerWriter.CurrentAsync(db, target, ct);
        var choices = new List<OnlineAnswerWriter.Choice>();
        foreach (var p in form.Purposes)
        {
            var now = current.TryGetValue(p.PurposeId, out var k) ? k : (AnswerKind?)null;
            if (OnlineAnswerWriter.KindFor(yes[p.PurposeId], now, onlyChanges: true) is { } kind) choices.Add(new(p, kind));
        }
        if (choices.Count == 0)
        {
            await tx.RollbackAsync(ct);
            return new Result.NothingChanged();
        }
        var written = await writer.WriteAsync(db, form, withdrawAll ? SubmissionKind.WithdrawAll : SubmissionKind.Change, choices, name, language, userAgent, ct);
        await tx.CommitAsync(ct);
        if (written.ReceiptQueued) drain.Now();
        return new Result.Recorded(written.SubmissionId, written.ReceiptNumber);
    }
}
