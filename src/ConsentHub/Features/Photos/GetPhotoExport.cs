using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Photos;

/// <summary>A safe export's file, for a member of staff whose scope holds its academy; every download is audited.</summary>
public sealed class GetPhotoExport(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit)
{
    public sealed record File(Guid ExportId, Guid PhotoId, byte[] Content)
    {
        public string FileName => $"photo-{PhotoId.ToString("N")[..8]}-safe-{ExportId.ToString("N")[^6..]}.jpg";
    }

    public async Task<File?> HandleAsync(IReadOnlyList<AccessScope> scopes, Guid exportId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        await using var db = await factory.CreateDbContextAsync(ct);
        var export = await db.PhotoExports.AsNoTracking().Where(e => e.Id == exportId)
            .Select(e => new { e.Id, e.PhotoId, e.AcademyId, e.Content }).SingleOrDefaultAsync(ct);
        if (export is not null)
        {
            foreach (var scope in scopes)
            {
                if (!await PhotoAccess.AcademyInScopeAsync(db, scope, export.AcademyId, ct)) continue;
                audit.RecordRead(new AuditEvent(export.AcademyId, scope.Actor, "photo.export-downloaded", "PhotoExport", export.Id.ToString()));
                return new File(export.Id, export.PhotoId, export.Content);
            }
        }
        audit.RecordRead(new AuditEvent(null, scopes.Count > 0 ? scopes[0].Actor : "unknown", "access.not-found", "PhotoExport", exportId.ToString()));
        return null;
    }
}
