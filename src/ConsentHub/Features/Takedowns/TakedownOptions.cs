namespace ConsentHub.Takedowns;

/// <summary>Settings under "Takedowns".</summary>
public sealed class TakedownOptions
{
    public const string Section = "Takedowns";

    /// <summary>An open task older than this is escalated to the communications director(s), once.</summary>
    public TimeSpan OverdueAfter { get; set; } = TimeSpan.FromDays(2);

    /// <summary>
    /// Where escalations go when no staff account holds the CommunicationsDirector role (e.g. a shared mailbox).
    /// Empty: escalations wait until someone holds it, and a warning is logged.
    /// </summary>
    public string? EscalationAddress { get; set; }
}
