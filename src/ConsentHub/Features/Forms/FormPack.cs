using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ConsentHub.Forms;

public enum FormPackStatus
{
    Queued = 0,
    Running = 1,
    Ready = 2,
    Failed = 3,
}

/// <summary>
/// A printable pack of consent forms for a class, a year group or an academy, built by a background job. The PDF
/// is kept for <see cref="Lifetime"/> (it names children and parents), then deleted.
/// </summary>
public sealed class FormPack
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    public Guid Id { get; set; }
    public Guid AcademyId { get; set; }
    public int? YearGroup { get; set; }
    public string? RegistrationGroup { get; set; }

    /// <summary>Only the parties the office must send paper to (no usable email); otherwise everyone asked.</summary>
    public bool OnlyWithoutEmail { get; set; }

    public required string Description { get; set; }
    public required string RequestedBy { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public FormPackStatus Status { get; set; }
    public int Total { get; set; }
    public int Done { get; set; }
    public int Pages { get; set; }
    public byte[]? Content { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

internal sealed class FormPackConfiguration : IEntityTypeConfiguration<FormPack>
{
    public void Configure(EntityTypeBuilder<FormPack> b)
    {
        b.ToTable("form_packs");
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.RegistrationGroup).HasMaxLength(20);
        b.Property(x => x.Description).HasMaxLength(300);
        b.Property(x => x.RequestedBy).HasMaxLength(200);
        b.Property(x => x.Error).HasMaxLength(1000);
        b.HasIndex(x => new { x.AcademyId, x.RequestedAt });
        b.HasIndex(x => x.ExpiresAt);
        b.HasOne<Trust.Academy>().WithMany().HasForeignKey(x => x.AcademyId).OnDelete(DeleteBehavior.Cascade);
    }
}
