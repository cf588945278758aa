using ConsentHub.Consent;
using ConsentHub.Data;
using ConsentHub.Pupils;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Signing;

public sealed record SigningReceipt(
    string ReceiptNumber,
    SubmissionKind Kind,
    PartyKind PartyKind,
    string PupilFirstName,
    string FormVersionLabel,
    DateTimeOffset SubmittedAt,
    string? SignatureName,
    IReadOnlyList<ReceiptLine> Lines,
    bool Emailed)
{
    /// <summary>The child's full name as the school uses it, so the receipt says whose answers these are.</summary>
    public string PupilName { get; init; } = PupilFirstName;

    /// <summary>The school the answers were given to: its name and crest head the page.</summary>
    public Guid AcademyId { get; init; }
}

/// <summary>
/// Exactly what was recorded: the answers of the request's submission, or of a change link's latest one. Only
/// called for a target the signer has confirmed the date of birth for (the page's cookie names it).
/// </summary>
public sealed class GetSigningReceipt(IDbContextFactory<ConsentHubDbContext> factory)
{
    public async Task<SigningReceipt?> HandleAsync(SigningTargetKind kind, Guid targetId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var query = db.OnlineSubmissions.AsNoTracking();
        query = kind == SigningTargetKind.Request
            ? query.Where(s => s.SignatureRequestId == targetId)
            : query.Where(s => s.SignerLinkId == targetId);
        var s = await query.OrderByDescending(x => x.SubmittedAt).ThenByDescending(x => x.Id).FirstOrDefaultAsync(ct);
        if (s is null) return null;

        var label = await db.FormVersions.AsNoTracking().Where(f => f.Id == s.FormVersionId).Select(f => f.Label).FirstAsync(ct);
        var names = await db.Pupils.AsNoTracking().Where(p => p.Id == s.PupilId).Select(p => new { p.LegalFirstName, p.PreferredFirstName, p.LegalLastName, p.PreferredLastName }).FirstAsync(ct);
        var firstName = Pupil.NameUsed(names.LegalFirstName, names.PreferredFirstName);
        var lines = s.Kind == SubmissionKind.Answer ? await (
            from a in db.ConsentAnswers.AsNoTracking()
            join p in db.Purposes.AsNoTracking() on a.PurposeId equals p.Id
            where a.OnlineSubmissionId == s.Id
            orderby p.SortOrder, p.Key
            select new ReceiptLine(p.Key, p.Name, a.Kind, p.LawfulBasis)).ToListAsync(ct)
            : await PositionAsync(db, s, ct);
        // No email on file (a paper code, a pupil without a school address): the page must not say one was sent.
        var emailKey = OnlineAnswerWriter.ReceiptKey(s.Id);
        var emailed = await db.OutboxMessages.AsNoTracking().AnyAsync(m => m.BusinessKey == emailKey, ct);
        return new SigningReceipt(s.ReceiptNumber, s.Kind, s.PartyKind, firstName, label, s.SubmittedAt, s.SignatureName, lines, emailed)
        {
            PupilName = $"{firstName} {Pupil.NameUsed(names.LegalLastName, names.PreferredLastName)}",
            AcademyId = s.AcademyId,
        };
    }

    /// <summary>
    /// A change or withdrawal's receipt is the full position just after it: per purpose this party has answered,
    /// their latest answer up to and including this submission's (later ones do not rewrite an old receipt), the
    /// ones this submission changed marked.
    /// </summary>
    private static async Task<List<ReceiptLine>> PositionAsync(ConsentHubDbContext db, OnlineSubmission s, CancellationToken ct)
    {
        var last = await db.ConsentAnswers.AsNoTracking().Where(a => a.OnlineSubmissionId == s.Id).MaxAsync(a => (long?)a.Id, ct) ?? 0;
        var answers = await (
            from a in db.ConsentAnswers.AsNoTracking()
            join p in db.Purposes.AsNoTracking() on a.PurposeId equals p.Id
            where a.PupilId == s.PupilId && a.PartyKind == s.PartyKind && a.ContactId == s.ContactId && a.Id <= last
            select new { a.Id, a.At, a.Kind, a.OnlineSubmissionId, p.Key, p.Name, p.LawfulBasis, p.SortOrder }).ToListAsync(ct);
        return [.. answers
            .GroupBy(a => a.Key, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).First())
            .OrderBy(a => a.SortOrder).ThenBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => new ReceiptLine(a.Key, a.Name, a.Kind, a.LawfulBasis) { Changed = a.OnlineSubmissionId == s.Id })];
    }
}
