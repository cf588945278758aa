using ConsentHub.Consent;
using ConsentHub.Pupils;
using ConsentHub.Trust;
using ConsentHub.Trust.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ConsentHub.Takedowns;

/// <summary>
/// After a withdrawal: take down what features the pupil on one trust-affiliated account for one purpose. Created
/// by <see cref="CreateTakedownTasks"/> in the withdrawal's transaction; the notice job sends them to the account's administrators and staff mark them done.
/// </summary>
public sealed class TakedownTask
{
    public const string WithdrawalReason = "withdrawal";

    /// <summary>
    /// A new "never photograph or feature" flag. Stored so the DSL's own tools can tell, but never shown on the
    /// takedown page or in an email: those say only "do not feature this pupil; remove any content".
    /// </summary>
    public const string DoNotFeatureReason = "do-not-feature";

    /// <summary>A parent (or the pupil) asked, from their change link, for one recorded post to come down.</summary>
    public const string PostRequestReason = "post-request";

    public Guid Id { get; set; }
    public Guid PupilId { get; set; }
    public Guid AcademyId { get; set; }
    public Guid PurposeId { get; set; }
    public Guid AccountId { get; set; }
    public required string Reason { get; set; }

    /// <summary>The withdrawal that caused it.</summary>
    public long? AnswerId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// The one recorded post to take down, when a parent asked for that post alone; null for a withdrawal's or a
    /// flag's task, which covers everything on the account.
    /// </summary>
    public Guid? PostId { get; set; }

    /// <summary>The audit actor (staff id) who marked it done.</summary>
    public string? DoneBy { get; set; }

    /// <summary>The name of the person who marked it done, as they were known then.</summary>
    public string? DoneByName { get; set; }

    public DateTimeOffset? DoneAt { get; set; }

    /// <summary>What the person marking it done wrote (e.g. "post of 3 May deleted").</summary>
    public string? DoneNote { get; set; }

    /// <summary>When the account's two administrative contacts were emailed about it.</summary>
    public DateTimeOffset? NotifiedAt { get; set; }

    /// <summary>When it was escalated to the communications director for being overdue.</summary>
    public DateTimeOffset? EscalatedAt { get; set; }
}

internal sealed class TakedownTaskConfiguration : IEntityTypeConfiguration<TakedownTask>
{
    public void Configure(EntityTypeBuilder<TakedownTask> b)
    {
        b.ToTable("takedown_tasks");
        b.Property(x => x.Reason).HasMaxLength(40);
        b.Property(x => x.DoneBy).HasMaxLength(200);
        b.Property(x => x.DoneByName).HasMaxLength(200);
        b.Property(x => x.DoneNote).HasMaxLength(MarkTakedownDone.MaxNoteLength);
        // The notice and escalation jobs look only at open tasks.
        b.HasIndex(x => x.CreatedAt).HasFilter("done_at IS NULL").HasDatabaseName("ix_takedown_tasks_open_created_at");
        // Idempotent: at most one open task per account, pupil and purpose, however often a withdrawal is repeated.
        b.HasIndex(x => new { x.AccountId, x.PupilId, x.PurposeId }).IsUnique().HasFilter("done_at IS NULL AND post_id IS NULL");
        // One request per post and pupil, however often the parent asks (open or already done).
        b.HasIndex(x => new { x.PostId, x.PupilId }).IsUnique().HasFilter("post_id IS NOT NULL");
        // The key to the photo post is declared in PhotoPostConfiguration: Photos sits above Takedowns.
        b.HasIndex(x => new { x.AcademyId, x.DoneAt });
        // Monitoring: the tasks an academy opened in a period.
        b.HasIndex(x => new { x.AcademyId, x.CreatedAt });
        b.HasOne<Pupil>().WithMany().HasForeignKey(x => x.PupilId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Academy>().WithMany().HasForeignKey(x => x.AcademyId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Purpose>().WithMany().HasForeignKey(x => x.PurposeId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AffiliatedAccount>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Restrict);
    }
}
