using ConsentHub.Consent;
using ConsentHub.Pupils;
using ConsentHub.Requests;
using ConsentHub.Trust;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ConsentHub.Chasing;

/// <summary>Why a party is on the office follow-up list.</summary>
public enum FollowUpReason
{
    /// <summary>Every reminder went and there is still no answer.</summary>
    NoAnswer = 0,

    /// <summary>Mail to the party's address fails (a 5xx reply, or it kept failing).</summary>
    EmailFailing = 1,

    /// <summary>There is no usable email address: the form went on paper.</summary>
    NoEmail = 2,
}

public enum FollowUpActionKind
{
    PaperFormSent = 0,
    Phoned = 1,
    Resolved = 2,
}

/// <summary>
/// One party the office should reach another way (phone them, send paper): at most one per signature request. It
/// leaves the list when the request is answered, cancelled or expires, or when someone marks it resolved.
/// </summary>
public sealed class FollowUp
{
    public Guid Id { get; set; }
    public Guid AcademyId { get; set; }
    public Guid SignatureRequestId { get; set; }
    public Guid PupilId { get; set; }
    public PartyKind PartyKind { get; set; }
    public Guid? ContactId { get; set; }
    public FollowUpReason Reason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public string? ResolvedBy { get; set; }
    public List<FollowUpAction> Actions { get; set; } = [];
}

/// <summary>What a named member of staff did about a follow-up, and when.</summary>
public sealed class FollowUpAction
{
    public long Id { get; set; }
    public Guid FollowUpId { get; set; }
    public FollowUpActionKind Kind { get; set; }
    public string? Note { get; set; }
    public required string By { get; set; }
    public DateTimeOffset At { get; set; }
}

internal sealed class FollowUpConfiguration : IEntityTypeConfiguration<FollowUp>
{
    public void Configure(EntityTypeBuilder<FollowUp> b)
    {
        b.ToTable("follow_ups");
        b.Property(x => x.PartyKind).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Reason).HasConversion<string>().HasMaxLength(24);
        b.Property(x => x.ResolvedBy).HasMaxLength(200);
        // One per request: the chase and the drain both add with ON CONFLICT DO NOTHING.
        b.HasIndex(x => x.SignatureRequestId).IsUnique();
        // The office's list: open items at one academy, oldest first.
        b.HasIndex(x => new { x.AcademyId, x.CreatedAt }).HasFilter("resolved_at IS NULL");
        b.HasOne<SignatureRequest>().WithMany().HasForeignKey(x => x.SignatureRequestId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Pupil>().WithMany().HasForeignKey(x => x.PupilId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Academy>().WithMany().HasForeignKey(x => x.AcademyId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Actions).WithOne().HasForeignKey(a => a.FollowUpId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class FollowUpActionConfiguration : IEntityTypeConfiguration<FollowUpAction>
{
    public void Configure(EntityTypeBuilder<FollowUpAction> b)
    {
        b.ToTable("follow_up_actions");
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(24);
        b.Property(x => x.Note).HasMaxLength(500);
        b.Property(x => x.By).HasMaxLength(200);
    }
}
