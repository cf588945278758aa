using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ConsentHub.Trust.Accounts;

public enum SocialPlatform
{
    Facebook = 0,
    Instagram = 1,
    X = 2,
    LinkedIn = 3,
    YouTube = 4,
    TikTok = 5,
    Threads = 6,
    Bluesky = 7,
    Other = 99,
}

/// <summary>
/// A social media account affiliated to the trust, a region or an academy (policy §4.4): the register the
/// communications director keeps, and the list a withdrawal's takedown tasks go to. Every account has two
/// administrative contacts on the trust's own email domains. Passwords are never stored here, whatever §4.4.2
/// asks to be sent by email: a register that held them would be a second copy of every credential.
/// </summary>
public sealed class AffiliatedAccount
{
    public Guid Id { get; set; }
    public SocialPlatform Platform { get; set; }

    /// <summary>The handle as the platform shows it, e.g. "@northacademy".</summary>
    public required string Handle { get; set; }

    public string? Url { get; set; }

    /// <summary>Academy, region or the whole trust, as for posting pauses.</summary>
    public PauseScope Scope { get; set; }

    /// <summary>The academy or region; null for a trust-wide account.</summary>
    public Guid? ScopeId { get; set; }

    public required string FirstAdminName { get; set; }
    public required string FirstAdminEmail { get; set; }
    public required string SecondAdminName { get; set; }
    public required string SecondAdminEmail { get; set; }

    public DateTimeOffset RegisteredAt { get; set; }
    public required string RegisteredBy { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public string? ClosedBy { get; set; }
}

internal sealed class AffiliatedAccountConfiguration : IEntityTypeConfiguration<AffiliatedAccount>
{
    public void Configure(EntityTypeBuilder<AffiliatedAccount> b)
    {
        b.ToTable("affiliated_accounts");
        b.Property(x => x.Platform).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Scope).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Handle).HasMaxLength(RegisterAffiliatedAccount.MaxHandleLength);
        b.Property(x => x.Url).HasMaxLength(RegisterAffiliatedAccount.MaxUrlLength);
        b.Property(x => x.FirstAdminName).HasMaxLength(RegisterAffiliatedAccount.MaxNameLength);
        b.Property(x => x.SecondAdminName).HasMaxLength(RegisterAffiliatedAccount.MaxNameLength);
        b.Property(x => x.FirstAdminEmail).HasMaxLength(RegisterAffiliatedAccount.MaxEmailLength);
        b.Property(x => x.SecondAdminEmail).HasMaxLength(RegisterAffiliatedAccount.MaxEmailLength);
        b.Property(x => x.RegisteredBy).HasMaxLength(200);
        b.Property(x => x.ClosedBy).HasMaxLength(200);
        // One open entry per account on a platform; a closed one may be registered again later.
        b.HasIndex(x => new { x.Platform, x.Handle }).IsUnique().HasFilter("closed_at IS NULL");
        // Takedown: the accounts that could feature a pupil of an academy (its own, its region's, the trust's).
        b.HasIndex(x => new { x.Scope, x.ScopeId });
    }
}
