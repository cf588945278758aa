using ConsentHub.Audit;
using ConsentHub.Data;
using ConsentHub.Files;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Trust;

/// <summary>
/// Sets or removes the logo printed on an academy's forms: a PNG or JPEG of at most 512 KB that can be decoded
/// (its type read from the content, not the file name), at most <see cref="AcademyLogo.MaxPixelSide"/> pixels a
/// side and <see cref="AcademyLogo.MaxPixels"/> pixels in all, which is checked from the header before anything is
/// decoded (a small compressed file can claim a huge image). Audited.
/// </summary>
public sealed class SaveAcademyLogo(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit, TimeProvider clock)
{
    public abstract record Result
    {
        public sealed record Saved : Result;
        public sealed record Invalid(string Message) : Result;
    }

    /// <param name="content">The file; null removes the logo.</param>
    public async Task<Result> HandleAsync(Guid academyId, string fileName, byte[]? content, string actor, CancellationToken ct = default)
    {
        string? type = null;
        if (content is not null)
        {
            if (content.Length == 0) return new Result.Invalid("The logo file is empty.");
            if (content.Length > AcademyLogo.MaxBytes) return new Result.Invalid($"The logo is {content.Length / 1024} KB; the most is 512 KB. Save it smaller (a few hundred pixels wide is plenty for print).");
            type = ScanFile.Sniff(content) is { } t and not "application/pdf" ? t : null;
            if (type is null) return new Result.Invalid($"“{fileName}” is not a PNG or JPEG image, whatever its name says.");
            if (CheckPixels(content, fileName) is { } refused) return refused;
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await db.Academies.AnyAsync(a => a.Id == academyId, ct)) return new Result.Invalid("There is no such academy.");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var logo = await db.AcademyLogos.FirstOrDefaultAsync(l => l.AcademyId == academyId, ct);
        if (content is null)
        {
            if (logo is not null) db.AcademyLogos.Remove(logo);
        }
        else if (logo is null)
        {
            db.AcademyLogos.Add(new AcademyLogo { AcademyId = academyId, Content = content, ContentType = type!, UpdatedAt = clock.GetUtcNow(), UpdatedBy = actor });
        }
        else
        {
            logo.Content = content;
            logo.ContentType = type!;
            logo.UpdatedAt = clock.GetUtcNow();
            logo.UpdatedBy = actor;
        }
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(academyId, actor, content is null ? "academy.logo-removed" : "academy.logo-set", "Academy", academyId.ToString(),
            Data: content is null ? null : new Dictionary<string, object?> { ["bytes"] = content.Length, ["type"] = type }), ct);
        await tx.CommitAsync(ct);
        return new Result.Saved();
    }

    /// <summary>
    /// Reads the image's header (SKCodec reads only that on creation), refuses dimensions over the limits, then
    /// decodes it fully into a bitmap of that bounded size, so a damaged body is caught here rather than in print.
    /// </summary>
    private static Result.Invalid? CheckPixels(byte[] content, string fileName)
    {
        using var data = SkiaSharp.SKData.CreateCopy(content);
        using var codec = SkiaSharp.SKCodec.Create(data);
        if (codec is null) return new Result.Invalid($"“{fileName}” could not be read as an image; it may be damaged.");
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0 || width > AcademyLogo.MaxPixelSide || height > AcademyLogo.MaxPixelSide || (long)width * height > AcademyLogo.MaxPixels)
            return new Result.Invalid($"The logo is {width} × {height} pixels; the most is {AcademyLogo.MaxPixelSide} pixels a side and {AcademyLogo.MaxPixels / 1_000_000} million pixels in all. Save it smaller (a few hundred pixels wide is plenty for print).");
        var info = new SkiaSharp.SKImageInfo(width, height, SkiaSharp.SKColorType.Rgba8888, SkiaSharp.SKAlphaType.Premul);
        using var bitmap = new SkiaSharp.SKBitmap(info);
        return codec.GetPixels(info, bitmap.GetPixels()) == SkiaSharp.SKCodecResult.Success
            ? null
            : new Result.Invalid($"“{fileName}” could not be read as an image; it may be damaged.");
    }
}
