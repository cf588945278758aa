using ConsentHub.Photos;

namespace ConsentHub.Tests.Photos;

/// <summary>Uploads are read from their content, within limits read from the header, and turned upright.</summary>
public sealed class PhotoFileTests
{
    [Fact]
    public void ARealJpeg_IsRead_AtItsSize()
    {
        var photo = Assert.IsType<PhotoFile.Result.Photo>(PhotoFile.Read(PhotoTestImages.Bytes("messi5.jpg"), PhotoFile.Default));
        using (photo.Image)
        {
            Assert.Equal("image/jpeg", photo.ContentType);
            Assert.Equal((548, 342), (photo.Image.Width, photo.Image.Height));
        }
    }

    [Fact]
    public void APhoneJpegMarkedRotate90_IsTurnedUpright_AndItsFaceIsWhereTheViewerSeesIt()
    {
        var photo = Assert.IsType<PhotoFile.Result.Photo>(PhotoFile.Read(PhotoTestImages.RotatedJpeg(), PhotoFile.Default));
        using (photo.Image)
        {
            Assert.Equal((342, 548), (photo.Image.Width, photo.Image.Height));
            var face = Assert.Single(PhotoTestImages.Detector.Detect(photo.Image), f => f.Score > 0.8f);
            // Turned clockwise: x' = height - y, y' = x. Messi's face centre (238, 113) is at about (229, 238).
            Assert.InRange(face.X + face.Width / 2, 214, 244);
            Assert.InRange(face.Y + face.Height / 2, 223, 253);
        }
    }

    [Theory]
    [InlineData("truncated-jpeg", "incomplete")]
    [InlineData("png-bomb", "megapixels")]
    [InlineData("svg", "SVG drawing")]
    [InlineData("pdf-named-jpg", "PDF")]
    [InlineData("empty", "empty")]
    [InlineData("too-big", "larger than")]
    public void ABadFile_IsRefused_WithASentenceSayingWhy(string kind, string expected)
    {
        var messi = PhotoTestImages.Bytes("messi5.jpg");
        var limits = PhotoFile.Default;
        byte[] content = kind switch
        {
            "truncated-jpeg" => messi[..(messi.Length * 6 / 10)],
            "png-bomb" => PhotoTestImages.PngBomb(),
            "svg" => "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>"u8.ToArray(),
            "pdf-named-jpg" => "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"u8.ToArray(),
            "empty" => [],
            _ => messi,
        };
        if (kind == "too-big") limits = limits with { MaxBytes = 10_000 };

        var refused = Assert.IsType<PhotoFile.Result.Refused>(PhotoFile.Read(content, limits));

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }
}
