using System.Security.Cryptography;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Photos;

/// <summary>
/// The safe export for one use: the faces are decided afresh (<see cref="ReviewPhoto"/>), every face not shown is
/// hidden on the pixels (<see cref="SafeImage"/>), and the JPEG is written anew with no metadata. The file is kept
/// with the export (the post register points at it) and the export is audited: who, for which use, which pupils
/// it shows and which it hides.
/// </summary>
public sealed class ExportSafePhoto(IDbContextFactory<ConsentHubDbContext> factory, ReviewPhoto review, IMediaStore store, IAuditLog audit,
    TimeProvider clock)
{
    public abstract record Result
    {
        public sealed record Exported(Guid ExportId, byte[] Jpeg, PhotoReview Review) : Result
        {
            public string FileName => $"photo-{Review.PhotoId.ToString("N")[..8]}-safe.jpg";
        }

        public sealed record NotFound : Result;

        public sealed record BadUse(string Message) : Result;
    }

    public async Task<Result> HandleAsync(IReadOnlyList<AccessScope> scopes, Guid photoId, PhotoUse use, CancellationToken ct = default)
    {
        var reviewed = await review.HandleAsync(scopes, photoId, use, "export", ct);
        if (reviewed is ReviewPhoto.Result.NotFound) return new Result.NotFound();
        if (reviewed is ReviewPhoto.Result.BadUse bad) return new Result.BadUse(bad.Message);
        var (decided, scope) = (ReviewPhoto.Result.Reviewed)reviewed;

        var original = await store.ReadAsync(photoId, ct);
        if (original is null) return new Result.NotFound();
        var read = PhotoFile.Read(original, new PhotoFile.Limits(long.MaxValue, long.MaxValue, int.MaxValue));
        if (read is not PhotoFile.Result.Photo photo) return new Result.NotFound();
        byte[] jpeg;
        using (var image = photo.Image)
        {
            SafeImage.Obscure(image, decided.Faces.Where(f => !f.Shown).Select(f => f.Box));
            jpeg = SafeImage.EncodeJpeg(image);
        }

        var export = new PhotoExport
        {
            Id = Guid.CreateVersion7(),
            PhotoId = photoId,
            AcademyId = decided.AcademyId,
            PurposeId = await PurposeIdAsync(use.PurposeKey, ct),
            AccountId = use.AccountId,
            ShownPupilIds = [.. decided.ShownPupils],
            HiddenPupilIds = [.. decided.HiddenPupils],
            HiddenFaces = decided.Faces.Count(f => !f.Shown),
            ExportedBy = scope.Actor,
            ExportedAt = clock.GetUtcNow(),
            Content = jpeg,
            Sha256 = SHA256.HashData(jpeg),
        };
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.PhotoExports.Add(export);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(decided.AcademyId, scope.Actor, "photo.exported", "Photo", photoId.ToString(), null,
            new Dictionary<string, object?>
            {
                ["export"] = export.Id.ToString(),
                ["purpose"] = use.PurposeKey,
                ["account"] = use.AccountId?.ToString(),
                ["shown"] = export.ShownPupilIds.Select(p => p.ToString()).ToList(),
                ["hidden"] = export.HiddenPupilIds.Select(p => p.ToString()).ToList(),
                ["hiddenFaces"] = export.HiddenFaces,
                ["paused"] = decided.Paused,
            }), ct);
        await tx.CommitAsync(ct);
        return new Result.Exported(export.Id, jpeg, decided);
    }

    private async Task<Guid> PurposeIdAsync(string key, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Purposes.Where(p => p.Key == key).Select(p => p.Id).SingleAsync(ct);
    }
}
