using ConsentHub.Trust;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ConsentHub.Staff;

internal sealed class StaffUserConfiguration : IEntityTypeConfiguration<StaffUser>
{
    public void Configure(EntityTypeBuilder<StaffUser> b)
    {
        b.ToTable("staff_users");
        b.Property(x => x.DisplayName).HasMaxLength(200);
        b.HasMany(x => x.Assignments).WithOne().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        // Identity names these itself; name them like every other index in the schema.
        b.HasIndex(x => x.NormalizedUserName).HasDatabaseName("ix_staff_users_normalized_user_name").IsUnique();
        b.HasIndex(x => x.NormalizedEmail).HasDatabaseName("ix_staff_users_normalized_email");
    }
}

internal sealed class StaffRoleAssignmentConfiguration : IEntityTypeConfiguration<StaffRoleAssignment>
{
    public void Configure(EntityTypeBuilder<StaffRoleAssignment> b)
    {
        b.ToTable("staff_role_assignments", t => t.HasCheckConstraint("ck_staff_role_assignments_one_scope", "academy_id IS NULL OR region_id IS NULL"));
        b.Property(x => x.Role).HasMaxLength(40);
        b.Ignore(x => x.Level);
        b.HasIndex(x => new { x.UserId, x.Role, x.AcademyId, x.RegionId }).IsUnique().AreNullsDistinct(false);
        b.HasIndex(x => x.AcademyId);
        b.HasOne<Academy>().WithMany().HasForeignKey(x => x.AcademyId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Region>().WithMany().HasForeignKey(x => x.RegionId).OnDelete(DeleteBehavior.Restrict);
    }
}

// Identity's own tables, named for what they hold in the consenthub schema.
internal sealed class StaffUserClaimConfiguration : IEntityTypeConfiguration<IdentityUserClaim<Guid>>
{
    public void Configure(EntityTypeBuilder<IdentityUserClaim<Guid>> b)
    {
        b.ToTable("staff_user_claims");
        // Named before the table was renamed otherwise ("..._asp_net_users_...").
        b.HasOne<StaffUser>().WithMany().HasForeignKey(x => x.UserId).HasConstraintName("fk_staff_user_claims_staff_users_user_id");
    }
}

internal sealed class StaffUserLoginConfiguration : IEntityTypeConfiguration<IdentityUserLogin<Guid>>
{
    public void Configure(EntityTypeBuilder<IdentityUserLogin<Guid>> b) => b.ToTable("staff_user_logins");
}

internal sealed class StaffUserTokenConfiguration : IEntityTypeConfiguration<IdentityUserToken<Guid>>
{
    public void Configure(EntityTypeBuilder<IdentityUserToken<Guid>> b) => b.ToTable("staff_user_tokens");
}
