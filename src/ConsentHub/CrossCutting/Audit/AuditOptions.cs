namespace ConsentHub.Audit;

/// <summary>Settings under "Audit" for the batched read log. The defaults suit thousands of checks a second.</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>
    /// Reads waiting to be written. At ~300 bytes each the default is a few megabytes: several seconds of peak
    /// traffic, enough to ride out a slow database moment without blocking requests.
    /// </summary>
    public int QueueCapacity { get; set; } = 20_000;

    /// <summary>A batch is written once it holds this many reads…</summary>
    public int MaxBatchSize { get; set; } = 500;

    /// <summary>…or this long after its first read arrived, whichever comes first.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How long a request waits for room when the queue is full before writing its read itself (see
    /// <see cref="AuditLog.RecordRead"/>). Zero: write at once.
    /// </summary>
    public TimeSpan FullQueueWait { get; set; } = TimeSpan.FromMilliseconds(250);

    internal static bool IsValid(AuditOptions o) =>
        o.QueueCapacity is >= 1 and <= 1_000_000
        && o.MaxBatchSize is >= 1 and <= 10_000
        && o.FlushInterval > TimeSpan.Zero && o.FlushInterval <= TimeSpan.FromSeconds(10)
        && o.FullQueueWait >= TimeSpan.Zero && o.FullQueueWait <= TimeSpan.FromSeconds(10);
}
