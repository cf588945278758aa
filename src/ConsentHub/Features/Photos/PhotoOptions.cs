namespace ConsentHub.Photos;

/// <summary>Settings under "Photos".</summary>
public sealed class PhotoOptions
{
    public const string Section = "Photos";

    /// <summary>The largest upload accepted, in bytes.</summary>
    public long MaxBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>The most pixels an upload may have (read from its header before it is decoded).</summary>
    public long MaxPixels { get; set; } = 50_000_000;

    /// <summary>An unpublished photo and its exports are deleted this many days after upload.</summary>
    public int KeepUnpublishedDays { get; set; } = 30;

    /// <summary>A many-photo upload's progress rows are deleted this many days after it finished (or, never finished, began).</summary>
    public int KeepFinishedBatchDays { get; set; } = 7;

    public FaceDetectorOptions Detector { get; set; } = new();

    internal PhotoFile.Limits Limits => new(MaxBytes, MaxPixels, 12_000);
}
