using ConsentHub.Trust;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ConsentHub.Monitoring;

/// <summary>
/// One academy × purpose on one UK day: how many pupils on roll were Allowed / NotAllowed / Pending / NotRequested
/// at the snapshot, and how many classes could appear in a class photo for that purpose (every pupil Allowed).
/// Written by <see cref="TakeCoverageSnapshot"/>; the statuses come from the rule engine, which is stated once in
/// C#, so they are recorded daily rather than restated in SQL over the answer history.
/// </summary>
public sealed class CoverageSnapshot
{
    public DateOnly Day { get; set; }
    public Guid AcademyId { get; set; }
    public Guid PurposeId { get; set; }
    public int Pupils { get; set; }
    public int Allowed { get; set; }
    public int NotAllowed { get; set; }
    public int Pending { get; set; }
    public int NotRequested { get; set; }
    public int Classes { get; set; }
    public int ClassesAllAllowed { get; set; }
    public DateTimeOffset TakenAt { get; set; }
}

/// <summary>A Regional Performance Board meeting (§9.2): the report is e-mailed to the region's director a week before.</summary>
public sealed class BoardMeeting
{
    public Guid Id { get; set; }
    public Guid RegionId { get; set; }
    public DateOnly Date { get; set; }

    /// <summary>When the report for this board was sent (once).</summary>
    public DateTimeOffset? ReportSentAt { get; set; }
}

public enum MonitoringReportStatus
{
    Queued = 0,
    Running = 1,
    Ready = 2,
    Failed = 3,
}

/// <summary>A Regional Performance Board report asked for (or scheduled): a PDF per region, or for the trust.</summary>
public sealed class MonitoringReport
{
    public Guid Id { get; set; }

    /// <summary>The region reported on; null for the whole trust.</summary>
    public Guid? RegionId { get; set; }

    public DateOnly From { get; set; }
    public DateOnly To { get; set; }
    public MonitoringReportStatus Status { get; set; }

    /// <summary>0–100, shown while the job runs.</summary>
    public int Progress { get; set; }

    public byte[]? Pdf { get; set; }
    public int Pages { get; set; }
    public required string RequestedBy { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? Error { get; set; }
}

internal sealed class CoverageSnapshotConfiguration : IEntityTypeConfiguration<CoverageSnapshot>
{
    public void Configure(EntityTypeBuilder<CoverageSnapshot> b)
    {
        b.ToTable("coverage_snapshots");
        // The series read: a period's days for the academies in scope.
        b.HasKey(x => new { x.Day, x.AcademyId, x.PurposeId });
        b.HasIndex(x => new { x.AcademyId, x.Day });
        b.HasOne<Academy>().WithMany().HasForeignKey(x => x.AcademyId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Consent.Purpose>().WithMany().HasForeignKey(x => x.PurposeId).OnDelete(DeleteBehavior.Cascade);
        b.ToTable(t => t.HasCheckConstraint("ck_coverage_snapshots_sum", "allowed + not_allowed + pending + not_requested = pupils"));
    }
}

internal sealed class BoardMeetingConfiguration : IEntityTypeConfiguration<BoardMeeting>
{
    public void Configure(EntityTypeBuilder<BoardMeeting> b)
    {
        b.ToTable("board_meetings");
        b.HasIndex(x => new { x.RegionId, x.Date }).IsUnique();
        b.HasOne<Region>().WithMany().HasForeignKey(x => x.RegionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MonitoringReportConfiguration : IEntityTypeConfiguration<MonitoringReport>
{
    public void Configure(EntityTypeBuilder<MonitoringReport> b)
    {
        b.ToTable("monitoring_reports");
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.RequestedBy).HasMaxLength(200);
        b.Property(x => x.Error).HasMaxLength(500);
        b.HasIndex(x => new { x.RegionId, x.RequestedAt });
        b.HasOne<Region>().WithMany().HasForeignKey(x => x.RegionId).OnDelete(DeleteBehavior.Cascade);
    }
}
