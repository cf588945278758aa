using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ConsentHub.Consent;

internal sealed class PurposeConfiguration : IEntityTypeConfiguration<Purpose>
{
    public void Configure(EntityTypeBuilder<Purpose> b)
    {
        b.ToTable("purposes");
        b.Property(x => x.Key).HasMaxLength(60);
        b.HasIndex(x => x.Key).IsUnique();
        b.Property(x => x.Name).HasMaxLength(120);
        b.Property(x => x.Description).HasMaxLength(1000);
        b.Property(x => x.LawfulBasis).HasConversion<string>().HasMaxLength(24);
        b.Property(x => x.ValidityKind).HasConversion<string>().HasMaxLength(24);
    }
}

internal sealed class FormVersionConfiguration : IEntityTypeConfiguration<FormVersion>
{
    public void Configure(EntityTypeBuilder<FormVersion> b)
    {
        b.ToTable("form_versions");
        b.Property(x => x.Label).HasMaxLength(40);
        b.HasIndex(x => x.Label).IsUnique();
        b.HasMany(x => x.Wordings).WithOne().HasForeignKey(x => x.FormVersionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class FormWordingConfiguration : IEntityTypeConfiguration<FormWording>
{
    public void Configure(EntityTypeBuilder<FormWording> b)
    {
        b.ToTable("form_wordings");
        b.Property(x => x.Audience).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Language).HasMaxLength(16);
        b.Property(x => x.Text).HasMaxLength(8000);
        b.HasIndex(x => new { x.FormVersionId, x.PurposeId, x.Audience, x.Language }).IsUnique();
        b.HasOne<Purpose>().WithMany().HasForeignKey(x => x.PurposeId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TranslationReviewConfiguration : IEntityTypeConfiguration<TranslationReview>
{
    public void Configure(EntityTypeBuilder<TranslationReview> b)
    {
        b.ToTable("translation_reviews");
        b.Property(x => x.Language).HasMaxLength(16);
        b.Property(x => x.ReviewedBy).HasMaxLength(200);
        b.HasIndex(x => new { x.FormVersionId, x.Language }).IsUnique();
        b.HasOne<FormVersion>().WithMany().HasForeignKey(x => x.FormVersionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ConsentAnswerConfiguration : IEntityTypeConfiguration<ConsentAnswer>
{
    public void Configure(EntityTypeBuilder<ConsentAnswer> b)
    {
        b.ToTable("consent_answers");
        b.Property(x => x.Id).UseIdentityAlwaysColumn();
        b.Property(x => x.PartyKind).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Method).HasConversion<string>().HasMaxLength(24);
        b.Property(x => x.RecordedBy).HasMaxLength(200);
        b.Property(x => x.SignatureName).HasMaxLength(200);
        b.Property(x => x.IpHash).HasMaxLength(64);
        b.Property(x => x.UserAgent).HasMaxLength(400);
        b.Property(x => x.ScanReference).HasMaxLength(200);
        b.Property(x => x.Note).HasMaxLength(1000);
        // Provenance: a pupil's history per purpose, in order.
        b.HasIndex(x => new { x.PupilId, x.PurposeId, x.At });
        // The keys to pupils, contacts, academies, signature requests and online submissions are declared by those
        // entities' configurations: the answer is the vocabulary every feature uses, and names none of them.
        b.HasOne<Purpose>().WithMany().HasForeignKey(x => x.PurposeId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<FormVersion>().WithMany().HasForeignKey(x => x.FormVersionId).OnDelete(DeleteBehavior.Restrict);
        // What a receipt page and email list: the answers of one online submission.
        b.HasIndex(x => x.OnlineSubmissionId).HasFilter("online_submission_id IS NOT NULL");
    }
}

internal sealed class AnswerIdempotencyKeyConfiguration : IEntityTypeConfiguration<AnswerIdempotencyKey>
{
    public void Configure(EntityTypeBuilder<AnswerIdempotencyKey> b)
    {
        b.ToTable("answer_idempotency_keys", t =>
            t.HasCheckConstraint("ck_answer_idempotency_keys_key", "length(key) BETWEEN 1 AND 255 AND key !~ '[^!-~]'"));
        b.HasKey(x => new { x.Owner, x.Key });
        b.Property(x => x.Owner).HasMaxLength(200);
        b.Property(x => x.Key).HasMaxLength(255);
        b.Property(x => x.RequestHash).HasMaxLength(64);
        // The nightly clean-up deletes by age.
        b.HasIndex(x => x.CreatedAt);
        // A purged answer takes its key with it.
        b.HasOne<ConsentAnswer>().WithMany().HasForeignKey(x => x.AnswerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CurrentAnswerConfiguration : IEntityTypeConfiguration<CurrentAnswer>
{
    public void Configure(EntityTypeBuilder<CurrentAnswer> b)
    {
        b.ToTable("current_answers");
        b.HasKey(x => new { x.PupilId, x.PurposeId, x.PartyId });
        b.Property(x => x.PartyKind).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        // The key to the pupil is declared in PupilConfiguration.
    }
}
