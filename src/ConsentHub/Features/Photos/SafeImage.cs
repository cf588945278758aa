using SkiaSharp;

namespace ConsentHub.Photos;

/// <summary>
/// What makes an exported photo safe: faces hidden on the pixels, irreversibly, and a re-encoded file that carries
/// nothing but pixels. A hidden face is averaged down to a few blocks (the detail is gone, not masked: no filter
/// can bring back what the average threw away) and smoothed back up, over the box plus a margin for hair, ears and
/// the detector's loose edges. The encoder writes only the image: no EXIF (GPS, camera serial), no XMP, no
/// embedded thumbnail (which could hold the unblurred original), no colour profile.
/// </summary>
public static class SafeImage
{
    /// <summary>The margin added on each side of a box, as a share of its width and height.</summary>
    public const float Margin = 0.25f;

    /// <summary>The face is averaged to at most this many blocks across.</summary>
    public const int BlocksAcross = 5;

    /// <summary>The rectangle that is hidden for a face box: the box and its margin, inside the image.</summary>
    public static SKRectI HiddenArea(FaceBox box, int width, int height)
    {
        var mx = box.Width * Margin;
        var my = box.Height * Margin;
        var left = (int)Math.Floor(Math.Max(0, box.X - mx));
        var top = (int)Math.Floor(Math.Max(0, box.Y - my * 1.4f)); // hair above the detector's box
        var right = (int)Math.Ceiling(Math.Min(width, box.Right + mx));
        var bottom = (int)Math.Ceiling(Math.Min(height, box.Bottom + my));
        return new SKRectI(left, top, Math.Max(left + 1, right), Math.Max(top + 1, bottom));
    }

    /// <summary>Hides each box in place on <paramref name="image"/>; every pixel outside the hidden areas is untouched.</summary>
    public static void Obscure(SKBitmap image, IEnumerable<FaceBox> boxes)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(boxes);
        using var canvas = new SKCanvas(image);
        foreach (var box in boxes)
        {
            var area = HiddenArea(box, image.Width, image.Height);
            if (area.Width <= 0 || area.Height <= 0) continue;
            var blocks = Math.Max(1, (int)Math.Ceiling(Math.Max(area.Width, area.Height) / (float)BlocksAcross));
            var smallW = Math.Max(1, (int)Math.Ceiling(area.Width / (float)blocks));
            var smallH = Math.Max(1, (int)Math.Ceiling(area.Height / (float)blocks));
            using var region = new SKBitmap(new SKImageInfo(area.Width, area.Height, image.ColorType, image.AlphaType, image.ColorSpace));
            if (!image.ExtractSubset(region, area)) continue;
            // Area-average down (mipmaps average every source pixel), then a smooth bilinear enlargement.
            using var small = region.Resize(new SKImageInfo(smallW, smallH, image.ColorType, image.AlphaType, image.ColorSpace),
                new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
            using var smallImage = SKImage.FromBitmap(small);
            using var paint = new SKPaint { BlendMode = SKBlendMode.Src };
            canvas.Save();
            canvas.ClipRect(SKRect.Create(area.Left, area.Top, area.Width, area.Height));
            canvas.DrawImage(smallImage, SKRect.Create(smallW, smallH), SKRect.Create(area.Left, area.Top, area.Width, area.Height),
                new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None), paint);
            canvas.Restore();
        }
        canvas.Flush();
    }

    /// <summary>A fresh JPEG of the pixels alone (quality 90), with no metadata of any kind.</summary>
    public static byte[] EncodeJpeg(SKBitmap image, int quality = 90)
    {
        ArgumentNullException.ThrowIfNull(image);
        // Copy into an opaque bitmap without a colour space, so the encoder has no ICC profile to write either.
        using var plain = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(plain))
        {
            canvas.Clear(SKColors.White);
            using var source = SKImage.FromBitmap(image);
            canvas.DrawImage(source, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest, SKMipmapMode.None));
        }
        using var pixmap = plain.PeekPixels();
        using var data = pixmap.Encode(new SKJpegEncoderOptions(quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore))
            ?? throw new InvalidOperationException("The photo could not be encoded.");
        return data.ToArray();
    }
}
