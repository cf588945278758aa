namespace ConsentHub.Trust;

/// <summary>Settings under "Trust": what the first start writes into the trust row when there is none yet.</summary>
public sealed class TrustOptions
{
    public const string Section = "Trust";

    public const string DefaultName = "The Trust";

    /// <summary>The trust's name as parents know it; staff can change the stored name later.</summary>
    public string Name { get; set; } = DefaultName;
}
