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
    /// <param name="PhotoId">Chosen by the caller (a batch picks it when staging, so a retry finds it); new when null.</param>
    public sealed record Request(Guid AcademyId, byte[] Content, Guid? PhotoId = null);

    public abstract record Result
    {
        /// <param name="UnregisteredCamera">The camera the file's EXIF names when it is not on the trust's device register (policy §6.4).</param>
        public sealed record Uploaded(Guid PhotoId, int Faces, PhotoCamera? UnregisteredCamera = null) : Result;

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

        var camera = PhotoCamera.Read(request.Content);
        var photo = new Photo
        {
            Id = request.PhotoId ?? Guid.CreateVersion7(),
            CameraMake = camera.Make,
            CameraModel = camera.Model,
            CameraSerial = camera.Serial,
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

        bool registered;
        await using (var check = await factory.CreateDbContextAsync(ct)) registered = await PhotoDeviceRegister.IsRegisteredAsync(check, camera, ct);

        await store.SaveAsync(photo.Id, photo.AcademyId, request.Content, ct);
        try
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.Photos.Add(photo);
            await db.SaveChangesAsync(ct);
            await audit.AppendAsync(db, new AuditEvent(photo.AcademyId, scope.Actor, "photo.uploaded", "Photo", photo.Id.ToString(), null,
                new Dictionary<string, object?> { ["bytes"] = photo.ByteSize, ["type"] = photo.ContentType, ["faces"] = faces.Count, ["orientation"] = photoFile.Orientation, ["camera-registered"] = camera.Named ? registered : null }), ct);
            await tx.CommitAsync(ct);
        }
        catch
        {
            await store.DeleteAsync([photo.Id], CancellationToken.None);
            throw;
        }
        return new Result.Uploaded(photo.Id, faces.Count, registered ? null : camera);
    }
}
