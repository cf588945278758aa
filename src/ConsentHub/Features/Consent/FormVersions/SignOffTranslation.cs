using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Consent.FormVersions;

/// <summary>
/// A reviewer signs off one language of a published form version: its wording and the signing pages' text in that
/// language read right. From then on pages in that language stop saying "to be reviewed by the trust". English is
/// the trust's own text and needs no sign-off. Signing off twice changes nothing; every sign-off is audited.
/// </summary>
public sealed class SignOffTranslation(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit, TimeProvider clock)
{
    public abstract record Result
    {
        public sealed record SignedOff(string Label, string Language) : Result;
        public sealed record AlreadySignedOff(string ReviewedBy, DateTimeOffset ReviewedAt) : Result;
        public sealed record NotFound : Result;
        public sealed record Invalid(string Message) : Result;
    }

    public async Task<Result> HandleAsync(Guid formVersionId, string language, string actor, CancellationToken ct = default)
    {
        language = language?.Trim().ToLowerInvariant() ?? "";
        if (language.Length is 0 or > 16 || language == PublishFormVersion.RequiredLanguage)
            return new Result.Invalid("Choose a language other than English to sign off.");
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var version = await db.FormVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == formVersionId, ct);
        if (version is null) return new Result.NotFound();
        if (version.PublishedAt is null)
            return new Result.Invalid($"Version {version.Label} is a draft: publish it first, then sign off its translations (the wording can still change).");
        var existing = await db.TranslationReviews.AsNoTracking().FirstOrDefaultAsync(r => r.FormVersionId == formVersionId && r.Language == language, ct);
        if (existing is not null) return new Result.AlreadySignedOff(existing.ReviewedBy, existing.ReviewedAt);

        db.TranslationReviews.Add(new TranslationReview
        {
            Id = Guid.NewGuid(),
            FormVersionId = formVersionId,
            Language = language,
            ReviewedBy = actor,
            ReviewedAt = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(null, actor, "translation.signed-off", "FormVersion", version.Id.ToString(),
            Data: new Dictionary<string, object?> { ["label"] = version.Label, ["language"] = language }), ct);
        await tx.CommitAsync(ct);
        return new Result.SignedOff(version.Label, language);
    }
}
