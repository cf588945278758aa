using ConsentHub.Photos;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.Formats.Jpeg;
using SkiaSharp;

namespace ConsentHub.Tests.Photos;

/// <summary>A hidden face has no detail left; nothing else changes; the file carries no metadata.</summary>
public sealed class SafeImageTests
{
    private static readonly FaceBox Face = new(220, 95, 36, 36, 1);

    [Fact]
    public void AHiddenFace_LosesItsDetail_AndEveryPixelOutsideIsUnchanged()
    {
        using var original = PhotoTestImages.Decode(PhotoTestImages.Bytes("messi5.jpg"));
        using var safe = original.Copy();
        var area = SafeImage.HiddenArea(Face, original.Width, original.Height);

        SafeImage.Obscure(safe, [Face]);

        var before = PhotoTestImages.LaplacianVariance(original, area);
        var after = PhotoTestImages.LaplacianVariance(safe, area);
        Assert.True(before > 100, $"the face had detail to lose ({before:F1})");
        Assert.True(after < 5, $"the hidden face keeps no detail ({after:F1})");
        Assert.True(area.Contains(SKRectI.Ceiling(SKRect.Create(Face.X, Face.Y, Face.Width, Face.Height))), "the margin goes round the box");
        for (var y = 0; y < original.Height; y++)
            for (var x = 0; x < original.Width; x++)
            {
                if (area.Contains(x, y)) continue;
                Assert.Equal(original.GetPixel(x, y), safe.GetPixel(x, y));
            }
    }

    [Fact]
    public void APhonePhotoWithGpsAndCameraData_IsExportedWithNoMetadataAtAll()
    {
        var phone = PhotoTestImages.Bytes("ela_original.jpg");
        var source = ImageMetadataReader.ReadMetadata(new MemoryStream(phone));
        Assert.Contains(source, d => d is GpsDirectory);
        Assert.Contains(source, d => d is ExifIfd0Directory);

        using var image = PhotoTestImages.Decode(phone);
        var jpeg = SafeImage.EncodeJpeg(image);

        var exported = ImageMetadataReader.ReadMetadata(new MemoryStream(jpeg));
        // Only what describes the pixels' encoding itself may remain.
        var allowed = new[] { typeof(JpegDirectory), typeof(MetadataExtractor.Formats.Jfif.JfifDirectory), typeof(HuffmanTablesDirectory),
            typeof(MetadataExtractor.Formats.FileType.FileTypeDirectory) };
        Assert.All(exported, d => Assert.Contains(d.GetType(), allowed));
        Assert.DoesNotContain(exported, d => d.Tags.Any(t => t.Description?.Contains("XT1635", StringComparison.Ordinal) == true));
        using var back = SKBitmap.Decode(jpeg);
        Assert.Equal((image.Width, image.Height), (back.Width, back.Height));
    }

    [Fact]
    public void TheEncodedExport_KeepsThePixelsOutsideFacesWithinJpegTolerance()
    {
        using var original = PhotoTestImages.Decode(PhotoTestImages.Bytes("messi5.jpg"));
        using var safe = original.Copy();
        SafeImage.Obscure(safe, [Face]);
        var area = SafeImage.HiddenArea(Face, original.Width, original.Height);
        area.Inflate(8, 8); // JPEG's 8×8 blocks next to the hidden area change with it

        using var back = SKBitmap.Decode(SafeImage.EncodeJpeg(safe));

        double diff = 0;
        var n = 0;
        for (var y = 0; y < original.Height; y += 2)
            for (var x = 0; x < original.Width; x += 2)
            {
                if (area.Contains(x, y)) continue;
                var a = original.GetPixel(x, y);
                var b = back.GetPixel(x, y);
                diff += Math.Abs(a.Red - b.Red) + Math.Abs(a.Green - b.Green) + Math.Abs(a.Blue - b.Blue);
                n += 3;
            }
        Assert.True(diff / n < 4, $"mean difference outside the face {diff / n:F2}");
    }
}
