using ConsentHub.Consent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ConsentHub.Trust;

internal sealed class TrustConfiguration : IEntityTypeConfiguration<TrustOrganisation>
{
    public void Configure(EntityTypeBuilder<TrustOrganisation> b)
    {
        b.ToTable("trusts");
        b.Property(x => x.Name).HasMaxLength(200);
        // The database gives a row written without them the defaults of ChaseSettings.Default (column defaults kept from the baseline).
        b.Property(x => x.ChaseAnchor).HasConversion<string>().HasMaxLength(24);
        b.Ignore(x => x.ChaseSettings);
    }
}

internal sealed class RegionConfiguration : IEntityTypeConfiguration<Region>
{
    public void Configure(EntityTypeBuilder<Region> b)
    {
        b.ToTable("regions");
        b.Property(x => x.Name).HasMaxLength(200);
        b.HasIndex(x => new { x.TrustId, x.Name }).IsUnique();
        b.HasOne<TrustOrganisation>().WithMany().HasForeignKey(x => x.TrustId);
    }
}

internal sealed class AcademyConfiguration : IEntityTypeConfiguration<Academy>
{
    public void Configure(EntityTypeBuilder<Academy> b)
    {
        b.ToTable("academies", t =>
        {
            // As SaveAcademy checks them: digits with spaces, +, brackets and dashes; one address with one @.
            t.HasCheckConstraint("ck_academies_office_phone", "office_phone ~ '^[0-9 +()-]+$' AND office_phone ~ '([0-9][^0-9]*){6}'");
            t.HasCheckConstraint("ck_academies_office_email", "office_email ~ '^[^@[:space:]]+@[^@[:space:]]+$'");
        });
        b.Property(x => x.Code).HasMaxLength(20);
        b.HasIndex(x => x.Code).IsUnique();
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.OfficePhone).HasMaxLength(SaveAcademy.MaxPhoneLength);
        b.Property(x => x.OfficeEmail).HasMaxLength(SaveAcademy.MaxEmailLength);
        b.Property(x => x.Phase).HasConversion<string>().HasMaxLength(24);
        b.HasOne(x => x.Region).WithMany(r => r.Academies).HasForeignKey(x => x.RegionId);
        b.HasMany<ConsentAnswer>().WithOne().HasForeignKey(x => x.AcademyId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PostingPauseConfiguration : IEntityTypeConfiguration<PostingPause>
{
    public void Configure(EntityTypeBuilder<PostingPause> b)
    {
        b.ToTable("posting_pauses");
        b.Property(x => x.Scope).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Reason).HasMaxLength(1000);
        b.Property(x => x.SetBy).HasMaxLength(200);
        b.Property(x => x.LiftedBy).HasMaxLength(200);
        b.HasIndex(x => new { x.Scope, x.ScopeId, x.From });
        b.ToTable(t =>
        {
            t.HasCheckConstraint("ck_posting_pauses_until_after_from", "until IS NULL OR until >= \"from\"");
            t.HasCheckConstraint("ck_posting_pauses_scope_id", "(scope = 'Trust') = (scope_id IS NULL)");
        });
    }
}
