using System.Globalization;
using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Consent.FormVersions;

/// <summary>
/// Starts a draft of the next form version, with the wording of the latest published one to edit. There is at most
/// one draft: asking again returns it. Published versions never change (a trigger enforces it).
/// </summary>
public sealed class StartFormVersion(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit, TimeProvider clock)
{
    public sealed record Result(Guid Id, string Label, bool Created);

    public async Task<Result> HandleAsync(string actor, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Two people pressing the button at once get the same draft.
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext('consenthub.form-draft'))", ct);
        if (await db.FormVersions.AsNoTracking().FirstOrDefaultAsync(v => v.PublishedAt == null, ct) is { } draft)
            return new Result(draft.Id, draft.Label, false);

        var latest = await db.FormVersions.AsNoTracking().Include(v => v.Wordings)
            .Where(v => v.PublishedAt != null).OrderByDescending(v => v.PublishedAt).FirstOrDefaultAsync(ct);
        var year = clock.GetUtcNow().Year.ToString(CultureInfo.InvariantCulture);
        var labels = await db.FormVersions.AsNoTracking().Where(v => v.Label.StartsWith(year + ".")).Select(v => v.Label).ToListAsync(ct);
        var next = labels.Select(l => int.TryParse(l[(year.Length + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .DefaultIfEmpty(0).Max() + 1;
        var version = new FormVersion { Id = Guid.NewGuid(), Label = $"{year}.{next.ToString(CultureInfo.InvariantCulture)}" };
        foreach (var w in latest?.Wordings ?? [])
            version.Wordings.Add(new FormWording { Id = Guid.NewGuid(), PurposeId = w.PurposeId, Audience = w.Audience, Language = w.Language, Text = w.Text });
        db.FormVersions.Add(version);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(null, actor, "form-version.started", "FormVersion", version.Id.ToString(),
            Data: new Dictionary<string, object?> { ["label"] = version.Label, ["copiedFrom"] = latest?.Label }), ct);
        await tx.CommitAsync(ct);
        return new Result(version.Id, version.Label, true);
    }
}
