using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Consent.FormVersions;

/// <summary>
/// Which languages a reviewer has signed off: for one form version (the staff page), or for the newest published
/// version (what the public signing pages go by: a page in a language not signed off there says "to be reviewed by
/// the trust").
/// </summary>
public sealed class ReadTranslationReviews(IDbContextFactory<ConsentHubDbContext> factory)
{
    public sealed record Review(string Language, string ReviewedBy, DateTimeOffset ReviewedAt);

    public async Task<IReadOnlyList<Review>> ForVersionAsync(Guid formVersionId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.TranslationReviews.AsNoTracking()
            .Where(r => r.FormVersionId == formVersionId)
            .OrderBy(r => r.Language)
            .Select(r => new Review(r.Language, r.ReviewedBy, r.ReviewedAt))
            .ToListAsync(ct);
    }

    /// <summary>True when <paramref name="language"/> is English or signed off on the newest published version.</summary>
    public async Task<bool> IsReviewedAsync(string language, CancellationToken ct = default)
    {
        if (language == PublishFormVersion.RequiredLanguage) return true;
        await using var db = await factory.CreateDbContextAsync(ct);
        var current = db.FormVersions.Where(v => v.PublishedAt != null).OrderByDescending(v => v.PublishedAt).Select(v => v.Id).Take(1);
        return await db.TranslationReviews.AnyAsync(r => r.Language == language && current.Contains(r.FormVersionId), ct);
    }
}
