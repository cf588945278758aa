using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Consent.FormVersions;

/// <summary>The form versions, newest first, with whether anyone has answered each; and one version's wording.</summary>
public sealed class ListFormVersions(IDbContextFactory<ConsentHubDbContext> factory)
{
    public sealed record Row(Guid Id, string Label, DateTimeOffset? PublishedAt, int Wordings, bool Answered);

    public async Task<IReadOnlyList<Row>> HandleAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.FormVersions.AsNoTracking()
            .OrderBy(v => v.PublishedAt == null ? 0 : 1).ThenByDescending(v => v.PublishedAt)
            .Select(v => new Row(v.Id, v.Label, v.PublishedAt, v.Wordings.Count, db.ConsentAnswers.Any(a => a.FormVersionId == v.Id)))
            .ToListAsync(ct);
    }

    public async Task<IReadOnlyList<FormWording>> WordingsAsync(Guid formVersionId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.FormWordings.AsNoTracking().Where(w => w.FormVersionId == formVersionId).ToListAsync(ct);
    }
}
