using ConsentHub.Photos;

namespace ConsentHub.Tests.Photos;

/// <summary>Face detection on real photos: where faces are, found at any size a class photo has.</summary>
public sealed class FaceDetectorTests
{
    [Fact]
    public void Messi5_TheFaceIsFound_WhereItIs()
    {
        using var image = PhotoTestImages.Decode(PhotoTestImages.Bytes("messi5.jpg"));

        var faces = PhotoTestImages.Detector.Detect(image);

        var best = Assert.Single(faces, f => PhotoTestImages.Iou(PhotoTestImages.MessiFace, f) > 0.5f);
        Assert.InRange(best.X + best.Width / 2, 228, 248);
        Assert.InRange(best.Y + best.Height / 2, 103, 123);
        Assert.InRange(best.Width, 25, 55);
    }

    [Fact]
    public void AClassPhoto_FacesSmallAndLarge_AreAllFound_AndTheSmallOnesOnlyThanksToTiling()
    {
        // A 3000×2000 "class photo": the same real face at 54, 72 and 108 pixels across.
        var (image, expected) = PhotoTestImages.ClassPhoto(3000, 2000, (1.5f, 60, 60), (2f, 1000, 60), (3f, 60, 700));
        using (image)
        {
            var faces = PhotoTestImages.Detector.Detect(image);

            foreach (var face in expected)
                Assert.Contains(faces, f => PhotoTestImages.Iou(face, f) > 0.4f);

            // The whole photo squeezed into one 256-pixel input (what the model alone sees) misses the small faces.
            var whole = new FaceDetector(new FaceDetectorOptions { MaxLevels = 0 });
            using (whole)
            {
                var single = whole.Detect(image);
                Assert.DoesNotContain(single, f => PhotoTestImages.Iou(expected[0], f) > 0.4f);
                Assert.DoesNotContain(single, f => PhotoTestImages.Iou(expected[1], f) > 0.4f);
            }
        }
    }

    [Fact]
    public void TheTilePlan_ForATwelveMegapixelPhoto_IsBounded()
    {
        // 4000×3000: the whole image, 1500-pixel tiles, 750-pixel tiles (faces from about 75 pixels).
        Assert.InRange(PhotoTestImages.Detector.TileCount(4000, 3000), 30, 80);
    }
}
