using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ConsentHub.Api;

/// <summary>
/// A key for the JSON API, scoped to one academy or (AcademyId null) the whole trust. Only a SHA-256 hash of the
/// secret is stored; <see cref="Prefix"/> identifies the key in lists and logs.
/// </summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string Prefix { get; set; }
    public required byte[] SecretHash { get; set; }
    public Guid? AcademyId { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>After this the key no longer works; null: until revoked.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }

    /// <summary>Roughly when the key was last used (written at most once a minute per key per instance).</summary>
    public DateTimeOffset? LastUsedAt { get; set; }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.ToTable("api_keys");
        b.Property(x => x.Name).HasMaxLength(120);
        b.Property(x => x.Prefix).HasMaxLength(16);
        b.HasIndex(x => x.Prefix).IsUnique();
        b.Property(x => x.CreatedBy).HasMaxLength(200);
        b.Property(x => x.RevokedBy).HasMaxLength(200);
        b.HasIndex(x => x.AcademyId);
    }
}
