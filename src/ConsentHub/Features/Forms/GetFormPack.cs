using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Forms;

/// <summary>A pack's progress for the page, and its PDF for download (audited: it names children and parents).</summary>
public sealed class GetFormPack(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit, TimeProvider clock)
{
    public sealed record Status(Guid Id, Guid AcademyId, string Description, FormPackStatus State, int Done, int Total, int Pages, long Size,
        DateTimeOffset RequestedAt, string? Error);

    public sealed record Download(string FileName, byte[] Pdf);

    public async Task<Status?> StatusAsync(AccessScope scope, Guid packId, CancellationToken ct = default) =>
        await ListAsync(scope, null, packId, ct) is [var one, ..] ? one : null;

    /// <summary>The packs of the last week at one academy (or every academy in scope), newest first.</summary>
    public Task<IReadOnlyList<Status>> RecentAsync(AccessScope scope, Guid? academyId, CancellationToken ct = default) => ListAsync(scope, academyId, null, ct);

    private async Task<IReadOnlyList<Status>> ListAsync(AccessScope scope, Guid? academyId, Guid? packId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var academies = db.Academies.Where(ScopeFilter.Academies(scope)).Select(a => a.Id);
        var query = db.FormPacks.AsNoTracking().Where(p => academies.Contains(p.AcademyId) && p.ExpiresAt > now);
        if (academyId is { } a) query = query.Where(p => p.AcademyId == a);
        if (packId is { } id) query = query.Where(p => p.Id == id);
        return await query.OrderByDescending(p => p.RequestedAt).Take(20)
            .Select(p => new Status(p.Id, p.AcademyId, p.Description, p.Status, p.Done, p.Total, p.Pages, p.Content == null ? 0 : p.Content.Length, p.RequestedAt, p.Error))
            .ToListAsync(ct);
    }

    public async Task<Download?> DownloadAsync(AccessScope scope, Guid packId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var academies = db.Academies.Where(ScopeFilter.Academies(scope)).Select(a => a.Id);
        var pack = await db.FormPacks.AsNoTracking()
            .Where(p => p.Id == packId && p.Status == FormPackStatus.Ready && p.ExpiresAt > now && academies.Contains(p.AcademyId))
            .Select(p => new { p.AcademyId, p.Description, p.RequestedAt, p.Content })
            .FirstOrDefaultAsync(ct);
        if (pack?.Content is null) return null;
        audit.RecordRead(new AuditEvent(pack.AcademyId, scope.Actor, "forms.pack-downloaded", "FormPack", packId.ToString()));
        var name = string.Concat(pack.Description.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-')).Trim('-');
        return new Download($"consent-forms-{pack.RequestedAt:yyyy-MM-dd}-{name}.pdf", pack.Content);
    }
}
