using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;
using SkiaSharp;

namespace ConsentHub.Photos;

/// <summary>
/// The photo as staff see it while tagging: upright, at most 1600 pixels on its long side, re-encoded without
/// metadata. Faces are visible (staff must see them to say who they are), so it is scoped, never cached, and every
/// view is audited.
/// </summary>
public sealed class GetPhotoPreview(IDbContextFactory<ConsentHubDbContext> factory, IMediaStore store, IAuditLog audit)
{
    public const int MaxSide = 1600;

    public async Task<byte[]?> HandleAsync(IReadOnlyList<AccessScope> scopes, Guid photoId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        if (await PhotoAccess.FindAsync(db, scopes, photoId, track: false, ct) is not { } found) return null;
        var (photo, scope) = found;
        var original = await store.ReadAsync(photoId, ct);
        if (original is null) return null;
        if (PhotoFile.Read(original, new PhotoFile.Limits(long.MaxValue, long.MaxValue, int.MaxValue)) is not PhotoFile.Result.Photo read) return null;
        byte[] jpeg;
        using (var image = read.Image)
        {
            var scale = Math.Min(1f, (float)MaxSide / Math.Max(image.Width, image.Height));
            if (scale < 1f)
            {
                using var small = image.Resize(new SKImageInfo((int)(image.Width * scale), (int)(image.Height * scale), SKColorType.Rgba8888, SKAlphaType.Premul),
                    new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
                jpeg = SafeImage.EncodeJpeg(small, 85);
            }
            else
            {
                jpeg = SafeImage.EncodeJpeg(image, 85);
            }
        }
        audit.RecordRead(new AuditEvent(photo.AcademyId, scope.Actor, "photo.viewed", "Photo", photoId.ToString()));
        return jpeg;
    }
}
