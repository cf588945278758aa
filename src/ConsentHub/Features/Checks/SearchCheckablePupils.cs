using System.Text.RegularExpressions;
using ConsentHub.Access;
using ConsentHub.Consent;
using ConsentHub.Pupils;
using ConsentHub.Text;
using Npgsql;

namespace ConsentHub.Checks;

/// <summary>
/// The teacher's search-as-you-type: pupils on roll at one academy whose names (legal or preferred, first or last)
/// have a word starting with each word typed, ignoring case and accents ("zoe ode" finds Zoë Ødegaard). Uses the
/// folded, trigram-indexed names of the pupil search. Typing is not a check and is not audited; opening the card is.
/// </summary>
public sealed partial class SearchCheckablePupils(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public const int MaxResults = 12;
    public const int MaxQueryLength = 100;

    [GeneratedRegex("[^\\p{L}\\p{Nd}'’‘]+")]
    private static partial Regex Separators();

    public async Task<IReadOnlyList<CheckablePupil>> HandleAsync(AccessScope scope, Guid academyId, string? query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        query ??= "";
        if (query.Length > MaxQueryLength) return [];
        var words = Separators().Split(query).Where(w => w.Length > 0).Take(5).ToList();
        if (words.Count == 0) return [];

        var conditions = string.Join(" AND ", words.Select((_, i) => $"p.search_text LIKE '% ' || consenthub.search_fold(@w{i}) || '%'"));
        await using var cmd = dataSource.CreateCommand($"""
            SELECT p.id, p.display_name,
                   p.year_group, p.registration_group
            FROM consenthub.pupils p
            WHERE p.academy_id = @academy_id AND {conditions} AND {AccessScope.Condition("p.academy_id")}
              AND {OnRoll.Sql()}
            ORDER BY p.display_last_name {NameOrder.Sql}, p.display_first_name {NameOrder.Sql}, p.id
            LIMIT {MaxResults}
            """);
        cmd.Parameters.Add(new NpgsqlParameter<Guid>("academy_id", academyId));
        cmd.Parameters.Add(new NpgsqlParameter<DateOnly>("today", Consent.Rules.UkCalendar.DateOf(clock.GetUtcNow())));
        for (var i = 0; i < words.Count; i++) cmd.Parameters.Add(new NpgsqlParameter<string>($"w{i}", words[i]));
        cmd.Parameters.AddScope(scope);
        var hits = new List<CheckablePupil>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            hits.Add(new CheckablePupil(reader.GetGuid(0), reader.GetString(1), new YearGroup(reader.GetInt32(2)).DisplayName, reader.IsDBNull(3) ? null : reader.GetString(3)));
        return hits;
    }

    /// <summary>The given pupils (the teacher's recently checked, from this device) that are still in scope and on roll, in the order given.</summary>
    public async Task<IReadOnlyList<CheckablePupil>> ByIdsAsync(AccessScope scope, Guid academyId, IReadOnlyList<Guid> pupilIds, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(pupilIds);
        if (pupilIds.Count == 0) return [];
        await using var cmd = dataSource.CreateCommand($"""
            SELECT p.id, p.display_name,
                   p.year_group, p.registration_group
            FROM consenthub.pupils p
            WHERE p.id = ANY (@ids) AND p.academy_id = @academy_id AND {AccessScope.Condition("p.academy_id")}
              AND {OnRoll.Sql()}
            """);
        cmd.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", [.. pupilIds.Take(50)]));
        cmd.Parameters.Add(new NpgsqlParameter<Guid>("academy_id", academyId));
        cmd.Parameters.Add(new NpgsqlParameter<DateOnly>("today", Consent.Rules.UkCalendar.DateOf(clock.GetUtcNow())));
        cmd.Parameters.AddScope(scope);
        var found = new Dictionary<Guid, CheckablePupil>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            found[reader.GetGuid(0)] = new CheckablePupil(reader.GetGuid(0), reader.GetString(1), new YearGroup(reader.GetInt32(2)).DisplayName, reader.IsDBNull(3) ? null : reader.GetString(3));
        return [.. pupilIds.Where(found.ContainsKey).Select(id => found[id])];
    }
}
