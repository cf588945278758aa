using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ConsentHub.Checks;

/// <summary>
/// The check read model: per pupil, every fact the rule engine needs (year group, flags, contacts with parental
/// responsibility, each party's current answer) as one JSON document, so a check reads one row of one table.
/// Written only by database triggers, in the same transaction as the change to any table it is built from; see
/// ConsentFactsSql in the migrations. The application never writes it.
/// </summary>
public sealed class PupilConsentFacts
{
    public Guid PupilId { get; set; }
    public Guid AcademyId { get; set; }

    /// <summary>JSON in the shape of <see cref="ConsentFactsDocument"/>.</summary>
    public required string Facts { get; set; }

    /// <summary>When what a check shows last changed (a refresh that changes nothing leaves it).</summary>
    public DateTimeOffset ChangedAt { get; set; }
}

internal sealed class PupilConsentFactsConfiguration : IEntityTypeConfiguration<PupilConsentFacts>
{
    public void Configure(EntityTypeBuilder<PupilConsentFacts> b)
    {
        b.ToTable("pupil_consent_facts");
        b.HasKey(x => x.PupilId);
        b.Property(x => x.Facts).HasColumnType("json");
        b.Property(x => x.ChangedAt).HasDefaultValueSql("now()");
        // The API's changes feed: an academy's pupils whose facts changed after a point, in (changed_at, pupil) order.
        b.HasIndex(x => new { x.AcademyId, x.ChangedAt, x.PupilId });
        b.HasOne<Pupils.Pupil>().WithMany().HasForeignKey(x => x.PupilId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>The JSON the triggers build (consenthub.pupil_consent_facts_of). Property names are its keys.</summary>
internal sealed record ConsentFactsDocument(
    int V,
    string Name,
    int Year,
    string? Group,
    DateOnly? LeftOn,
    bool AlsoAskParent,
    bool NeverFeature,
    bool Requested,
    IReadOnlyList<ConsentFactsDocument.ContactFact> Contacts,
    IReadOnlyList<ConsentFactsDocument.AnswerFact> Answers)
{
    /// <summary>The layout version the reader understands; the SQL function writes the same number.</summary>
    public const int Version = 1;

    internal sealed record ContactFact(Guid Id, string? Title, string First, string Last, bool Pr, bool NoContact);

    internal sealed record AnswerFact(Guid Purpose, Guid Party, string PartyKind, long Id, string Kind, DateTimeOffset At, DateOnly? ValidThrough);

    public static ConsentFactsDocument Parse(string json)
    {
        var document = JsonSerializer.Deserialize(json, ConsentFactsJson.Default.ConsentFactsDocument)
            ?? throw new InvalidOperationException("A pupil's consent facts are empty.");
        if (document.V != Version)
            throw new InvalidOperationException($"A pupil's consent facts have layout {document.V}; this version of ConsentHub reads layout {Version}.");
        return document;
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, Converters = [typeof(FactsInstantConverter)])]
[JsonSerializable(typeof(ConsentFactsDocument))]
internal sealed partial class ConsentFactsJson : JsonSerializerContext;

/// <summary>
/// Reads an answer's time as PostgreSQL wrote it. The database no longer accepts an impossible time, but a row
/// stored before that (or behind the application's back) says "-infinity"/"infinity" or a BC date: read as a time
/// far in the past or future (not the calendar's very ends, where the rules' date arithmetic would overflow), so
/// that pupil's check (and the roster, summary and lists with them) still answers.
/// </summary>
internal sealed class FactsInstantConverter : JsonConverter<DateTimeOffset>
{
    internal static readonly DateTimeOffset FarPast = new(1, 1, 2, 0, 0, 0, TimeSpan.Zero);
    internal static readonly DateTimeOffset FarFuture = new(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TryGetDateTimeOffset(out var value)) return value < FarPast ? FarPast : value > FarFuture ? FarFuture : value;
        var text = reader.GetString();
        return text is "infinity" or "+infinity" ? FarFuture : FarPast;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
