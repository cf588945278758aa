using System.Diagnostics;
using System.Globalization;
using ConsentHub.Photos;
using SkiaSharp;

namespace ConsentHub.Benchmarks;

/// <summary>
/// Photos, timed in process without a database: one 256×256 inference, and a 12-megapixel JPEG end to end
/// (safe decode, tiled detection, hiding every face, metadata-free encode). The 12-MP photo is made from the
/// vendored real photo (messi5.jpg) enlarged and repeated, so it has real faces at several sizes.
/// </summary>
public static class PhotosBenchmark
{
    public static int Run()
    {
        using var detector = new FaceDetector(new FaceDetectorOptions());
        var messi = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Photos", "messi5.jpg"));

        using var tile = new SKBitmap(new SKImageInfo(256, 256, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var source = SKBitmap.Decode(messi))
        using (var canvas = new SKCanvas(tile))
        using (var image = SKImage.FromBitmap(source))
            canvas.DrawImage(image, SKRect.Create(150, 30, 256, 256), SKRect.Create(256, 256), new SKSamplingOptions(SKFilterMode.Linear));
        using var single = new FaceDetector(new FaceDetectorOptions { MaxLevels = 0 });
        for (var i = 0; i < 10; i++) single.Detect(tile);
        Report("one 256×256 tile (1 inference)", 100, () => single.Detect(tile).Count);

        var twelve = TwelveMegapixelJpeg(messi);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"12-MP JPEG: {twelve.Length / 1024.0 / 1024.0:F1} MB, {detector.TileCount(4000, 3000)} inferences"));
        var before = GC.GetTotalAllocatedBytes(precise: true);
        Report("12-MP JPEG: decode + detect + hide + encode", 5, () =>
        {
            var read = (PhotoFile.Result.Photo)PhotoFile.Read(twelve, PhotoFile.Default);
            using var image = read.Image;
            var faces = detector.Detect(image);
            SafeImage.Obscure(image, faces);
            SafeImage.EncodeJpeg(image);
            return faces.Count;
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"managed allocation per 12-MP photo: {(GC.GetTotalAllocatedBytes(precise: true) - before) / 5.0 / 1024 / 1024:F0} MB; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024} MB"));
        return 0;
    }

    private static void Report(string name, int runs, Func<int> run)
    {
        var times = new List<double>();
        var found = 0;
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            found = run();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: median {times[times.Count / 2]:F0} ms, p95 {times[(int)Math.Min(times.Count - 1, Math.Ceiling(times.Count * 0.95) - 1)]:F0} ms, min {times[0]:F0} ms over {runs} runs; {found} face(s)"));
    }

    private static byte[] TwelveMegapixelJpeg(byte[] messi)
    {
        using var source = SKBitmap.Decode(messi);
        using var image = SKImage.FromBitmap(source);
        using var big = new SKBitmap(new SKImageInfo(4000, 3000, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(big))
        {
            canvas.Clear(new SKColor(90, 110, 90));
            canvas.DrawImage(image, SKRect.Create(0, 0, 2192, 1368), new SKSamplingOptions(SKCubicResampler.Mitchell));
            canvas.DrawImage(image, SKRect.Create(2200, 0, 1644, 1026), new SKSamplingOptions(SKCubicResampler.Mitchell));
            for (var i = 0; i < 4; i++)
                canvas.DrawImage(image, SKRect.Create(i * 1000, 1500, 822, 513), new SKSamplingOptions(SKCubicResampler.Mitchell));
            for (var i = 0; i < 7; i++)
                canvas.DrawImage(image, SKRect.Create(i * 570, 2100, 548, 342), new SKSamplingOptions(SKCubicResampler.Mitchell));
        }
        using var data = big.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }
}
