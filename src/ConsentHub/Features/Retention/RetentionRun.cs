using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ConsentHub.Retention;

/// <summary>
/// One run of the retention purge, or of its dry run: the cut-off it used and how many leavers' records it removed
/// (or would remove) at each academy. Counts only; never names.
/// </summary>
public sealed class RetentionRun
{
    public Guid Id { get; set; }
    public bool DryRun { get; set; }
    public required string RunBy { get; set; }
    public DateTimeOffset RanAt { get; set; }

    /// <summary>Pupils who left before this day are purged.</summary>
    public DateOnly LeftBefore { get; set; }

    public int Pupils { get; set; }
    public int Contacts { get; set; }
    public int Answers { get; set; }

    /// <summary>Academy id → pupils purged (or to purge) there.</summary>
    public Dictionary<string, int> PupilsByAcademy { get; set; } = [];
}

internal sealed class RetentionRunConfiguration : IEntityTypeConfiguration<RetentionRun>
{
    public void Configure(EntityTypeBuilder<RetentionRun> b)
    {
        b.ToTable("retention_runs");
        b.Property(x => x.RunBy).HasMaxLength(200);
        b.Property(x => x.PupilsByAcademy).HasColumnType("jsonb").HasConversion(
            v => System.Text.Json.JsonSerializer.Serialize(v, (System.Text.Json.JsonSerializerOptions?)null),
            v => System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, int>>(v, (System.Text.Json.JsonSerializerOptions?)null) ?? new Dictionary<string, int>(),
            new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<Dictionary<string, int>>(
                (a, b) => a!.Count == b!.Count && !a.Except(b).Any(), v => v.Count, v => new Dictionary<string, int>(v)));
        b.HasIndex(x => x.RanAt);
    }
}
