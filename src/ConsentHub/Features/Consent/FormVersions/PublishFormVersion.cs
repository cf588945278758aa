using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Consent.FormVersions;

/// <summary>
/// Publishes a draft: from then on it is the form new requests use, and its wording is frozen. Every active purpose
/// needs English wording for parents and for pupils first (pupils in Year 7 and above answer themselves).
/// </summary>
public sealed class PublishFormVersion(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit, TimeProvider clock)
{
    public const string RequiredLanguage = "en";

    public abstract record Result
    {
        public sealed record Published(string Label) : Result;
        public sealed record NotFound : Result;
        public sealed record Incomplete(IReadOnlyList<string> Missing) : Result;
        public sealed record AlreadyPublished(string Label) : Result;
    }

    public async Task<Result> HandleAsync(Guid formVersionId, string actor, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var version = await db.FormVersions.Include(v => v.Wordings).FirstOrDefaultAsync(v => v.Id == formVersionId, ct);
        if (version is null) return new Result.NotFound();
        if (version.PublishedAt is not null) return new Result.AlreadyPublished(version.Label);

        var missing = new List<string>();
        foreach (var purpose in await db.Purposes.AsNoTracking().Where(p => p.Active).OrderBy(p => p.SortOrder).ToListAsync(ct))
        {
            foreach (var audience in Enum.GetValues<Audience>())
            {
                if (!version.Wordings.Any(w => w.PurposeId == purpose.Id && w.Audience == audience && w.Language == RequiredLanguage))
                    missing.Add($"{purpose.Name}: English wording for {(audience == Audience.Parent ? "parents" : "pupils")}");
            }
        }
        if (missing.Count > 0) return new Result.Incomplete(missing);

        version.PublishedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(null, actor, "form-version.published", "FormVersion", version.Id.ToString(),
            Data: new Dictionary<string, object?> { ["label"] = version.Label, ["wordings"] = version.Wordings.Count }), ct);
        await tx.CommitAsync(ct);
        return new Result.Published(version.Label);
    }
}
