using System.Security.Cryptography;
using ConsentHub.Access;
using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Data;
using ConsentHub.Photos;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using SkiaSharp;

namespace ConsentHub.Trust.Demo;

/// <summary>
/// A few demo photos at one academy of the demo trust, so the photo journey can be clicked through at once: made in
/// memory from the vendored real OpenCV sample photos (Demo/Photos, with their licence) and put through the real
/// use cases, so faces are found by the detector, tags, the export and the post are audited like anyone's.
/// <list type="bullet">
/// <item>"Two players": two players' faces, one tagged to a pupil Allowed for the academy's social media, one to a
/// pupil refused (the crowd behind them untagged); a safe copy for the academy's Facebook account (every face but
/// the allowed pupil's hidden) and a recorded post.</item>
/// <item>"Match day": one face, untagged, to tag by hand.</item>
/// <item>"Class photo": the same face at five sizes, found by the tiled detection, untagged.</item>
/// <item>"Phone photo": a file whose EXIF names a camera not on the trust's device register (flagged).</item>
/// </list>
/// Only in Development, only on the demo trust (an academy account registered by the demo seed), and once: each
/// photo has a fixed id, and a photo already there is not made again.
/// </summary>
public sealed class SeedDemoPhotos(
    IDbContextFactory<ConsentHubDbContext> factory,
    UploadPhoto upload,
    TagFace tag,
    ExportSafePhoto export,
    RecordPost recordPost,
    ConsentStatusReader reader,
    IHostEnvironment environment,
    TimeProvider clock)
{
    public const string Actor = "system:demo-seed";

    /// <summary>The use the demo post is for: the academy's own social media.</summary>
    public const string PurposeKey = "academy-social";

    /// <summary>Where Messi's face is in messi5.jpg (548×342), checked by eye (as in the photo tests).</summary>
    private static readonly SKRect MessiFace = SKRect.Create(220, 95, 36, 36);

    /// <param name="AcademyId">The academy that got the photos; null when nothing was seeded.</param>
    public sealed record Result(Guid? AcademyId, int Photos, int Faces, int TaggedFaces, int Posts)
    {
        public static Result None { get; } = new(null, 0, 0, 0, 0);
    }

    private enum Kind
    {
        TwoPlayers,
        MatchDay,
        ClassPhoto,
        PhonePhoto,
    }

    public async Task<Result> HandleAsync(CancellationToken ct = default)
    {
        if (!environment.IsDevelopment()) return Result.None;
        Guid academyId, accountId;
        string code;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            // The demo trust's first academy by code: only an academy whose account the demo seed registered.
            var target = await (from a in db.AffiliatedAccounts.AsNoTracking()
                                join academy in db.Academies.AsNoTracking() on a.ScopeId equals academy.Id
                                where a.RegisteredBy == SeedDemoTrust.CreatedBy && a.Scope == PauseScope.Academy && a.ClosedAt == null
                                orderby academy.Code
                                select new { AccountId = a.Id, AcademyId = academy.Id, academy.Code }).FirstOrDefaultAsync(ct);
            if (target is null) return Result.None;
            (academyId, accountId, code) = (target.AcademyId, target.AccountId, target.Code);
        }

        var scope = AccessScope.Academy(academyId, Actor);
        var photos = 0;
        var faces = 0;
        var tagged = 0;
        var posts = 0;
        foreach (var kind in Enum.GetValues<Kind>())
        {
            var photoId = PhotoId(academyId, kind);
            await using (var db = await factory.CreateDbContextAsync(ct))
            {
                if (await db.Photos.AnyAsync(p => p.Id == photoId, ct)) continue;
            }
            var uploaded = await upload.HandleAsync(scope, new UploadPhoto.Request(academyId, Compose(kind), photoId), ct);
            if (uploaded is not UploadPhoto.Result.Uploaded done)
                throw new InvalidOperationException($"The demo photo '{kind}' was not stored: {uploaded}.");
            photos++;
            faces += done.Faces;
            if (kind != Kind.TwoPlayers) continue;

            var (t, p) = await TagAndPostAsync(scope, photoId, accountId, code, ct);
            tagged += t;
            posts += p;
        }
        return photos == 0 ? Result.None : new Result(academyId, photos, faces, tagged, posts);
    }

    /// <summary>
    /// The two players' photo: the left face is a pupil Allowed for the academy's social media, the right one a
    /// pupil refused; the crowd's faces behind them stay untagged, so hidden. Then the safe copy and the post.
    /// </summary>
    private async Task<(int Tagged, int Posts)> TagAndPostAsync(AccessScope scope, Guid photoId, Guid accountId, string code, CancellationToken ct)
    {
        var (allowed, refused) = await PupilsAsync(scope, scope.Id!.Value, ct);
        List<PhotoFace> found;
        await using (var db = await factory.CreateDbContextAsync(ct))
            found = await db.PhotoFaces.AsNoTracking().Where(f => f.PhotoId == photoId).ToListAsync(ct);
        var expected = TwoPlayersFaces();
        var matched = new PhotoFace?[expected.Length];
        foreach (var face in found.OrderByDescending(f => f.Score))
        {
            var i = Array.FindIndex(expected, e => Overlap(e, face.Box) > 0.3f);
            if (i >= 0 && matched[i] is null) matched[i] = face;
        }

        var tagged = 0;
        foreach (var (face, pupil) in new[] { (matched[0], allowed), (matched[1], refused) })
        {
            if (face is null || pupil is null) continue;
            if (await tag.HandleAsync([scope], new TagFace.Request(photoId, face.Id, FaceTag.Pupil, pupil), ct) == TagFace.Outcome.Tagged) tagged++;
        }

        var use = new PhotoUse(PurposeKey, accountId);
        if (await export.HandleAsync([scope], photoId, use, ct) is not ExportSafePhoto.Result.Exported exported) return (tagged, 0);
        var today = UkCalendar.DateOf(clock.GetUtcNow());
        var post = await recordPost.HandleAsync([scope],
            new RecordPost.Request(accountId, $"https://www.facebook.com/demo{code.ToLowerInvariant()}/posts/sports-day", today, [exported.ExportId]), ct);
        return (tagged, post is RecordPost.Result.Recorded ? 1 : 0);
    }

    /// <summary>The first pupils on roll (in id order) Allowed and refused for the academy's social media now.</summary>
    private async Task<(Guid? Allowed, Guid? Refused)> PupilsAsync(AccessScope scope, Guid academyId, CancellationToken ct)
    {
        List<Guid> candidates;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            candidates = await db.Pupils.AsNoTracking().Where(p => p.AcademyId == academyId && p.LeftOn == null)
                .OrderBy(p => p.Id).Select(p => p.Id).Take(500).ToListAsync(ct);
        }
        Guid? allowed = null, refused = null;
        foreach (var id in candidates)
        {
            if (allowed is not null && refused is not null) break;
            var consent = await reader.ForPupilAsync(scope, id, PurposeKey, ct);
            if (consent is null || consent.DoNotFeature || consent.Purposes.Count == 0) continue;
            switch (consent.Purposes[0].Decision.Status)
            {
                case ConsentStatus.Allowed:
                    allowed ??= id;
                    break;
                case ConsentStatus.NotAllowed:
                    refused ??= id;
                    break;
            }
        }
        return (allowed, refused);
    }

    /// <summary>A fixed id per academy and photo, so a second run finds the photo it made.</summary>
    private static Guid PhotoId(Guid academyId, Kind kind)
    {
        var hash = SHA256.HashData([.. academyId.ToByteArray(), (byte)kind, .. "demo-photo"u8]);
        return new Guid(hash.AsSpan(0, 16));
    }

    private static SKRect[] TwoPlayersFaces() =>
        [Scaled(MessiFace, 1.5f, 0, 0), Scaled(MessiFace, 1.5f, 830, 0)];

    private static SKRect Scaled(SKRect face, float scale, float x, float y) =>
        SKRect.Create(x + face.Left * scale, y + face.Top * scale, face.Width * scale, face.Height * scale);

    private static float Overlap(SKRect a, FaceBox b)
    {
        var inter = FaceBox.IntersectionArea(new FaceBox(a.Left, a.Top, a.Width, a.Height, 1), b);
        return inter / (a.Width * a.Height + b.Area - inter);
    }

    private static byte[] Compose(Kind kind)
    {
        switch (kind)
        {
            case Kind.MatchDay:
                return Resource("messi5.jpg");
            case Kind.PhonePhoto:
                return Resource("ela_original.jpg");
            case Kind.TwoPlayers:
                return Canvas(1652, 513, (1.5f, 0, 0), (1.5f, 830, 0));
            default:
                return Canvas(2400, 1600, (2.5f, 0, 0), (1.6f, 1400, 0), (1f, 0, 900), (0.7f, 700, 1000), (0.5f, 1300, 1300));
        }
    }

    /// <summary>A JPEG of the real messi5.jpg drawn at the given scales and places on a plain background.</summary>
    private static byte[] Canvas(int width, int height, params (float Scale, float X, float Y)[] copies)
    {
        using var source = SKBitmap.Decode(Resource("messi5.jpg"));
        using var image = SKImage.FromBitmap(source);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(96, 120, 96));
            foreach (var (scale, x, y) in copies)
                canvas.DrawImage(image, SKRect.Create(x, y, source.Width * scale, source.Height * scale), new SKSamplingOptions(SKCubicResampler.Mitchell));
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    private static byte[] Resource(string name)
    {
        using var stream = typeof(SeedDemoPhotos).Assembly.GetManifestResourceStream("ConsentHub.Demo.Photos." + name)
            ?? throw new InvalidOperationException($"The demo photo {name} is not embedded in the assembly.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
