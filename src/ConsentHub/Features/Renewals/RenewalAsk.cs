using ConsentHub.Pupils;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ConsentHub.Renewals;

/// <summary>
/// A grant whose validity is ending and whose party has been asked to renew it: the primary key on the answer makes
/// "once per consent" a database fact, however often or wherever the job runs.
/// </summary>
public sealed class RenewalAsk
{
    /// <summary>The grant (consent answer) that is about to run out.</summary>
    public long AnswerId { get; set; }

    public Guid PupilId { get; set; }
    public Guid AcademyId { get; set; }

    /// <summary>The first day the grant no longer counts.</summary>
    public DateOnly ExpiresOn { get; set; }

    public DateTimeOffset AskedAt { get; set; }

    /// <summary>The issue that asked; null when the party already had an open request (they are being asked anyway).</summary>
    public Guid? IssueId { get; set; }
}

internal sealed class RenewalAskConfiguration : IEntityTypeConfiguration<RenewalAsk>
{
    public void Configure(EntityTypeBuilder<RenewalAsk> b)
    {
        b.ToTable("renewal_asks");
        b.HasKey(x => x.AnswerId);
        b.Property(x => x.AnswerId).ValueGeneratedNever();
        b.HasIndex(x => x.PupilId);
        b.HasOne<Pupil>().WithMany().HasForeignKey(x => x.PupilId).OnDelete(DeleteBehavior.Cascade);
    }
}
