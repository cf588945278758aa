using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ConsentHub.PaperReturns;

/// <summary>
/// A scan of a signed paper form, kept as evidence for the answers recorded from it (UK GDPR Art. 7(1)): the bytes,
/// their SHA-256 and the type read from the content itself, never from the file name.
/// </summary>
public sealed class PaperScan
{
    public const int MaxBytes = 10 * 1024 * 1024;

    public Guid Id { get; set; }
    public Guid PupilId { get; set; }
    public Guid AcademyId { get; set; }
    public Guid? RequestId { get; set; }
    public required string ContentType { get; set; }
    public required byte[] Sha256 { get; set; }
    public int Size { get; set; }
    public required byte[] Content { get; set; }
    public required string UploadedBy { get; set; }
    public DateTimeOffset UploadedAt { get; set; }

    /// <summary>What an answer recorded from this scan keeps in its scan reference.</summary>
    public string Reference => "scan:" + Id.ToString("N");
}

internal sealed class PaperScanConfiguration : IEntityTypeConfiguration<PaperScan>
{
    public void Configure(EntityTypeBuilder<PaperScan> b)
    {
        b.ToTable("paper_scans");
        b.Property(x => x.ContentType).HasMaxLength(32);
        b.Property(x => x.Sha256).HasMaxLength(32);
        b.Property(x => x.UploadedBy).HasMaxLength(200);
        b.HasIndex(x => x.PupilId);
        b.HasOne<Pupils.Pupil>().WithMany().HasForeignKey(x => x.PupilId).OnDelete(DeleteBehavior.Cascade);
    }
}
