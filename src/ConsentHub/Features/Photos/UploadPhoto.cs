using System.Security.Cryptography;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ConsentHub.Photos;

/// <summary>
/// A member of staff uploads a photo for an academy in their scope: it is read safely (<see cref="PhotoFile"/>),
/// faces are found (<see cref="FaceDetector"/>: where, never who), the original goes to the media store and the
/// photo with its untagged face boxes is recorded and audited. A refused file stores nothing.
/// </summary>
public sealed class UploadPhoto(IDbContextFactory<ConsentHubDbContext> factory, IMediaStore store, FaceDetector detector, IAuditLog audit,
    IOptions<PhotoOptions> options, TimeProvider clock)
{
    public sealed record Request(Guid AcademyId, byte[] Content);

    public abstract record Result
    {
        public sealed record Uploaded(Guid PhotoId, int Faces) : Result;

        public sealed record Refused(string Message) : Result;

        public sealed record NotFound : Result;
    }

    public async Task<Result> HandleAsync(AccessScope scope, Request request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(request);
        await using (var check = await factory.CreateDbContextAsync(ct))
        {
            if (!await PhotoAccess.AcademyInScopeAsync(check, scope, request.AcademyId, ct)) return new Result.NotFound();
        }

        var read = PhotoFile.Read(request.Content, options.Value.Limits);
        if (read is PhotoFile.Result.Refused refused) return new Result.Refused(refused.Message);
        var photoFile = (PhotoFile.Result.Photo)read;
        IReadOnlyList<FaceBox> faces;
        int width, height;
        using (var image = photoFile.Image)
        {
            width = image.Width;
            height = image.Height;
            faces = detector.Detect(image);
        }

        var photo = new Photo
        {
            Id = Guid.CreateVersion7(),
            AcademyId = request.AcademyId,
            ContentType = photoFile.ContentType,
            ByteSize = request.Content.Length,
            Width = width,
            Height = height,
            Sha256 = SHA256.HashData(request.Content),
            UploadedBy = scope.Actor,
            UploadedAt = clock.GetUtcNow(),
        };
        foreach (var f in faces)
        {
            photo.Faces.Add(new PhotoFace
            {
                Id = Guid.CreateVersion7(),
                PhotoId = photo.Id,
                X = (int)Math.Floor(f.X),
                Y = (int)Math.Floor(f.Y),
                Width = Math.Max(1, (int)Math.Ceiling(f.Width)),
                Height = Math.Max(1, (int)Math.Ceiling(f.Height)),
                Source = FaceSource.Detected,
                Score = f.Score,
                Tag = FaceTag.Untagged,
            });
        }

        await store.SaveAsync(photo.Id, photo.AcademyId, request.Content, ct);
        try
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.Photos.Add(photo);
            await db.SaveChangesAsync(ct);
            await audit.AppendAsync(db, new AuditEvent(photo.AcademyId, scope.Actor, "photo.uploaded", "Photo", photo.Id.ToString(), null,
                new Dictionary<string, object?> { ["bytes"] = photo.ByteSize, ["type"] = photo.ContentType, ["faces"] = faces.Count, ["orientation"] = photoFile.Orientation }), ct);
            await tx.CommitAsync(ct);
        }
        catch
        {
            await store.DeleteAsync([photo.Id], CancellationToken.None);
            throw;
        }
        return new Result.Uploaded(photo.Id, faces.Count);
    }
}
