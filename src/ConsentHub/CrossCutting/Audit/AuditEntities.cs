using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ConsentHub.Audit;

/// <summary>
/// One link of an academy's audit chain: Hash = SHA-256(PreviousHash ‖ canonical payload). Append-only (a trigger
/// rejects UPDATE and DELETE). Trust-wide events use the chain <see cref="AuditChain.Trust"/>.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public Guid ChainId { get; set; }
    public long Sequence { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public string? EntityType { get; set; }
    public string? EntityId { get; set; }
    public Guid? PupilId { get; set; }

    /// <summary>Canonical JSON of the event (what was viewed, changed or checked).</summary>
    public required string Payload { get; set; }

    public required byte[] PreviousHash { get; set; }
    public required byte[] Hash { get; set; }
}

/// <summary>The head of each chain: the row locked to serialise appends.</summary>
public sealed class AuditChainHead
{
    public Guid ChainId { get; set; }
    public long LastSequence { get; set; }
    public required byte[] LastHash { get; set; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("audit_entries");
        b.Property(x => x.Id).UseIdentityAlwaysColumn();
        b.HasIndex(x => new { x.ChainId, x.Sequence }).IsUnique();
        b.HasIndex(x => new { x.PupilId, x.At });
        b.Property(x => x.Actor).HasMaxLength(200);
        b.Property(x => x.Action).HasMaxLength(60);
        b.Property(x => x.EntityType).HasMaxLength(60);
        b.Property(x => x.EntityId).HasMaxLength(80);
        b.Property(x => x.Payload).HasColumnType("text");
    }
}

internal sealed class AuditChainHeadConfiguration : IEntityTypeConfiguration<AuditChainHead>
{
    public void Configure(EntityTypeBuilder<AuditChainHead> b)
    {
        b.ToTable("audit_chain_heads");
        b.HasKey(x => x.ChainId);
    }
}
