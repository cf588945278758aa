using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ConsentHub.Staff;

/// <summary>
/// One signed-in browser session of a member of staff. The sign-in cookie carries <see cref="Id"/>, and every request
/// and every open page's revalidation looks the row up: signing out deletes it, and so does every change to the
/// account's access (signed out everywhere, disabled, a role given or taken away), so every earlier cookie of those
/// sessions fails at once on every instance. A row is removed when its session ends; rows of sessions that simply
/// expired are swept at the person's next sign-in.
/// </summary>
public sealed class StaffSession
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public DateTimeOffset StartedAt { get; set; }
}

internal sealed class StaffSessionConfiguration : IEntityTypeConfiguration<StaffSession>
{
    public void Configure(EntityTypeBuilder<StaffSession> b)
    {
        b.ToTable("staff_sessions");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.HasIndex(x => x.UserId);
        b.HasOne<StaffUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade).HasConstraintName("fk_staff_sessions_staff_users_user_id");
    }
}
