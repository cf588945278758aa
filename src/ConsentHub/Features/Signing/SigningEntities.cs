using ConsentHub.Consent;
using ConsentHub.Pupils;
using ConsentHub.Requests;
using ConsentHub.Trust;
using ConsentHub.Trust.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ConsentHub.Signing;

/// <summary>
/// A long-lived "change or withdraw" link for one party about one pupil, sent with every receipt and on request
/// from /sign/lost. Like a request's link it is stored only as the SHA-256 of its token.
/// </summary>
public sealed class SignerLink
{
    public Guid Id { get; set; }
    public required byte[] TokenHash { get; set; }
    public Guid PupilId { get; set; }
    public Guid AcademyId { get; set; }
    public PartyKind PartyKind { get; set; }
    public Guid? ContactId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>What kind of online answer a submission was.</summary>
public enum SubmissionKind
{
    /// <summary>The answer to a signature request.</summary>
    Answer = 0,

    /// <summary>A change made from a change link.</summary>
    Change = 1,

    /// <summary>"Withdraw all" from a change link.</summary>
    WithdrawAll = 2,
}

/// <summary>
/// One online submission: the receipt. Its answers (one per purpose) point back to it. At most one per signature
/// request (a unique index), so a double submit can never record two sets of answers.
/// </summary>
public sealed class OnlineSubmission
{
    public Guid Id { get; set; }

    /// <summary>The receipt id people quote, e.g. "R-ACDE-FG23".</summary>
    public required string ReceiptNumber { get; set; }

    public Guid PupilId { get; set; }
    public Guid AcademyId { get; set; }
    public PartyKind PartyKind { get; set; }
    public Guid? ContactId { get; set; }
    public SubmissionKind Kind { get; set; }
    public Guid? SignatureRequestId { get; set; }
    public Guid? SignerLinkId { get; set; }
    public Guid FormVersionId { get; set; }

    /// <summary>The full name the signer typed; null for "withdraw all", which asks for nothing to type.</summary>
    public string? SignatureName { get; set; }
    public required string Language { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }
}

/// <summary>
/// Wrong dates of birth against one request or change link. Kept in the database, not in memory, so every app
/// instance sees the same count and the same lock.
/// </summary>
public sealed class SigningLockout
{
    /// <summary>The signature request's or the signer link's id.</summary>
    public Guid TargetId { get; set; }

    public int FailedAttempts { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class SignerLinkConfiguration : IEntityTypeConfiguration<SignerLink>
{
    public void Configure(EntityTypeBuilder<SignerLink> b)
    {
        b.ToTable("signer_links");
        b.Property(x => x.TokenHash).HasMaxLength(32);
        b.HasIndex(x => x.TokenHash).IsUnique();
        b.Property(x => x.PartyKind).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(x => new { x.PupilId, x.ContactId });
        b.HasOne<Pupil>().WithMany().HasForeignKey(x => x.PupilId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Contact>().WithMany().HasForeignKey(x => x.ContactId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OnlineSubmissionConfiguration : IEntityTypeConfiguration<OnlineSubmission>
{
    public void Configure(EntityTypeBuilder<OnlineSubmission> b)
    {
        b.ToTable("online_submissions");
        b.Property(x => x.ReceiptNumber).HasMaxLength(20);
        b.HasIndex(x => x.ReceiptNumber).IsUnique();
        b.Property(x => x.PartyKind).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.SignatureName).HasMaxLength(200);
        b.Property(x => x.Language).HasMaxLength(16);
        // One answer set per request, whatever the browser sends twice.
        b.HasIndex(x => x.SignatureRequestId).IsUnique().HasFilter("signature_request_id IS NOT NULL");
        b.HasIndex(x => new { x.SignerLinkId, x.SubmittedAt });
        b.HasOne<Pupil>().WithMany().HasForeignKey(x => x.PupilId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<SignatureRequest>().WithMany().HasForeignKey(x => x.SignatureRequestId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<SignerLink>().WithMany().HasForeignKey(x => x.SignerLinkId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<FormVersion>().WithMany().HasForeignKey(x => x.FormVersionId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany<ConsentAnswer>().WithOne().HasForeignKey(x => x.OnlineSubmissionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SigningLockoutConfiguration : IEntityTypeConfiguration<SigningLockout>
{
    public void Configure(EntityTypeBuilder<SigningLockout> b)
    {
        b.ToTable("signing_lockouts");
        b.HasKey(x => x.TargetId);
    }
}
