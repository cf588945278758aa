using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using SkiaSharp;

namespace ConsentHub.Trust;

/// <summary>
/// A school's crest for public pages and emails, by its key (<see cref="ReadSchoolIdentity.CrestKey"/>): the
/// uploaded logo scaled down to at most <see cref="MaxHeight"/> pixels high as a PNG, so a 500 KB print logo costs a
/// phone a few kilobytes. A key that names no current logo gives null. The crest is public (it is on the school's
/// gates); nothing personal is read.
/// </summary>
public sealed class ReadSchoolCrest(IDbContextFactory<ConsentHubDbContext> factory, IMemoryCache cache)
{
    /// <summary>Twice the height a page shows it at, for sharp screens.</summary>
    public const int MaxHeight = 128;

    public async Task<byte[]?> HandleAsync(string key, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(key) || key.Length != 22 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return null;
        if (cache.TryGetValue(("school-crest", key), out byte[]? cached)) return cached;
        // Few academies have a logo: the versions are small to read and hash, the content only for the one that matches.
        var versions = await cache.GetOrCreateAsync("school-crest-versions", async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1);
            await using var db = await factory.CreateDbContextAsync(ct);
            var rows = await db.AcademyLogos.AsNoTracking().Select(l => new { l.AcademyId, l.UpdatedAt }).ToListAsync(ct);
            return rows.ToDictionary(r => ReadSchoolIdentity.CrestKey(r.AcademyId, r.UpdatedAt), r => r.AcademyId, StringComparer.Ordinal);
        });
        if (versions is null || !versions.TryGetValue(key, out var academyId)) return null;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            var content = await db.AcademyLogos.AsNoTracking().Where(l => l.AcademyId == academyId).Select(l => l.Content).FirstOrDefaultAsync(ct);
            if (content is null) return null;
            var png = Scale(content, MaxHeight);
            if (png is not null) cache.Set(("school-crest", key), png, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromHours(1) });
            return png;
        }
    }

    /// <summary>
    /// The academy's crest for a PDF made as someone signs (the receipt): at most 256 pixels high, so the
    /// attachment stays small; kept for five minutes. Null when the academy has no logo.
    /// </summary>
    public async Task<byte[]?> ForPrintAsync(Guid academyId, CancellationToken ct = default) =>
        await cache.GetOrCreateAsync(("school-crest-print", academyId), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5);
            await using var db = await factory.CreateDbContextAsync(ct);
            var content = await db.AcademyLogos.AsNoTracking().Where(l => l.AcademyId == academyId).Select(l => l.Content).FirstOrDefaultAsync(ct);
            return content is null ? null : Scale(content, 256);
        });

    /// <summary>The image as a PNG at most <paramref name="maxHeight"/> pixels high (never enlarged); null if it cannot be read.</summary>
    public static byte[]? Scale(byte[] encoded, int maxHeight)
    {
        using var source = SKBitmap.Decode(encoded);
        if (source is null) return null;
        var scale = Math.Min(1f, (float)maxHeight / source.Height);
        var width = Math.Max(1, (int)Math.Round(source.Width * scale));
        var height = Math.Max(1, (int)Math.Round(source.Height * scale));
        using var scaled = scale < 1f ? source.Resize(new SKImageInfo(width, height), new SKSamplingOptions(SKCubicResampler.Mitchell)) : source.Copy();
        if (scaled is null) return null;
        using var image = SKImage.FromBitmap(scaled);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
