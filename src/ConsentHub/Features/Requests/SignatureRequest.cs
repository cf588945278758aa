using ConsentHub.Consent;
using ConsentHub.Pupils;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ConsentHub.Requests;

public enum RequestStatus
{
    Open = 0,
    Answered = 1,
    Cancelled = 2,
    Expired = 3,
}

/// <summary>The trust's form sent to one party about one pupil. Until one exists, a purpose is "not requested".</summary>
public sealed class SignatureRequest
{
    public Guid Id { get; set; }
    public Guid PupilId { get; set; }
    public Guid AcademyId { get; set; }
    public Guid FormVersionId { get; set; }
    public PartyKind PartyKind { get; set; }
    public Guid? ContactId { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public required string IssuedBy { get; set; }
    public DateOnly? Deadline { get; set; }
    public RequestStatus Status { get; set; }

    /// <summary>SHA-256 of the link token (<see cref="SigningSecrets"/>); the token itself is never stored.</summary>
    public required byte[] TokenHash { get; set; }

    /// <summary>The 8-character code printed on the paper form, for answering at /sign without the email.</summary>
    public required string ShortCode { get; set; }

    /// <summary>When the link and the short code stop working: the deadline plus the grace period.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>The issue (batch) that created it; null for requests made before batches were recorded.</summary>
    public Guid? IssueId { get; set; }

    /// <summary>How the form reached the party: by email, or on paper (no usable address, or the office chose paper).</summary>
    public RequestDelivery? Delivery { get; set; }

    /// <summary>When the request was closed without an answer because the party is no longer asked (e.g. a Year 12's parent).</summary>
    public DateTimeOffset? CancelledAt { get; set; }

    /// <summary>Why it was cancelled, in words the office reads; never personal data.</summary>
    public string? CancelReason { get; set; }
}

public enum RequestDelivery
{
    Email = 0,
    Paper = 1,
}

internal sealed class SignatureRequestConfiguration : IEntityTypeConfiguration<SignatureRequest>
{
    public void Configure(EntityTypeBuilder<SignatureRequest> b)
    {
        b.ToTable("signature_requests");
        b.Property(x => x.PartyKind).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.IssuedBy).HasMaxLength(200);
        b.HasIndex(x => new { x.PupilId, x.Status });
        // At most one open request per pupil and party, whichever form version or issue made it: issuing again to
        // an overlapping audience, or two people issuing at once, can never ask anyone twice. The pupil's own
        // request has no contact, hence NULLS NOT DISTINCT.
        b.HasIndex(x => new { x.PupilId, x.PartyKind, x.ContactId }, "ux_signature_requests_open_party")
            .IsUnique().HasFilter("status = 'Open'").AreNullsDistinct(false).HasDatabaseName("ux_signature_requests_open_party");
        // The office's list of open requests for an academy.
        b.HasIndex(x => new { x.AcademyId, x.Status, x.IssuedAt });
        // Monitoring: the requests an academy issued in a period, whatever became of them.
        b.HasIndex(x => new { x.AcademyId, x.IssuedAt });
        b.HasMany<ConsentAnswer>().WithOne().HasForeignKey(x => x.SignatureRequestId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.Delivery).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.CancelReason).HasMaxLength(200);
        b.HasOne<RequestIssue>().WithMany().HasForeignKey(x => x.IssueId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.TokenHash).HasMaxLength(32);
        b.HasIndex(x => x.TokenHash).IsUnique();
        b.Property(x => x.ShortCode).HasMaxLength(SigningSecrets.ShortCodeLength).IsFixedLength();
        b.HasIndex(x => x.ShortCode).IsUnique();
        b.HasOne<Pupil>().WithMany().HasForeignKey(x => x.PupilId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<FormVersion>().WithMany().HasForeignKey(x => x.FormVersionId).OnDelete(DeleteBehavior.Restrict);
    }
}
