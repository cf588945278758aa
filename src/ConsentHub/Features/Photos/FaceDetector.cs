using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SkiaSharp;

namespace ConsentHub.Photos;

/// <summary>A face the detector found (or a member of staff drew), in pixels of the upright image.</summary>
public readonly record struct FaceBox(float X, float Y, float Width, float Height, float Score)
{
    public float Right => X + Width;
    public float Bottom => Y + Height;
    public float Area => Width * Height;

    public static float IntersectionArea(FaceBox a, FaceBox b)
    {
        var w = Math.Min(a.Right, b.Right) - Math.Max(a.X, b.X);
        var h = Math.Min(a.Bottom, b.Bottom) - Math.Max(a.Y, b.Y);
        return w <= 0 || h <= 0 ? 0 : w * h;
    }
}

/// <summary>
/// Face <em>detection</em> (where is a face?), never recognition: MediaPipe BlazeFace (the 256×256 "back camera"
/// model, vendored in Model/) through ONNX Runtime. Nothing it computes says whose face it is, and nothing but the
/// boxes leaves this class. A 256-pixel input cannot see the small faces of a class photo, so the image is read at
/// several scales, each cut into overlapping square tiles, and the boxes of all tiles are merged (see
/// docs/PHOTOS.md for the tiling and its limits). One instance per process: the session is thread-safe.
/// </summary>
public sealed class FaceDetector : IDisposable
{
    public const int InputSize = 256;
    private const string InputName = "input:0";
    private static readonly float[] AnchorCentres = BuildAnchors();
    private readonly InferenceSession _session;
    private readonly FaceDetectorOptions _options;
    private readonly (string Scores, string Boxes)[] _layers;

    public FaceDetector(FaceDetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        using var model = typeof(FaceDetector).Assembly.GetManifestResourceStream("ConsentHub.Photos.blazeface-back-256.onnx")
            ?? throw new InvalidOperationException("The face detection model is not embedded in the assembly.");
        using var buffer = new MemoryStream();
        model.CopyTo(buffer);
        using var sessionOptions = new SessionOptions { IntraOpNumThreads = options.Threads, InterOpNumThreads = 1 };
        sessionOptions.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL;
        _session = new InferenceSession(buffer.ToArray(), sessionOptions);
        _layers = [OutputsWith(512), OutputsWith(384)];
    }

    /// <summary>How many 256×256 inferences <see cref="Detect"/> runs on an image of this size.</summary>
    public int TileCount(int width, int height) => Plan(width, height).Sum(l => l.Origins.Count);

    /// <summary>Every face found in the upright image, best first, in its pixels.</summary>
    public IReadOnlyList<FaceBox> Detect(SKBitmap image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var found = new List<FaceBox>();
        var input = new float[InputSize * InputSize * 3];
        foreach (var level in Plan(image.Width, image.Height))
        {
            // Scale the whole image once per level, then cut 256-pixel tiles out of the scaled copy.
            var scaledWidth = Math.Max(1, (int)Math.Round(image.Width * level.Scale));
            var scaledHeight = Math.Max(1, (int)Math.Round(image.Height * level.Scale));
            using var scaled = Math.Abs(level.Scale - 1f) < 1e-3 && image.ColorType == SKColorType.Rgba8888
                ? image.Copy()
                : image.Resize(new SKImageInfo(scaledWidth, scaledHeight, SKColorType.Rgba8888, SKAlphaType.Premul), new SKSamplingOptions(SKCubicResampler.Mitchell));
            foreach (var (tx, ty) in level.Origins)
            {
                FillInput(scaled, tx, ty, input);
                foreach (var box in DetectTile(input))
                {
                    // A face cut by a tile's inner edge is found whole by a neighbouring tile (tiles overlap by a
                    // third): keep only boxes clear of inner edges, so a half face cannot win the merge.
                    var touches = (box.X < 2 && tx > 0) || (box.Y < 2 && ty > 0)
                        || (box.Right > InputSize - 2 && tx + InputSize < scaled.Width)
                        || (box.Bottom > InputSize - 2 && ty + InputSize < scaled.Height);
                    if (touches && !level.Whole) continue;
                    var x = (box.X + tx) / level.Scale;
                    var y = (box.Y + ty) / level.Scale;
                    var r = Math.Min((box.Right + tx) / level.Scale, image.Width);
                    var b = Math.Min((box.Bottom + ty) / level.Scale, image.Height);
                    x = Math.Max(0, x);
                    y = Math.Max(0, y);
                    if (r - x >= 4 && b - y >= 4) found.Add(new FaceBox(x, y, r - x, b - y, box.Score));
                }
            }
        }
        return Merge(found, _options.MergeOverlap);
    }

    /// <summary>One inference on a 256×256 NHWC input scaled to [-1, 1]: boxes in input pixels.</summary>
    internal List<FaceBox> DetectTile(float[] input)
    {
        var tensor = new DenseTensor<float>(input, [1, InputSize, InputSize, 3]);
        using var results = _session.Run([NamedOnnxValue.CreateFromTensor(InputName, tensor)]);
        var byName = results.ToDictionary(r => r.Name, r => r.AsTensor<float>());
        var boxes = new List<FaceBox>();
        var anchor = 0;
        foreach (var (scoresName, boxesName) in _layers)
        {
            var scores = byName[scoresName];
            var raw = byName[boxesName];
            var count = scores.Dimensions[1];
            for (var i = 0; i < count; i++, anchor++)
            {
                var logit = Math.Clamp(scores[0, i, 0], -100f, 100f);
                var score = 1f / (1f + MathF.Exp(-logit));
                if (score < _options.MinScore) continue;
                var cx = raw[0, i, 0] + AnchorCentres[anchor * 2] * InputSize;
                var cy = raw[0, i, 1] + AnchorCentres[anchor * 2 + 1] * InputSize;
                var w = raw[0, i, 2];
                var h = raw[0, i, 3];
                if (w <= 0 || h <= 0) continue;
                boxes.Add(new FaceBox(cx - w / 2, cy - h / 2, w, h, score));
            }
        }
        return Merge(boxes, _options.MergeOverlap);
    }

    /// <summary>
    /// Non-maximum suppression over every tile and scale: the best box wins over any box that overlaps it by more
    /// than <paramref name="overlap"/> (intersection over union) or that lies mostly inside it (the same face seen
    /// at two scales, or a part of a face).
    /// </summary>
    internal static List<FaceBox> Merge(List<FaceBox> boxes, float overlap)
    {
        var kept = new List<FaceBox>();
        foreach (var box in boxes.OrderByDescending(b => b.Score))
        {
            var duplicate = false;
            foreach (var k in kept)
            {
                var inter = FaceBox.IntersectionArea(box, k);
                if (inter <= 0) continue;
                var iou = inter / (box.Area + k.Area - inter);
                var insideSmaller = inter / Math.Min(box.Area, k.Area);
                if (iou > overlap || insideSmaller > 0.6f) { duplicate = true; break; }
            }
            if (!duplicate) kept.Add(box);
        }
        return kept;
    }

    internal sealed record Level(float Scale, bool Whole, IReadOnlyList<(int X, int Y)> Origins);

    /// <summary>
    /// The scales and tiles: the whole image in one input (large faces), then tiles covering
    /// <c>short side / 2, / 4, …</c> of the image, each level scaled so a tile is 256 pixels, down to tiles
    /// <see cref="FaceDetectorOptions.SmallestTile"/> pixels wide. Tiles overlap by a third of their width.
    /// </summary>
    internal IReadOnlyList<Level> Plan(int width, int height)
    {
        var levels = new List<Level>();
        var longSide = Math.Max(width, height);
        var wholeScale = Math.Min(1f, (float)InputSize / longSide);
        levels.Add(new Level(wholeScale, true, [(0, 0)]));
        var tile = Math.Min(width, height) / 2f;
        while (tile >= _options.SmallestTile && levels.Count < _options.MaxLevels + 1)
        {
            var scale = InputSize / tile;
            var w = (int)Math.Round(width * scale);
            var h = (int)Math.Round(height * scale);
            levels.Add(new Level(scale, false, [.. from y in Starts(h) from x in Starts(w) select (x, y)]));
            tile /= 2;
        }
        return levels;
    }

    private static IEnumerable<int> Starts(int length)
    {
        if (length <= InputSize) { yield return 0; yield break; }
        const int stride = InputSize * 2 / 3;
        var steps = (int)Math.Ceiling((length - InputSize) / (double)stride);
        for (var i = 0; i <= steps; i++) yield return (int)Math.Round((length - InputSize) * (double)i / steps);
    }

    /// <summary>The tile at (tx, ty) of the scaled image into NHWC floats in [-1, 1]; outside the image is black.</summary>
    private static void FillInput(SKBitmap scaled, int tx, int ty, float[] input)
    {
        Array.Fill(input, -1f);
        var pixels = scaled.GetPixelSpan();
        var rowBytes = scaled.RowBytes;
        var bgra = scaled.ColorType == SKColorType.Bgra8888;
        var maxY = Math.Min(InputSize, scaled.Height - ty);
        var maxX = Math.Min(InputSize, scaled.Width - tx);
        for (var y = 0; y < maxY; y++)
        {
            var row = (ty + y) * rowBytes + tx * 4;
            var o = y * InputSize * 3;
            for (var x = 0; x < maxX; x++, row += 4, o += 3)
            {
                var r = pixels[bgra ? row + 2 : row];
                var b = pixels[bgra ? row : row + 2];
                input[o] = r / 127.5f - 1f;
                input[o + 1] = pixels[row + 1] / 127.5f - 1f;
                input[o + 2] = b / 127.5f - 1f;
            }
        }
    }

    /// <summary>BlazeFace's 896 anchor centres in [0, 1]: 16×16 cells × 2 at stride 16, then 8×8 × 6 at stride 32.</summary>
    private static float[] BuildAnchors()
    {
        var centres = new List<float>(896 * 2);
        foreach (var (grid, perCell) in new[] { (16, 2), (8, 6) })
        {
            for (var y = 0; y < grid; y++)
                for (var x = 0; x < grid; x++)
                    for (var a = 0; a < perCell; a++)
                    {
                        centres.Add((x + 0.5f) / grid);
                        centres.Add((y + 0.5f) / grid);
                    }
        }
        return [.. centres];
    }

    private (string Scores, string Boxes) OutputsWith(int anchors)
    {
        string? scores = null, boxes = null;
        foreach (var (name, meta) in _session.OutputMetadata)
        {
            var dims = meta.Dimensions;
            if (dims.Length != 3 || dims[1] != anchors) continue;
            if (dims[2] == 1) scores = name;
            else if (dims[2] == 16) boxes = name;
        }
        return (scores ?? throw new InvalidOperationException($"The model has no score output for {anchors} anchors."),
            boxes ?? throw new InvalidOperationException($"The model has no box output for {anchors} anchors."));
    }

    public void Dispose() => _session.Dispose();
}

/// <summary>Settings under "Photos:Detector".</summary>
public sealed class FaceDetectorOptions
{
    /// <summary>A box below this confidence is dropped. Low on purpose: a false box blurs a patch of wall, a missed face is shown.</summary>
    public float MinScore { get; set; } = 0.5f;

    /// <summary>Two boxes overlapping by more than this (intersection over union) are one face.</summary>
    public float MergeOverlap { get; set; } = 0.3f;

    /// <summary>Tiles narrower than this many source pixels are not read (faces under about a tenth of it are missed).</summary>
    public int SmallestTile { get; set; } = 128;

    /// <summary>At most this many tiled levels below the whole image (each halves the tile).</summary>
    public int MaxLevels { get; set; } = 2;

    /// <summary>Threads one inference may use.</summary>
    public int Threads { get; set; } = Math.Min(2, Environment.ProcessorCount);
}
