using System.Text.RegularExpressions;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using Npgsql;

namespace ConsentHub.Pupils;

/// <summary>
/// Finds pupils by any part of the names they go by (legal or preferred, first or last), ignoring case and
/// accents: every word typed must start a word of the pupil's names, so "ode luk" finds Łukasz Ødegaard-Smith.
/// Only pupils in the caller's scope; leavers only when asked for. Each search is audited.
/// </summary>
public sealed partial class SearchPupils(NpgsqlDataSource dataSource, IAuditLog audit, TimeProvider? clock = null)
{
    public const int MaxResults = 25;
    public const int MaxQueryLength = 100;

    public sealed record Hit(Guid PupilId, Guid AcademyId, string AcademyName, string Name, string YearGroup, string? RegistrationGroup, bool HasLeft);

    [GeneratedRegex("[^\\p{L}\\p{Nd}'’‘]+")]
    private static partial Regex Separators();

    public async Task<IReadOnlyList<Hit>> HandleAsync(AccessScope scope, string query, bool includeLeavers = false, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var words = Separators().Split(query ?? "").Where(w => w.Length > 0).Take(5).ToList();
        if (words.Count == 0 || (query ?? "").Length > MaxQueryLength) return [];

        // The words are folded by the same function as the names, in the database.
        var conditions = string.Join(" AND ", words.Select((_, i) => $"p.search_text LIKE '% ' || consenthub.search_fold(@w{i}) || '%'"));
        await using var cmd = dataSource.CreateCommand($"""
            SELECT p.id, p.academy_id, a.name, p.display_name,
                   p.year_group, p.registration_group, NOT {OnRoll.Sql()}
            FROM consenthub.pupils p JOIN consenthub.academies a ON a.id = p.academy_id
            WHERE {conditions} AND {AccessScope.Condition("p.academy_id")}
              {(includeLeavers ? "" : "AND " + OnRoll.Sql())}
            ORDER BY p.display_last_name, p.display_first_name, p.id
            LIMIT {MaxResults}
            """);
        for (var i = 0; i < words.Count; i++) cmd.Parameters.Add(new NpgsqlParameter<string>($"w{i}", words[i]));
        cmd.Parameters.AddScope(scope);
        cmd.Parameters.Add(new NpgsqlParameter<DateOnly>("today", UkCalendar.DateOf((clock ?? TimeProvider.System).GetUtcNow())));
        var hits = new List<Hit>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                hits.Add(new Hit(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3),
                    new YearGroup(reader.GetInt32(4)).Code, reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetBoolean(6)));
            }
        }
        audit.RecordRead(new AuditEvent(scope.Level == ScopeLevel.Academy ? scope.Id : null, scope.Actor, "pupils.searched",
            Data: new Dictionary<string, object?> { ["query"] = query, ["results"] = hits.Count }));
        return hits;
    }
}
