using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Photos;

/// <summary>A false box (a poster, a pattern) removed by a member of staff, who has looked and says it is no face. Audited.</summary>
public sealed class RemoveFaceBox(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit)
{
    public async Task<bool> HandleAsync(IReadOnlyList<AccessScope> scopes, Guid photoId, Guid faceId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await PhotoAccess.FindAsync(db, scopes, photoId, track: true, ct) is not { } found) return false;
        var (photo, scope) = found;
        var face = photo.Faces.FirstOrDefault(f => f.Id == faceId);
        if (face is null) return false;
        db.PhotoFaces.Remove(face);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(photo.AcademyId, scope.Actor, "photo.face-removed", "Photo", photo.Id.ToString(), face.PupilId,
            new Dictionary<string, object?> { ["face"] = face.Id.ToString(), ["source"] = face.Source.ToString() }), ct);
        await tx.CommitAsync(ct);
        return true;
    }
}
