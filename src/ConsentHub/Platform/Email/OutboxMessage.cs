using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ConsentHub.Email;

public enum OutboxStatus
{
    Pending = 0,
    Sending = 1,
    Sent = 2,
    Failed = 3,

    /// <summary>Not sent and never will be: the request it was about was answered, cancelled or expired first.</summary>
    Cancelled = 4,
}

/// <summary>
/// One email to send. Features never talk to SMTP: they write a row here (in their own transaction) and the
/// outbox job sends it. <see cref="BusinessKey"/> makes writing twice harmless; <see cref="MessageId"/> is
/// derived from it, so a resend after a crash carries the same Message-ID.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }

    /// <summary>What this message is about, e.g. "reminder:{requestId}:2". Unique.</summary>
    public required string BusinessKey { get; set; }

    public required string MessageId { get; set; }
    public required string ToAddress { get; set; }
    public string? ToName { get; set; }
    public required string Subject { get; set; }
    public required string TextBody { get; set; }
    public string? HtmlBody { get; set; }

    /// <summary>Optional academy for scoping and reporting; null for trust-wide mail.</summary>
    public Guid? AcademyId { get; set; }

    /// <summary>
    /// The signature request this message asks to be answered (a request or reminder email). The drain sends it
    /// only while that request is still open, and a permanent failure puts the party on the follow-up list.
    /// </summary>
    public Guid? SignatureRequestId { get; set; }

    public OutboxStatus Status { get; set; } = OutboxStatus.Pending;
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? ClaimedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? LastError { get; set; }

    /// <summary>
    /// The message's secrets sealed with the Data Protection key ring (<see cref="OutboxSecrets"/>); the bodies hold
    /// placeholders. Wiped once the message is sent, fails for good or is cancelled.
    /// </summary>
    public string? SealedSecrets { get; set; }

    /// <summary>
    /// The advisory lock the drain run that claimed this row holds while it sends. When that run's database session
    /// is gone (its process was killed), the lock is free and the next drain takes the row back at once.
    /// </summary>
    public long? ClaimKey { get; set; }

    public List<OutboxAttachment> Attachments { get; set; } = [];
}

public sealed class OutboxAttachment
{
    public long Id { get; set; }
    public long OutboxMessageId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public required byte[] Content { get; set; }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("outbox_messages");
        b.HasKey(x => x.Id);
        b.Property(x => x.BusinessKey).HasMaxLength(200);
        b.HasIndex(x => x.BusinessKey).IsUnique();
        b.Property(x => x.MessageId).HasMaxLength(200);
        b.HasIndex(x => x.MessageId).IsUnique();
        b.Property(x => x.ToAddress).HasMaxLength(320);
        b.Property(x => x.ToName).HasMaxLength(200);
        b.Property(x => x.Subject).HasMaxLength(300);
        b.Property(x => x.LastError).HasMaxLength(2000);
        b.Property(x => x.SealedSecrets).HasMaxLength(8000);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        // The drain query: pending rows that are due, oldest first.
        b.HasIndex(x => new { x.Status, x.NextAttemptAt });
        // The chase's "which reminders has this request had" and the drain's cancellation of mail for closed requests.
        b.HasIndex(x => x.SignatureRequestId).HasFilter("signature_request_id IS NOT NULL");
        b.HasMany(x => x.Attachments).WithOne().HasForeignKey(a => a.OutboxMessageId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OutboxAttachmentConfiguration : IEntityTypeConfiguration<OutboxAttachment>
{
    public void Configure(EntityTypeBuilder<OutboxAttachment> b)
    {
        b.ToTable("outbox_attachments");
        b.Property(x => x.FileName).HasMaxLength(200);
        b.Property(x => x.ContentType).HasMaxLength(100);
    }
}
