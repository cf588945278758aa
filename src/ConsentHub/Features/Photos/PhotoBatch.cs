using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ConsentHub.Photos;

/// <summary>
/// Many photos uploaded at once, processed by one background job one photo at a time. The page shows its progress
/// from here; a retried job skips the photos already done.
/// </summary>
public sealed class PhotoBatch
{
    public Guid Id { get; set; }
    public Guid AcademyId { get; set; }
    public required string UploadedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public int Total { get; set; }
    public int Processed { get; set; }
    public int Refused { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public List<PhotoBatchItem> Items { get; set; } = [];
}

public enum PhotoBatchItemState
{
    Waiting = 0,
    Uploaded = 1,
    Refused = 2,
}

/// <summary>One file of a batch: its bytes until it is processed (then dropped), and the photo it became.</summary>
public sealed class PhotoBatchItem
{
    public Guid BatchId { get; set; }
    public int Position { get; set; }

    /// <summary>Chosen when the file is staged, so a retry after a crash finds the photo it already made.</summary>
    public Guid PhotoId { get; set; }

    public byte[]? Content { get; set; }
    public PhotoBatchItemState State { get; set; }
    public int? Faces { get; set; }
    public string? Message { get; set; }
}

internal sealed class PhotoBatchConfiguration : IEntityTypeConfiguration<PhotoBatch>
{
    public void Configure(EntityTypeBuilder<PhotoBatch> b)
    {
        b.ToTable("photo_batches", t => t.HasCheckConstraint("ck_photo_batches_counts", "processed >= 0 AND refused >= 0 AND processed + refused <= total"));
        b.Property(x => x.UploadedBy).HasMaxLength(200);
        b.HasOne<Trust.Academy>().WithMany().HasForeignKey(x => x.AcademyId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.AcademyId, x.CreatedAt });
        b.HasMany(x => x.Items).WithOne().HasForeignKey(i => i.BatchId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PhotoBatchItemConfiguration : IEntityTypeConfiguration<PhotoBatchItem>
{
    public void Configure(EntityTypeBuilder<PhotoBatchItem> b)
    {
        b.ToTable("photo_batch_items");
        b.HasKey(x => new { x.BatchId, x.Position });
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Message).HasMaxLength(400);
        b.HasIndex(x => x.PhotoId).IsUnique();
    }
}
