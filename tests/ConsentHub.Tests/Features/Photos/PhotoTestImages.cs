using System.IO.Compression;
using System.Text;
using ConsentHub.Photos;
using SkiaSharp;

namespace ConsentHub.Tests.Photos;

/// <summary>
/// Real photos from OpenCV's sample data (vendored with their licence in tests/ConsentHub.Testing/Photos) and the
/// broken or hostile files an upload must refuse.
/// </summary>
internal static class PhotoTestImages
{
    /// <summary>Where the detector should put Messi's face in messi5.jpg (548×342), checked by eye.</summary>
    public static readonly SKRect MessiFace = SKRect.Create(220, 95, 36, 36);

    private static readonly Lazy<FaceDetector> SharedDetector = new(() => new FaceDetector(new FaceDetectorOptions()));

    /// <summary>One detector for the test run: the ONNX session is thread-safe and slow to create.</summary>
    public static FaceDetector Detector => SharedDetector.Value;

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Photos", name));

    public static SKBitmap Decode(byte[] bytes) =>
        ((PhotoFile.Result.Photo)PhotoFile.Read(bytes, PhotoFile.Default)).Image;

    /// <summary>
    /// A "class photo": the real messi5.jpg pasted at several sizes on one large canvas, so its face appears at
    /// known places and sizes from small (as in the back row of a class photo) to large.
    /// </summary>
    public static (SKBitmap Image, List<SKRect> Faces) ClassPhoto(int width, int height, params (float Scale, float X, float Y)[] copies)
    {
        using var messi = Decode(Bytes("messi5.jpg"));
        var canvasBitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var faces = new List<SKRect>();
        using (var canvas = new SKCanvas(canvasBitmap))
        {
            canvas.Clear(new SKColor(96, 120, 96));
            using var image = SKImage.FromBitmap(messi);
            foreach (var (scale, x, y) in copies)
            {
                canvas.DrawImage(image, SKRect.Create(x, y, messi.Width * scale, messi.Height * scale), new SKSamplingOptions(SKCubicResampler.Mitchell));
                faces.Add(SKRect.Create(x + MessiFace.Left * scale, y + MessiFace.Top * scale, MessiFace.Width * scale, MessiFace.Height * scale));
            }
        }
        return (canvasBitmap, faces);
    }

    public static float Iou(SKRect a, FaceBox b)
    {
        var inter = FaceBox.IntersectionArea(new FaceBox(a.Left, a.Top, a.Width, a.Height, 1), b);
        return inter / (a.Width * a.Height + b.Area - inter);
    }

    /// <summary>Variance of the Laplacian of the grey levels inside <paramref name="area"/>: how much fine detail it holds.</summary>
    public static double LaplacianVariance(SKBitmap image, SKRectI area)
    {
        double Grey(int x, int y)
        {
            var c = image.GetPixel(x, y);
            return 0.299 * c.Red + 0.587 * c.Green + 0.114 * c.Blue;
        }
        var values = new List<double>();
        for (var y = area.Top + 1; y < area.Bottom - 1; y++)
            for (var x = area.Left + 1; x < area.Right - 1; x++)
                values.Add(Grey(x - 1, y) + Grey(x + 1, y) + Grey(x, y - 1) + Grey(x, y + 1) - 4 * Grey(x, y));
        var mean = values.Average();
        return values.Average(v => (v - mean) * (v - mean));
    }

    /// <summary>messi5.jpg with an EXIF block saying "turn 90° clockwise to view" (orientation 6), as phones write it.</summary>
    public static byte[] RotatedJpeg()
    {
        var jpeg = Bytes("messi5.jpg");
        byte[] tiff = [(byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0];
        var payload = Encoding.ASCII.GetBytes("Exif\0\0").Concat(tiff).ToArray();
        var length = payload.Length + 2;
        byte[] app1 = [0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. payload];
        return [jpeg[0], jpeg[1], .. app1, .. jpeg[2..]];
    }

    /// <summary>
    /// messi5.jpg with an EXIF block naming the camera as cameras write it: Make and Model in IFD0 and, when given,
    /// BodySerialNumber (0xA431) in the EXIF sub-IFD. Big-endian TIFF, every string stored after the IFDs.
    /// </summary>
    public static byte[] JpegFromCamera(string make, string model, string? serial)
    {
        var jpeg = Bytes("messi5.jpg");
        var tiff = new List<byte>();
        void U16(int v) => tiff.AddRange([(byte)(v >> 8), (byte)v]);
        void U32(int v) => tiff.AddRange([(byte)(v >>> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]);
        void Entry(int tag, int type, int count, int value)
        {
            U16(tag);
            U16(type);
            U32(count);
            U32(value);
        }
        byte[] Ascii(string v) => [.. Encoding.ASCII.GetBytes(v), 0];
        var makeBytes = Ascii(make);
        var modelBytes = Ascii(model);
        var serialBytes = serial is null ? null : Ascii(serial);
        const int ifd0 = 8;
        const int ifd0Size = 2 + (3 * 12) + 4;
        const int exifIfd = ifd0 + ifd0Size;
        var exifSize = serialBytes is null ? 2 + 4 : 2 + 12 + 4;
        var data = exifIfd + exifSize;
        tiff.AddRange("MM"u8.ToArray());
        U16(42);
        U32(ifd0);
        // IFD0: Make, Model, pointer to the EXIF sub-IFD.
        U16(3);
        Entry(0x010F, 2, makeBytes.Length, data);
        Entry(0x0110, 2, modelBytes.Length, data + makeBytes.Length);
        Entry(0x8769, 4, 1, exifIfd);
        U32(0);
        if (serialBytes is null)
        {
            U16(0);
        }
        else
        {
            U16(1);
            Entry(0xA431, 2, serialBytes.Length, data + makeBytes.Length + modelBytes.Length);
        }
        U32(0);
        tiff.AddRange(makeBytes);
        tiff.AddRange(modelBytes);
        if (serialBytes is not null) tiff.AddRange(serialBytes);
        var payload = Encoding.ASCII.GetBytes("Exif\0\0").Concat(tiff).ToArray();
        var length = payload.Length + 2;
        byte[] app1 = [0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. payload];
        return [jpeg[0], jpeg[1], .. app1, .. jpeg[2..]];
    }

    /// <summary>A real PNG bomb: 10 000 × 10 000 grey pixels (100 megapixels) of zeros that compress to a few hundred kB.</summary>
    public static byte[] PngBomb()
    {
        const int side = 10_000;
        using var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[side + 1];
            for (var y = 0; y < side; y++) z.Write(row);
        }
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        byte[] ihdr = [0, 0, side >> 8 & 0xFF, side & 0xFF, 0, 0, side >> 8 & 0xFF, side & 0xFF, 8, 0, 0, 0, 0];
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", idat.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var typeBytes = Encoding.ASCII.GetBytes(type);
        s.Write([(byte)(data.Length >> 24), (byte)(data.Length >> 16), (byte)(data.Length >> 8), (byte)data.Length]);
        s.Write(typeBytes);
        s.Write(data);
        var crc = Crc32([.. typeBytes, .. data]);
        s.Write([(byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc]);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
