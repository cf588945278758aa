using ConsentHub.Trust;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ConsentHub.Rollover;

/// <summary>Why a rollover ran.</summary>
public enum RolloverTrigger
{
    /// <summary>The trust's academic-year start date.</summary>
    YearStart = 0,

    /// <summary>An MIS import changed someone's year group.</summary>
    Import = 1,

    /// <summary>Staff set or cleared the sixth-form "also ask the parent" flag.</summary>
    AlsoAskParent = 2,

    /// <summary>Someone ran it from the page or the dashboard.</summary>
    Manual = 3,
}

/// <summary>
/// What one rollover run at one academy changed: pupils who now need a party they were never asked as (a Year 7's
/// own answer, a sixth-former's parent after the flag), the requests that created, and the open requests closed
/// because their party is no longer asked (a Year 12's parent). Ids only; the page shows names to those who may
/// see them. A run that changed nothing is still stored, so the office can see that it ran.
/// </summary>
public sealed class RolloverReport
{
    public Guid Id { get; set; }
    public Guid AcademyId { get; set; }
    public RolloverTrigger Trigger { get; set; }
    public required string RunBy { get; set; }
    public DateTimeOffset RanAt { get; set; }
    public int PupilsOnRoll { get; set; }

    /// <summary>Pupils whose own answer is now needed (moved to Year 7 or above) and who were never asked.</summary>
    public List<Guid> PupilNowAsked { get; set; } = [];

    /// <summary>Pupils whose parent is now needed (the sixth-form flag, or moved back below Year 12) and was never asked.</summary>
    public List<Guid> ParentNowAsked { get; set; } = [];

    /// <summary>Pupils whose parent is no longer asked (Year 12 without the flag) and had an open request, now closed.</summary>
    public List<Guid> ParentNoLongerAsked { get; set; } = [];

    /// <summary>Pupils whose own answer is no longer needed (moved below Year 7) and had an open request, now closed.</summary>
    public List<Guid> PupilNoLongerAsked { get; set; } = [];

    public Guid? IssueId { get; set; }
    public int RequestsCreated { get; set; }
    public int EmailsQueued { get; set; }
    public int OnPaper { get; set; }
    public int RequestsClosed { get; set; }

    public bool ChangedAnything => RequestsCreated > 0 || RequestsClosed > 0;
}

internal sealed class RolloverReportConfiguration : IEntityTypeConfiguration<RolloverReport>
{
    public void Configure(EntityTypeBuilder<RolloverReport> b)
    {
        b.ToTable("rollover_reports");
        b.Property(x => x.Trigger).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.RunBy).HasMaxLength(200);
        b.HasIndex(x => new { x.AcademyId, x.RanAt });
        b.HasOne<Academy>().WithMany().HasForeignKey(x => x.AcademyId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Requests.RequestIssue>().WithMany().HasForeignKey(x => x.IssueId).OnDelete(DeleteBehavior.Restrict);
    }
}
