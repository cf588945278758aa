using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ConsentHub.Photos;

/// <summary>
/// A camera, phone or tablet the trust owns (policy §6.4: photos of pupils are taken on trust-owned equipment). A
/// photo whose EXIF names a device that is not here is flagged to the uploader and in the post register report.
/// </summary>
public sealed class PhotoDevice
{
    public const int MaxLength = 100;

    public Guid Id { get; set; }

    /// <summary>As the camera writes it in EXIF (e.g. "Apple", "Canon").</summary>
    public required string Make { get; set; }

    /// <summary>As the camera writes it in EXIF (e.g. "iPhone 13", "Canon EOS 250D").</summary>
    public required string Model { get; set; }

    /// <summary>The body serial EXIF carries (most cameras; phones rarely do). Null matches any of that make and model.</summary>
    public string? Serial { get; set; }

    /// <summary>Who holds it, e.g. "North Primary office iPad 2".</summary>
    public string? OwnerLabel { get; set; }

    public required string AddedBy { get; set; }
    public DateTimeOffset AddedAt { get; set; }
    public string? RemovedBy { get; set; }
    public DateTimeOffset? RemovedAt { get; set; }
}

internal sealed class PhotoDeviceConfiguration : IEntityTypeConfiguration<PhotoDevice>
{
    public void Configure(EntityTypeBuilder<PhotoDevice> b)
    {
        b.ToTable("photo_devices", t =>
        {
            t.HasCheckConstraint("ck_photo_devices_serial_or_label", "serial IS NOT NULL OR owner_label IS NOT NULL");
            t.HasCheckConstraint("ck_photo_devices_make_model", "length(btrim(make)) > 0 AND length(btrim(model)) > 0");
        });
        b.Property(x => x.Make).HasMaxLength(PhotoDevice.MaxLength);
        b.Property(x => x.Model).HasMaxLength(PhotoDevice.MaxLength);
        b.Property(x => x.Serial).HasMaxLength(PhotoDevice.MaxLength);
        b.Property(x => x.OwnerLabel).HasMaxLength(PhotoDevice.MaxLength);
        b.Property(x => x.AddedBy).HasMaxLength(200);
        b.Property(x => x.RemovedBy).HasMaxLength(200);
        // One entry per serial among the devices in use.
        b.HasIndex(x => new { x.Make, x.Model, x.Serial }).IsUnique().HasFilter("removed_at IS NULL AND serial IS NOT NULL");
    }
}
