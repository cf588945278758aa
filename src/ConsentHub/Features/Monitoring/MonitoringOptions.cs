namespace ConsentHub.Monitoring;

/// <summary>Settings under "Monitoring".</summary>
public sealed class MonitoringOptions
{
    public const string Section = "Monitoring";

    /// <summary>The board report lists academies whose share of pupils allowed, for any purpose, is below this (0–1).</summary>
    public double CoverageThreshold { get; set; } = 0.8;

    /// <summary>How many days before a board meeting its report is e-mailed to the region's director.</summary>
    public int SendDaysBeforeBoard { get; set; } = 7;
}
