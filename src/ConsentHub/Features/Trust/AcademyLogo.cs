using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ConsentHub.Trust;

/// <summary>The academy's logo for its printed forms: a PNG or JPEG, kept apart so academy rows stay small.</summary>
public sealed class AcademyLogo
{
    public const int MaxBytes = 512 * 1024;

    /// <summary>Widest or tallest a logo may be, in pixels: far more than print needs.</summary>
    public const int MaxPixelSide = 4000;

    /// <summary>Most pixels in all (decoded at 4 bytes a pixel: 32 MB at worst).</summary>
    public const long MaxPixels = 8_000_000;

    public Guid AcademyId { get; set; }
    public required byte[] Content { get; set; }
    public required string ContentType { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
}

internal sealed class AcademyLogoConfiguration : IEntityTypeConfiguration<AcademyLogo>
{
    public void Configure(EntityTypeBuilder<AcademyLogo> b)
    {
        b.ToTable("academy_logos");
        b.HasKey(x => x.AcademyId);
        b.Property(x => x.ContentType).HasMaxLength(32);
        b.Property(x => x.UpdatedBy).HasMaxLength(200);
        b.HasOne<Academy>().WithOne().HasForeignKey<AcademyLogo>(x => x.AcademyId).OnDelete(DeleteBehavior.Cascade);
    }
}
