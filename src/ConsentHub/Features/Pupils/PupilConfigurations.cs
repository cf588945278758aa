using ConsentHub.Consent;
using ConsentHub.Trust;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ConsentHub.Pupils;

internal sealed class PupilConfiguration : IEntityTypeConfiguration<Pupil>
{
    public void Configure(EntityTypeBuilder<Pupil> b)
    {
        b.ToTable("pupils");
        b.Property(x => x.MisId).HasMaxLength(40);
        b.HasIndex(x => new { x.AcademyId, x.MisId }).IsUnique();
        b.Property(x => x.LegalFirstName).HasMaxLength(100);
        b.Property(x => x.LegalLastName).HasMaxLength(100);
        b.Property(x => x.PreferredFirstName).HasMaxLength(100);
        b.Property(x => x.PreferredLastName).HasMaxLength(100);
        b.Property(x => x.RegistrationGroup).HasMaxLength(40);
        b.Property(x => x.SchoolEmail).HasMaxLength(320);
        b.Property(x => x.AlsoAskParentReason).HasMaxLength(1000);
        // Rosters: an academy's class or year group.
        b.HasIndex(x => new { x.AcademyId, x.RegistrationGroup });
        b.HasIndex(x => new { x.AcademyId, x.YearGroup });
        b.HasOne<Academy>().WithMany().HasForeignKey(x => x.AcademyId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Contacts).WithOne().HasForeignKey(x => x.PupilId).OnDelete(DeleteBehavior.Cascade);
        // The consent tables' keys to the pupil, declared here so that Consent names no feature above it.
        b.HasMany<ConsentAnswer>().WithOne().HasForeignKey(x => x.PupilId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany<CurrentAnswer>().WithOne().HasForeignKey(x => x.PupilId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(x => x.FirstName);
        b.Ignore(x => x.LastName);
        b.Ignore(x => x.DisplayName);
    }
}

internal sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> b)
    {
        b.ToTable("contacts");
        b.Property(x => x.Title).HasMaxLength(20);
        b.Property(x => x.FirstName).HasMaxLength(100);
        b.Property(x => x.LastName).HasMaxLength(100);
        b.Property(x => x.Email).HasMaxLength(320);
        b.Property(x => x.Phone).HasMaxLength(40);
        b.Property(x => x.PreferredLanguage).HasMaxLength(16);
        b.Property(x => x.EmailFailingReason).HasMaxLength(500);
        b.HasIndex(x => x.Email);
        b.HasMany<ConsentAnswer>().WithOne().HasForeignKey(x => x.ContactId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(x => x.DisplayName);
    }
}

internal sealed class PupilContactConfiguration : IEntityTypeConfiguration<PupilContact>
{
    public void Configure(EntityTypeBuilder<PupilContact> b)
    {
        b.ToTable("pupil_contacts");
        b.HasKey(x => new { x.PupilId, x.ContactId });
        b.Property(x => x.Relationship).HasMaxLength(60);
        b.HasOne(x => x.Contact).WithMany().HasForeignKey(x => x.ContactId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.ContactId);
    }
}

internal sealed class SafeguardingFlagConfiguration : IEntityTypeConfiguration<SafeguardingFlag>
{
    public void Configure(EntityTypeBuilder<SafeguardingFlag> b)
    {
        b.ToTable("safeguarding_flags");
        b.Property(x => x.Reason).HasMaxLength(2000);
        b.Property(x => x.SetBy).HasMaxLength(200);
        b.Property(x => x.ClearedBy).HasMaxLength(200);
        // At most one active flag per pupil; the checks read only "is there an active one".
        b.HasIndex(x => x.PupilId).IsUnique().HasFilter("cleared_at IS NULL");
        b.HasOne<Pupil>().WithMany().HasForeignKey(x => x.PupilId).OnDelete(DeleteBehavior.Cascade);
    }
}
