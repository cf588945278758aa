using ConsentHub.Consent;

namespace ConsentHub.Trust;

/// <summary>The one trust this deployment serves, with its trust-wide consent settings.</summary>
public sealed class TrustOrganisation
{
    public Guid Id { get; set; }
    public required string Name { get; set; }

    /// <summary>Email domains the trust owns (e.g. "e-act.org.uk"); administrative contacts must use one.</summary>
    public List<string> EmailDomains { get; set; } = [];

    /// <summary>Whether every holder of parental responsibility must agree (default: one suffices).</summary>
    public bool RequireEveryParentalResponsibilityHolder { get; set; }

    public int AcademicYearStartMonth { get; set; } = 9;
    public int AcademicYearStartDay { get; set; } = 1;

    /// <summary>Chasing (see <see cref="ChaseSettings"/>): what the reminder days count from.</summary>
    public ChaseAnchor ChaseAnchor { get; set; }

    public List<int> ChaseOffsetsDays { get; set; } = [3, 7, 14];
    public TimeOnly ChaseQuietFrom { get; set; } = new(21, 0);
    public TimeOnly ChaseQuietUntil { get; set; } = new(7, 0);
    public bool ChaseSkipWeekends { get; set; }
    public int ChaseFollowUpAfterDays { get; set; } = 2;

    public ChaseSettings ChaseSettings => new(ChaseAnchor, ChaseOffsetsDays, ChaseQuietFrom, ChaseQuietUntil, ChaseSkipWeekends, ChaseFollowUpAfterDays);
}

public sealed class Region
{
    public Guid Id { get; set; }
    public Guid TrustId { get; set; }
    public required string Name { get; set; }
    public List<Academy> Academies { get; set; } = [];
}

public enum AcademyPhase
{
    Primary = 0,
    Secondary = 1,
    AllThrough = 2,
    Special = 3,
    AlternativeProvision = 4,
}

public sealed class Academy
{
    public Guid Id { get; set; }
    public Guid RegionId { get; set; }
    public Region? Region { get; set; }

    /// <summary>The DfE unique reference number (URN) or another code the trust uses.</summary>
    public required string Code { get; set; }

    public required string Name { get; set; }
    public AcademyPhase Phase { get; set; }
    public int LowestYear { get; set; } = YearGroup.Nursery1.Value;
    public int HighestYear { get; set; } = 6;

    /// <summary>The school office's telephone number, shown to families on the signing pages (e.g. when locked out).</summary>
    public string? OfficePhone { get; set; }

    /// <summary>The school office's email address, shown to families beside <see cref="OfficePhone"/>.</summary>
    public string? OfficeEmail { get; set; }

    public bool Teaches(YearGroup year) => year.Value >= LowestYear && year.Value <= HighestYear;
}

public enum PauseScope
{
    Academy = 0,
    Region = 1,
    Trust = 2,
}

/// <summary>§4.7: no posting on trust-affiliated accounts for a period, e.g. during a crisis at an academy.</summary>
public sealed class PostingPause
{
    public Guid Id { get; set; }
    public PauseScope Scope { get; set; }

    /// <summary>The academy or region paused; null for the whole trust.</summary>
    public Guid? ScopeId { get; set; }

    public DateTimeOffset From { get; set; }

    /// <summary>When posting may resume (exclusive); null until further notice. Lifting early sets it to the lift time.</summary>
    public DateTimeOffset? Until { get; set; }

    /// <summary>Why: for the people who manage pauses only, never shown to teachers or sent in emails.</summary>
    public required string Reason { get; set; }
    public required string SetBy { get; set; }
    public DateTimeOffset SetAt { get; set; }

    /// <summary>Set when someone ended the pause before its planned end (or cancelled it before it began).</summary>
    public DateTimeOffset? LiftedAt { get; set; }
    public string? LiftedBy { get; set; }

    /// <summary>When the administrative contacts were told the pause had begun; null until then (the notice job's marker).</summary>
    public DateTimeOffset? StartNoticeAt { get; set; }

    /// <summary>When they were told posting may resume; null until then.</summary>
    public DateTimeOffset? EndNoticeAt { get; set; }
}
