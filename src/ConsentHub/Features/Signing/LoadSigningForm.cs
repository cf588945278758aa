using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Data;
using ConsentHub.Pupils;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Signing;

/// <param name="Text">The form version's wording for this audience, in <paramref name="TextLanguage"/>.</param>
/// <param name="Current">The party's current answer (a change link shows it prefilled); null when none.</param>
public sealed record SigningFormPurpose(Guid PurposeId, string Key, string Name, string Text, string TextLanguage, AnswerKind? Current,
    LawfulBasis Basis = LawfulBasis.Consent);

public sealed record SigningForm(
    SigningTarget Target,
    string PupilFirstName,
    Guid FormVersionId,
    string FormVersionLabel,
    IReadOnlyList<SigningFormPurpose> Purposes)
{
    /// <summary>Whether a purpose is currently a yes (prefill of the change page).</summary>
    public static bool? IsYes(AnswerKind? kind) => kind switch
    {
        AnswerKind.Grant => true,
        AnswerKind.Refuse or AnswerKind.Withdraw => false,
        _ => null,
    };
}

/// <summary>
/// The form a confirmed signer answers: per purpose the wording of the form version for their audience (parent or
/// pupil) in their language (English where that version has no translation), and their current answers. A
/// request uses the version it was issued with; a change link the newest published one. Audited as a view.
/// </summary>
public sealed class LoadSigningForm(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit)
{
    public async Task<SigningForm?> HandleAsync(SigningTarget target, string language, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var form = await LoadAsync(db, target, language, ct);
        if (form is not null)
        {
            audit.RecordRead(new AuditEvent(target.AcademyId, target.Actor, "signing.form-viewed",
                target.Kind == SigningTargetKind.Request ? "SignatureRequest" : "SignerLink", target.Id.ToString(), target.PupilId,
                new Dictionary<string, object?> { ["formVersion"] = form.FormVersionLabel, ["language"] = language }));
        }
        return form;
    }

    internal static async Task<SigningForm?> LoadAsync(ConsentHubDbContext db, SigningTarget target, string language, CancellationToken ct)
    {
        var version = target.RequestFormVersionId is { } id
            ? await db.FormVersions.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, ct)
            : await db.FormVersions.AsNoTracking().Where(f => f.PublishedAt != null).OrderByDescending(f => f.PublishedAt).FirstOrDefaultAsync(ct);
        if (version is null) return null;

        var names = await db.Pupils.AsNoTracking().Where(p => p.Id == target.PupilId)
            .Select(p => new { p.LegalFirstName, p.PreferredFirstName }).FirstAsync(ct);
        var firstName = Pupil.NameUsed(names.LegalFirstName, names.PreferredFirstName);

        var audience = target.Audience;
        var rows = await (
            from w in db.FormWordings.AsNoTracking()
            join p in db.Purposes.AsNoTracking() on w.PurposeId equals p.Id
            where w.FormVersionId == version.Id && w.Audience == audience && p.Active
            select new { p.Id, p.Key, p.Name, p.SortOrder, p.LawfulBasis, w.Language, w.Text }).ToListAsync(ct);

        var partyId = target.ContactId ?? Guid.Empty;
        var current = await db.CurrentAnswers.AsNoTracking()
            .Where(c => c.PupilId == target.PupilId && c.PartyKind == target.PartyKind && c.PartyId == partyId)
            .ToDictionaryAsync(c => c.PurposeId, c => c.Kind, ct);

        var purposes = rows
            .GroupBy(r => r.Id)
            .Select(g =>
            {
                var w = g.FirstOrDefault(r => r.Language == language) ?? g.FirstOrDefault(r => r.Language == SigningLanguage.English) ?? g.First();
                return (w.SortOrder, Purpose: new SigningFormPurpose(w.Id, w.Key, w.Name, w.Text, w.Language,
                    current.TryGetValue(w.Id, out var kind) ? kind : null, w.LawfulBasis));
            })
            .OrderBy(x => x.SortOrder).ThenBy(x => x.Purpose.Key, StringComparer.Ordinal)
            .Select(x => x.Purpose)
            .ToList();
        if (purposes.Count == 0) return null;
        return new SigningForm(target, string.IsNullOrWhiteSpace(firstName) ? "" : firstName, version.Id, version.Label, purposes);
    }
}
