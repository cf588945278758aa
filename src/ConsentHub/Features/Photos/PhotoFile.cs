using SkiaSharp;

namespace ConsentHub.Photos;

/// <summary>
/// Reads an uploaded photo safely: the type from the content (never the name), the byte limit first, then the
/// pixel size from the header before anything is decoded (a 20-kB PNG can claim 40 000 × 40 000 pixels), then a full
/// decode that must be complete, and the EXIF orientation applied so the pixels are upright. Any failure is a
/// sentence for the uploader, never an exception.
/// </summary>
public static class PhotoFile
{
    public sealed record Limits(long MaxBytes, long MaxPixels, int MaxSide);

    public static readonly Limits Default = new(25L * 1024 * 1024, 50_000_000, 12_000);

    public abstract record Result
    {
        /// <summary>An upright, fully decoded photo. The caller disposes <see cref="Image"/>.</summary>
        public sealed record Photo(string ContentType, SKBitmap Image, int StoredWidth, int StoredHeight, string Orientation) : Result;

        public sealed record Refused(string Message) : Result;
    }

    /// <returns>"image/jpeg", "image/png", "image/heic" (HEIF brands), or null for anything else.</returns>
    public static string? Sniff(ReadOnlySpan<byte> content)
    {
        if (content.Length >= 3 && content[0] == 0xFF && content[1] == 0xD8 && content[2] == 0xFF) return "image/jpeg";
        if (content.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return "image/png";
        if (content.Length >= 12 && content[4..8].SequenceEqual("ftyp"u8))
        {
            var brand = content[8..12];
            if (brand.SequenceEqual("heic"u8) || brand.SequenceEqual("heix"u8) || brand.SequenceEqual("mif1"u8) || brand.SequenceEqual("msf1"u8)
                || brand.SequenceEqual("hevc"u8) || brand.SequenceEqual("heim"u8) || brand.SequenceEqual("heis"u8))
                return "image/heic";
        }
        return null;
    }

    public static Result Read(ReadOnlySpan<byte> content, Limits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (content.Length == 0) return new Result.Refused("The file is empty.");
        if (content.Length > limits.MaxBytes)
            return new Result.Refused($"The file is larger than {limits.MaxBytes / (1024 * 1024)} MB. Send a smaller copy of the photo.");
        var type = Sniff(content);
        if (type is null)
            return new Result.Refused(Describe(content) + " Only JPEG, PNG and HEIC photos can be checked.");

        using var data = SKData.CreateCopy(content);
        using var codec = SKCodec.Create(data);
        if (codec is null)
        {
            return new Result.Refused(type == "image/heic"
                ? "HEIC photos cannot be read on this server. On the phone, choose \"Most compatible\" (JPEG) for the camera, or share the photo as JPEG."
                : "The photo could not be read: the file is damaged or not really a " + (type == "image/png" ? "PNG." : "JPEG."));
        }
        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0) return new Result.Refused("The photo has no pixels.");
        if (info.Width > limits.MaxSide || info.Height > limits.MaxSide || (long)info.Width * info.Height > limits.MaxPixels)
            return new Result.Refused($"The photo is {info.Width} × {info.Height} pixels, more than the {limits.MaxPixels / 1_000_000} megapixels that can be checked. Send a smaller copy.");

        var target = new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Premul, SKColorSpace.CreateSrgb());
        var decoded = new SKBitmap(target);
        var result = codec.GetPixels(target, decoded.GetPixels());
        if (result is not (SKCodecResult.Success))
        {
            decoded.Dispose();
            return new Result.Refused(result == SKCodecResult.IncompleteInput
                ? "The photo is incomplete (the file was cut short while copying or uploading). Send it again."
                : "The photo could not be read: the file is damaged.");
        }
        var origin = codec.EncodedOrigin;
        var upright = Orient(decoded, origin);
        if (!ReferenceEquals(upright, decoded)) decoded.Dispose();
        return new Result.Photo(type, upright, info.Width, info.Height, origin.ToString());
    }

    /// <summary>The pixels as a viewer shows them: EXIF orientations 2–8 turned and mirrored upright.</summary>
    public static SKBitmap Orient(SKBitmap bitmap, SKEncodedOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        if (origin is SKEncodedOrigin.TopLeft or SKEncodedOrigin.Default) return bitmap;
        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var (w, h) = swap ? (bitmap.Height, bitmap.Width) : (bitmap.Width, bitmap.Height);
        var result = new SKBitmap(new SKImageInfo(w, h, bitmap.ColorType, bitmap.AlphaType, bitmap.ColorSpace));
        using var canvas = new SKCanvas(result);
        float bw = bitmap.Width, bh = bitmap.Height;
        var m = origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, bw, 0, 1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, bw, 0, -1, bh, 0, 0, 1),
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, bh, 0, 0, 1),
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, bh, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, bh, -1, 0, bw, 0, 0, 1),
            SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, bw, 0, 0, 1),
            _ => SKMatrix.Identity,
        };
        canvas.SetMatrix(m);
        using var source = SKImage.FromBitmap(bitmap);
        canvas.DrawImage(source, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest, SKMipmapMode.None));
        canvas.Flush();
        return result;
    }

    private static string Describe(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith("%PDF-"u8)) return "This file is a PDF, not a photo, whatever its name says.";
        var head = System.Text.Encoding.UTF8.GetString(content[..Math.Min(content.Length, 512)]);
        if (head.Contains("<svg", StringComparison.OrdinalIgnoreCase)) return "This file is an SVG drawing, not a photo.";
        if (content.StartsWith("GIF8"u8)) return "This file is a GIF.";
        if (content.Length >= 12 && content.StartsWith("RIFF"u8) && content[8..12].SequenceEqual("WEBP"u8)) return "This file is a WebP image.";
        return "This file is not a photo.";
    }
}
