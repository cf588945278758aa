namespace ConsentHub.Retention;

/// <summary>Settings under "Retention". The default and where it comes from: docs/RETENTION.md.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>A leaver's records are purged this many whole years after their leaving date.</summary>
    public int YearsAfterLeaving { get; set; } = 6;

    /// <summary>Pupils purged per transaction.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>Off: the recurring job only writes the dry-run report, and nothing is purged until the trust turns it on.</summary>
    public bool PurgeEnabled { get; set; } = true;
}
