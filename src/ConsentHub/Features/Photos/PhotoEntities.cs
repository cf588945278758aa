using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ConsentHub.Photos;

/// <summary>
/// An uploaded photo of an academy. The pixels live behind <see cref="IMediaStore"/>; this row holds what is needed
/// to find, scope and expire it. No file name (names can say who is in a photo), no face data: only where faces are.
/// </summary>
public sealed class Photo
{
    public Guid Id { get; set; }
    public Guid AcademyId { get; set; }
    public required string ContentType { get; set; }
    public int ByteSize { get; set; }

    /// <summary>Upright size (after the EXIF orientation), the space every face box is in.</summary>
    public int Width { get; set; }

    public int Height { get; set; }
    public required byte[] Sha256 { get; set; }

    public required string UploadedBy { get; set; }
    public DateTimeOffset UploadedAt { get; set; }

    /// <summary>Set when a post in the register uses an export of this photo; a published photo is kept.</summary>
    public DateTimeOffset? PublishedAt { get; set; }

    /// <summary>The camera the file's EXIF names (make, model, body serial), checked against the device register.</summary>
    public string? CameraMake { get; set; }

    public string? CameraModel { get; set; }
    public string? CameraSerial { get; set; }

    public List<PhotoFace> Faces { get; set; } = [];
}

public enum FaceSource
{
    Detected = 0,
    Drawn = 1,
}

public enum FaceTag
{
    /// <summary>Nobody has said who this is: always hidden.</summary>
    Untagged = 0,

    /// <summary>A pupil of the academy's roster: shown only when that pupil is Allowed for the use.</summary>
    Pupil = 1,

    /// <summary>An adult or visitor, not a pupil: shown.</summary>
    NotAPupil = 2,

    /// <summary>The member of staff does not know: hidden.</summary>
    DontKnow = 3,
}

/// <summary>A box where a face is (found or drawn), and who the member of staff said it is. Never any face data.</summary>
public sealed class PhotoFace
{
    public Guid Id { get; set; }
    public Guid PhotoId { get; set; }
    public int X { get; set; }
    public int Y { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }
    public FaceSource Source { get; set; }
    public float? Score { get; set; }
    public FaceTag Tag { get; set; }

    /// <summary>Set only with <see cref="FaceTag.Pupil"/>; a purged pupil leaves the face untagged (null), so hidden.</summary>
    public Guid? PupilId { get; set; }

    public string? TaggedBy { get; set; }
    public DateTimeOffset? TaggedAt { get; set; }

    public FaceBox Box => new(X, Y, Width, Height, Score ?? 1f);
}

/// <summary>One safe export: for which use, who made it, which pupils it shows and hides, and the file itself.</summary>
public sealed class PhotoExport
{
    public Guid Id { get; set; }
    public Guid PhotoId { get; set; }
    public Guid AcademyId { get; set; }
    public Guid PurposeId { get; set; }
    public Guid? AccountId { get; set; }
    public List<Guid> ShownPupilIds { get; set; } = [];
    public List<Guid> HiddenPupilIds { get; set; } = [];
    public int HiddenFaces { get; set; }
    public required string ExportedBy { get; set; }
    public DateTimeOffset ExportedAt { get; set; }
    public required byte[] Content { get; set; }
    public required byte[] Sha256 { get; set; }
}

/// <summary>A publication in the post register: the step that ties pupils to a post on an account.</summary>
public sealed class PhotoPost
{
    public Guid Id { get; set; }
    public Guid AcademyId { get; set; }
    public Guid AccountId { get; set; }
    public required string Url { get; set; }
    public DateOnly PostedOn { get; set; }
    public required string RecordedBy { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public List<PhotoPostImage> Images { get; set; } = [];
    public List<PhotoPostPupil> Pupils { get; set; } = [];
}

public sealed class PhotoPostImage
{
    public Guid PostId { get; set; }
    public Guid ExportId { get; set; }
}

/// <summary>A pupil shown in a post (from its exports), so a withdrawal finds the posts to take down by index.</summary>
public sealed class PhotoPostPupil
{
    public Guid PostId { get; set; }
    public Guid PupilId { get; set; }
}

/// <summary>The bytes of an original photo, in PostgreSQL (<see cref="PostgresMediaStore"/>).</summary>
public sealed class PhotoOriginal
{
    public Guid PhotoId { get; set; }
    public Guid AcademyId { get; set; }
    public required byte[] Content { get; set; }
}

internal sealed class PhotoConfiguration : IEntityTypeConfiguration<Photo>
{
    public void Configure(EntityTypeBuilder<Photo> b)
    {
        b.ToTable("photos");
        b.Property(x => x.ContentType).HasMaxLength(32);
        b.Property(x => x.Sha256).HasMaxLength(32);
        b.Property(x => x.UploadedBy).HasMaxLength(200);
        b.Property(x => x.CameraMake).HasMaxLength(PhotoDevice.MaxLength);
        b.Property(x => x.CameraModel).HasMaxLength(PhotoDevice.MaxLength);
        b.Property(x => x.CameraSerial).HasMaxLength(PhotoDevice.MaxLength);
        b.HasOne<Trust.Academy>().WithMany().HasForeignKey(x => x.AcademyId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.AcademyId, x.UploadedAt });
        // The retention job's scan: unpublished photos by age.
        b.HasIndex(x => x.UploadedAt).HasFilter("published_at IS NULL");
        b.HasMany(x => x.Faces).WithOne().HasForeignKey(f => f.PhotoId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PhotoFaceConfiguration : IEntityTypeConfiguration<PhotoFace>
{
    public void Configure(EntityTypeBuilder<PhotoFace> b)
    {
        b.ToTable("photo_faces", t =>
        {
            t.HasCheckConstraint("ck_photo_faces_box", "x >= 0 AND y >= 0 AND width > 0 AND height > 0");
            t.HasCheckConstraint("ck_photo_faces_pupil_only_when_tagged", "pupil_id IS NULL OR tag = 'Pupil'");
        });
        b.Property(x => x.Source).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Tag).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.TaggedBy).HasMaxLength(200);
        b.Ignore(x => x.Box);
        b.HasIndex(x => x.PhotoId);
        b.HasIndex(x => x.PupilId).HasFilter("pupil_id IS NOT NULL");
        b.HasOne<Pupils.Pupil>().WithMany().HasForeignKey(x => x.PupilId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class PhotoExportConfiguration : IEntityTypeConfiguration<PhotoExport>
{
    public void Configure(EntityTypeBuilder<PhotoExport> b)
    {
        b.ToTable("photo_exports");
        b.Property(x => x.ExportedBy).HasMaxLength(200);
        b.Property(x => x.Sha256).HasMaxLength(32);
        b.HasOne<Photo>().WithMany().HasForeignKey(x => x.PhotoId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Consent.Purpose>().WithMany().HasForeignKey(x => x.PurposeId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Trust.Accounts.AffiliatedAccount>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.PhotoId);
    }
}

internal sealed class PhotoPostConfiguration : IEntityTypeConfiguration<PhotoPost>
{
    public void Configure(EntityTypeBuilder<PhotoPost> b)
    {
        b.ToTable("photo_posts");
        b.Property(x => x.Url).HasMaxLength(RecordPost.MaxUrlLength);
        b.Property(x => x.RecordedBy).HasMaxLength(200);
        b.HasOne<Trust.Academy>().WithMany().HasForeignKey(x => x.AcademyId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Trust.Accounts.AffiliatedAccount>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.AcademyId, x.PostedOn });
        b.HasMany(x => x.Images).WithOne().HasForeignKey(i => i.PostId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Pupils).WithOne().HasForeignKey(i => i.PostId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany<Takedowns.TakedownTask>().WithOne().HasForeignKey(x => x.PostId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PhotoPostImageConfiguration : IEntityTypeConfiguration<PhotoPostImage>
{
    public void Configure(EntityTypeBuilder<PhotoPostImage> b)
    {
        b.ToTable("photo_post_images");
        b.HasKey(x => new { x.PostId, x.ExportId });
        // A published export is kept: the photo's retention skips published photos.
        b.HasOne<PhotoExport>().WithMany().HasForeignKey(x => x.ExportId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PhotoPostPupilConfiguration : IEntityTypeConfiguration<PhotoPostPupil>
{
    public void Configure(EntityTypeBuilder<PhotoPostPupil> b)
    {
        b.ToTable("photo_post_pupils");
        b.HasKey(x => new { x.PostId, x.PupilId });
        b.HasIndex(x => x.PupilId);
        b.HasOne<Pupils.Pupil>().WithMany().HasForeignKey(x => x.PupilId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PhotoOriginalConfiguration : IEntityTypeConfiguration<PhotoOriginal>
{
    public void Configure(EntityTypeBuilder<PhotoOriginal> b)
    {
        b.ToTable("photo_originals");
        b.HasKey(x => x.PhotoId);
        b.HasIndex(x => x.AcademyId);
    }
}
