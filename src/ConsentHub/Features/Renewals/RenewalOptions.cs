namespace ConsentHub.Renewals;

/// <summary>Settings under "Renewals": when a grant that runs out is renewed.</summary>
public sealed class RenewalOptions
{
    public const string Section = "Renewals";

    /// <summary>Ask for renewal this many days before a grant stops counting.</summary>
    public int NoticeDays { get; set; } = 30;

    /// <summary>The deadline on a renewal request, in days after it is sent (kept before the grant runs out where it can be).</summary>
    public int DeadlineDays { get; set; } = 21;
}
