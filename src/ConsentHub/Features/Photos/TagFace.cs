using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Photos;

/// <summary>
/// Says who a face is: a pupil of the photo's own academy (picked from the roster search), not a pupil, or "don't
/// know". Stores the box's link to the pupil, nothing of the face. Audited.
/// </summary>
public sealed class TagFace(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit, TimeProvider clock)
{
    public sealed record Request(Guid PhotoId, Guid FaceId, FaceTag Tag, Guid? PupilId);

    public enum Outcome
    {
        Tagged = 0,
        NotFound = 1,
        PupilNotInAcademy = 2,
    }

    public async Task<Outcome> HandleAsync(IReadOnlyList<AccessScope> scopes, Request request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await PhotoAccess.FindAsync(db, scopes, request.PhotoId, track: true, ct) is not { } found) return Outcome.NotFound;
        var (photo, scope) = found;
        var face = photo.Faces.FirstOrDefault(f => f.Id == request.FaceId);
        if (face is null) return Outcome.NotFound;
        Guid? pupilId = null;
        if (request.Tag == FaceTag.Pupil)
        {
            if (request.PupilId is not { } id || !await db.Pupils.AnyAsync(p => p.Id == id && p.AcademyId == photo.AcademyId, ct))
                return Outcome.PupilNotInAcademy;
            pupilId = id;
        }
        face.Tag = request.Tag;
        face.PupilId = pupilId;
        face.TaggedBy = scope.Actor;
        face.TaggedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(photo.AcademyId, scope.Actor, "photo.face-tagged", "Photo", photo.Id.ToString(), pupilId,
            new Dictionary<string, object?> { ["face"] = face.Id.ToString(), ["tag"] = request.Tag.ToString() }), ct);
        await tx.CommitAsync(ct);
        return Outcome.Tagged;
    }
}
