namespace ConsentHub.Rollover;

/// <summary>
/// Settings under "Rollover". The academic-year start date itself is a trust setting
/// (<see cref="Trust.TrustOrganisation.AcademicYearStartMonth"/>/Day, default 1 September, a UK date), shared with
/// the rules that end "until the end of the academic year" grants.
/// </summary>
public sealed class RolloverOptions
{
    public const string Section = "Rollover";

    /// <summary>The deadline on requests the rollover sends: this many days after the run.</summary>
    public int DeadlineDays { get; set; } = 14;
}
