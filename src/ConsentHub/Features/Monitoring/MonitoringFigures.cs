namespace ConsentHub.Monitoring;

/// <summary>Everything a dashboard shows for one scope, filter and period (and what the report prints).</summary>
public sealed record MonitoringFigures(
    MonitoringFilter Filter,
    IReadOnlyList<ScopedAcademy> Academies,
    CoverageFigures Coverage,
    ChasingFigures Chasing,
    TakedownFigures Takedowns,
    RegisterHealth Register,
    IReadOnlyList<PauseRow> Pauses);

public sealed record ScopedAcademy(Guid Id, string Name, Guid RegionId, string RegionName, string Phase);

/// <summary>Counts of pupils on roll for one purpose on one snapshot day.</summary>
public sealed record CoverageCounts(Guid PurposeId, string PurposeKey, string PurposeName, int Pupils, int Allowed, int NotAllowed, int Pending, int NotRequested,
    int Classes, int ClassesAllAllowed)
{
    /// <summary>Share of pupils who can appear in a class photo for this channel (Allowed), 0–1.</summary>
    public double AllowedShare => Pupils == 0 ? 0 : (double)Allowed / Pupils;

    /// <summary>Share of classes in which every pupil is Allowed: a whole-class photo can go out without anyone left out.</summary>
    public double ClassShare => Classes == 0 ? 0 : (double)ClassesAllAllowed / Classes;
}

/// <summary>The snapshot (a day) standing for a week or a term.</summary>
public sealed record CoveragePoint(string Label, DateOnly Day, IReadOnlyList<CoverageCounts> Purposes);

/// <summary>Coverage per academy at the end of the period (for exceptions and the per-academy appendix).</summary>
public sealed record AcademyCoverage(Guid AcademyId, string AcademyName, IReadOnlyList<CoverageCounts> Purposes);

public sealed record CoverageFigures(
    /// <summary>The last snapshot in the period (null when there is none yet).</summary>
    CoveragePoint? Latest,
    IReadOnlyList<CoveragePoint> Weeks,
    IReadOnlyList<CoveragePoint> Terms,
    IReadOnlyList<AcademyCoverage> ByAcademy);

public sealed record ChasingFigures(
    int Issued,
    int IssuedByEmail,
    int IssuedOnPaper,
    int Answered,
    int AnsweredOnline,
    int AnsweredOnPaper,
    int AnsweredByStaff,
    /// <summary>Email requests answered after k reminders had gone (index k: 0 = after the first email alone).</summary>
    IReadOnlyList<int> AnsweredAfterReminders,
    double? MedianHoursToAnswer,
    double? P90HoursToAnswer,
    int FollowUpsOpen,
    int FollowUpsAddedInPeriod,
    double? FollowUpMedianAgeDays,
    double? FollowUpOldestDays,
    IReadOnlyDictionary<string, int> FollowUpsByReason,
    int FailingAddresses,
    int FailingAddressesNewInPeriod)
{
    /// <summary>Cumulative share of email requests answered after the first email and after each reminder, 0–1.</summary>
    public IReadOnlyList<double> ResponseRates
    {
        get
        {
            var rates = new List<double>();
            var sum = 0;
            foreach (var n in AnsweredAfterReminders)
            {
                sum += n;
                rates.Add(IssuedByEmail == 0 ? 0 : (double)sum / IssuedByEmail);
            }
            return rates;
        }
    }
}

public sealed record TakedownCount(Guid Id, string Name, int Opened, int Done, int Overdue, int Escalated);

public sealed record TakedownFigures(int Opened, int Done, double? MedianHoursToDone, double? P90HoursToDone, int Overdue, int Escalated,
    IReadOnlyList<TakedownCount> ByAcademy, IReadOnlyList<TakedownCount> ByAccount);

public sealed record RegisterHealth(int OpenAccounts, int MissingSecondContact, int NonTrustDomain, int NoOwnerInPost)
{
    public int WithGaps { get; init; }
}

public sealed record PauseRow(Guid Id, string Scope, string Where, DateTimeOffset From, DateTimeOffset? Until, string Reason);
