using System.Diagnostics;
using System.Globalization;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Data;
using ConsentHub.Hosting;
using ConsentHub.Photos;
using ConsentHub.Testing.Builders;
using ConsentHub.Trust;
using ConsentHub.Web.Hosting;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SkiaSharp;

namespace ConsentHub.Benchmarks;

/// <summary>
/// Photos. In process, without a database: one 256×256 inference (100 runs), and a 12-megapixel JPEG with a phone's
/// EXIF end to end (safe decode, tiled detection, hiding every face, metadata-free encode; 10 runs, each stage timed,
/// managed allocation and working set per photo). Then a many-photo upload through the real Hangfire job against a
/// private PostgreSQL: the files staged as the page stages them, one <see cref="ProcessPhotoBatch"/> job, timed from
/// the start to the batch's finish. The 12-MP photo is made from the vendored real photo (messi5.jpg) enlarged and
/// repeated, so it has real faces at several sizes, with the EXIF block of the vendored phone photo (ela_original.jpg:
/// camera, GPS) spliced in. Arguments: <c>photos [batch-photos N] [batch-megapixels M]</c> (defaults 200 and 12).
/// </summary>
public static class PhotosBenchmark
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var batchPhotos = Argument(args, "batch-photos", 200);
        var batchMegapixels = Argument(args, "batch-megapixels", 12);
        Console.WriteLine($"[photos] {Registry.MachineLoad()}");
        var ok = InProcess();
        Console.WriteLine($"[photos] {Registry.MachineLoad()}");
        if (batchPhotos > 0) ok &= await BatchAsync(batchPhotos, batchMegapixels, ct);
        Console.WriteLine($"[photos] {Registry.MachineLoad()}");
        return ok ? 0 : 1;
    }

    private static int Argument(IReadOnlyList<string> args, string name, int fallback)
    {
        var i = args.ToList().IndexOf(name);
        return i >= 0 && i + 1 < args.Count && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var v) ? v : fallback;
    }

    private static byte[] Vendored(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Photos", name));

    private static bool InProcess()
    {
        using var detector = new FaceDetector(new FaceDetectorOptions());
        var messi = Vendored("messi5.jpg");

        using var tile = new SKBitmap(new SKImageInfo(256, 256, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var source = SKBitmap.Decode(messi))
        using (var canvas = new SKCanvas(tile))
        using (var image = SKImage.FromBitmap(source))
            canvas.DrawImage(image, SKRect.Create(150, 30, 256, 256), SKRect.Create(256, 256), new SKSamplingOptions(SKFilterMode.Linear));
        using var single = new FaceDetector(new FaceDetectorOptions { MaxLevels = 0 });
        for (var i = 0; i < 10; i++) single.Detect(tile);
        var tileTimes = Report("one 256×256 tile (1 inference)", 100, () => single.Detect(tile).Count);

        var twelve = TwelveMegapixelJpeg(messi, 4000, 3000, Exif(Vendored("ela_original.jpg")));
        var camera = PhotoCamera.Read(twelve);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"12-MP JPEG: 4000×3000, {twelve.Length / 1024.0 / 1024.0:F1} MB, EXIF camera '{camera.Make} {camera.Model}', {detector.TileCount(4000, 3000)} inferences"));
        // One warm-up photo (JIT, first Skia and ONNX allocations), then the timed runs.
        RunPipeline(detector, twelve, null);
        GC.Collect();
        var workingSetBefore = Environment.WorkingSet;
        using var self = Process.GetCurrentProcess();
        var peakBefore = self.PeakWorkingSet64;
        var stages = new Dictionary<string, List<double>>();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        long peakManaged = 0;
        const int runs = 10;
        var photoTimes = Report("12-MP JPEG: decode + detect + hide + encode", runs, () =>
        {
            var (faces, managed) = RunPipeline(detector, twelve, stages);
            peakManaged = Math.Max(peakManaged, managed);
            return faces;
        });
        var allocated = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)runs;
        self.Refresh();
        foreach (var (stage, times) in stages)
        {
            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {stage}: median {times[times.Count / 2]:F0} ms, min {times[0]:F0} ms"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  memory per 12-MP photo: {allocated / 1024 / 1024:F1} MB managed allocation, peak managed heap {peakManaged / 1024 / 1024} MB; working set {workingSetBefore / 1024 / 1024} MB before the runs, peak {self.PeakWorkingSet64 / 1024 / 1024} MB (peak before the runs {peakBefore / 1024 / 1024} MB)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  goals: tile p95 {tileTimes.P95:F0} ms (<= 40 ms: {(tileTimes.P95 <= 40 ? "met" : "not met")}); 12-MP p95 {photoTimes.P95:F0} ms (<= 1,500 ms: {(photoTimes.P95 <= 1500 ? "met" : "not met")})"));
        return true;
    }

    /// <summary>The export path on one file; returns the faces found and the managed heap at its fullest point.</summary>
    private static (int Faces, long Managed) RunPipeline(FaceDetector detector, byte[] jpeg, Dictionary<string, List<double>>? stages)
    {
        var watch = Stopwatch.StartNew();
        void Lap(string stage)
        {
            if (stages is not null)
            {
                if (!stages.TryGetValue(stage, out var list)) stages[stage] = list = [];
                list.Add(watch.Elapsed.TotalMilliseconds);
            }
            watch.Restart();
        }
        var read = (PhotoFile.Result.Photo)PhotoFile.Read(jpeg, PhotoFile.Default);
        using var image = read.Image;
        Lap("decode (PhotoFile.Read, full size, oriented)");
        var faces = detector.Detect(image);
        var managed = GC.GetTotalMemory(false);
        Lap("tiled detection (FaceDetector.Detect)");
        SafeImage.Obscure(image, faces);
        Lap($"hide {faces.Count} faces (SafeImage.Obscure)");
        SafeImage.EncodeJpeg(image);
        Lap("metadata-free encode (SafeImage.EncodeJpeg)");
        return (faces.Count, managed);
    }

    private sealed record Figures(double P50, double P95);

    private static Figures Report(string name, int runs, Func<int> run)
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
        var p50 = times[times.Count / 2];
        var p95 = times[(int)Math.Min(times.Count - 1, Math.Ceiling(times.Count * 0.95) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: p50 {p50:F0} ms, p95 {p95:F0} ms, min {times[0]:F0} ms, max {times[^1]:F0} ms over {runs} runs; {found} face(s)"));
        return new Figures(p50, p95);
    }

    /// <summary>The real photo enlarged and repeated on a <paramref name="width"/>×<paramref name="height"/> canvas, as a JPEG with <paramref name="exif"/> after its start.</summary>
    private static byte[] TwelveMegapixelJpeg(byte[] messi, int width, int height, byte[] exif)
    {
        using var source = SKBitmap.Decode(messi);
        using var image = SKImage.FromBitmap(source);
        using var big = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(big))
        {
            canvas.Clear(new SKColor(90, 110, 90));
            canvas.Scale(width / 4000f, height / 3000f);
            canvas.DrawImage(image, SKRect.Create(0, 0, 2192, 1368), new SKSamplingOptions(SKCubicResampler.Mitchell));
            canvas.DrawImage(image, SKRect.Create(2200, 0, 1644, 1026), new SKSamplingOptions(SKCubicResampler.Mitchell));
            for (var i = 0; i < 4; i++)
                canvas.DrawImage(image, SKRect.Create(i * 1000, 1500, 822, 513), new SKSamplingOptions(SKCubicResampler.Mitchell));
            for (var i = 0; i < 7; i++)
                canvas.DrawImage(image, SKRect.Create(i * 570, 2100, 548, 342), new SKSamplingOptions(SKCubicResampler.Mitchell));
        }
        using var data = big.Encode(SKEncodedImageFormat.Jpeg, 90);
        var plain = data.ToArray();
        // SOI, then the phone's APP1 (EXIF) segment, then the rest of the encoded file.
        return [.. plain.AsSpan(0, 2), .. exif, .. plain.AsSpan(2)];
    }

    /// <summary>The first APP1 (EXIF) segment of a JPEG, marker and length included.</summary>
    private static byte[] Exif(byte[] jpeg)
    {
        var at = 2;
        while (at + 4 <= jpeg.Length && jpeg[at] == 0xFF)
        {
            var length = (jpeg[at + 2] << 8) | jpeg[at + 3];
            if (jpeg[at + 1] == 0xE1) return jpeg.AsSpan(at, length + 2).ToArray();
            at += length + 2;
        }
        throw new InvalidOperationException("The vendored phone photo has no EXIF segment.");
    }

    /// <summary>
    /// The many-photo upload: a private cluster, the real Hangfire server on PostgreSQL storage, the files staged
    /// one at a time as the page does, then one job; the batch's progress is read as the page reads it.
    /// </summary>
    private static async Task<bool> BatchAsync(int count, int megapixels, CancellationToken ct)
    {
        Console.WriteLine("Starting a private PostgreSQL cluster...");
        using var cluster = BenchmarkCluster.Start();
        const string database = "bench_photos";
        cluster.Cluster.EnsureDatabase(database);
        var cs = cluster.Cluster.ConnectionString(database);

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>());
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddConsentHubData(cs);
        services.AddConsentHubAudit();
        services.AddConsentHubSeeding();
        services.AddConsentHubPhotos();
        services.AddConsentHubHangfire(cs);
        // The job is one job: one worker is what it gets on any deployment while nothing else runs.
        services.AddHangfireServer(o => o.WorkerCount = 1);
        using var host = builder.Build();
        var provider = host.Services;
        await DatabaseBootstrap.MigrateAsync(provider, ct);
        await provider.GetRequiredService<SeedReferenceData>().HandleAsync(ct);
        await host.StartAsync(ct);
        try
        {
            TestTrust trust;
            await using (var db = await provider.GetRequiredService<IDbContextFactory<ConsentHubDbContext>>().CreateDbContextAsync(ct))
                trust = await TestTrust.CreateAsync(db);
            var scale = MathF.Sqrt(megapixels / 12f);
            var (w, h) = ((int)(4000 * scale), (int)(3000 * scale));
            var file = TwelveMegapixelJpeg(Vendored("messi5.jpg"), w, h, Exif(Vendored("ela_original.jpg")));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[batch] {count} photos of {w}×{h} ({file.Length / 1024.0 / 1024.0:F1} MB each, the same file), one ProcessPhotoBatch job, 1 Hangfire worker"));

            var upload = provider.GetRequiredService<UploadPhotoBatch>();
            var scope = AccessScope.Academy(trust.NorthAcademyId, "staff:benchmark@north.example");
            var staging = Stopwatch.StartNew();
            var batchId = await upload.BeginAsync(scope, trust.NorthAcademyId, count, ct) ?? throw new InvalidOperationException("The academy is not in scope.");
            for (var i = 0; i < count; i++) await upload.AddAsync(scope, batchId, i, file, ct);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[batch] staged {count} files in {staging.Elapsed.TotalSeconds:F1} s"));

            var watch = Stopwatch.StartNew();
            await upload.StartAsync(scope, batchId, ct);
            var lastPrinted = -1;
            UploadPhotoBatch.Progress progress;
            while (true)
            {
                await Task.Delay(250, ct);
                progress = await upload.GetProgressAsync(scope, batchId, ct) ?? throw new InvalidOperationException("The batch went missing.");
                if (progress.Finished) break;
                if (progress.Done / 20 != lastPrinted)
                {
                    lastPrinted = progress.Done / 20;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {watch.Elapsed.TotalSeconds,6:F1} s: {progress.Done} of {progress.Total} ({Registry.MachineLoad()})"));
                }
                if (watch.Elapsed > TimeSpan.FromMinutes(60)) throw new TimeoutException("The batch did not finish within an hour.");
            }
            var seconds = watch.Elapsed.TotalSeconds;
            var faces = progress.Items.Sum(i => i.Faces ?? 0);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[batch] {count} photos finished in {seconds:F1} s ({seconds / count:F2} s a photo): {progress.Processed} stored, {progress.Refused} refused, {faces} faces; goal <= 180 s: {(seconds <= 180 ? "met" : "not met")}"));
            return progress.Processed == count;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
