using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Photos;

/// <summary>A face the detector missed, drawn by a member of staff: a new untagged box (so hidden until tagged).</summary>
public sealed class AddFaceBox(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit)
{
    /// <summary>The box in pixels of the upright photo.</summary>
    public sealed record Request(Guid PhotoId, int X, int Y, int Width, int Height);

    /// <returns>The new face's id, or null when the photo is not found in scope or the box is not inside it.</returns>
    public async Task<Guid?> HandleAsync(IReadOnlyList<AccessScope> scopes, Request request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await PhotoAccess.FindAsync(db, scopes, request.PhotoId, track: true, ct) is not { } found) return null;
        var (photo, scope) = found;
        var x = Math.Clamp(request.X, 0, photo.Width - 1);
        var y = Math.Clamp(request.Y, 0, photo.Height - 1);
        var w = Math.Min(request.Width, photo.Width - x);
        var h = Math.Min(request.Height, photo.Height - y);
        if (w < 4 || h < 4) return null;
        var face = new PhotoFace { Id = Guid.CreateVersion7(), PhotoId = photo.Id, X = x, Y = y, Width = w, Height = h, Source = FaceSource.Drawn, Tag = FaceTag.Untagged };
        db.PhotoFaces.Add(face);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(photo.AcademyId, scope.Actor, "photo.face-added", "Photo", photo.Id.ToString(), null,
            new Dictionary<string, object?> { ["face"] = face.Id.ToString() }), ct);
        await tx.CommitAsync(ct);
        return face.Id;
    }
}
