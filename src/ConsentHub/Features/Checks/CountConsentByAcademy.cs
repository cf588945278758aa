using ConsentHub.Access;
using ConsentHub.Consent;
using Npgsql;

namespace ConsentHub.Checks;

/// <summary>
/// Pupils by academy × purpose × status for everything the caller may see (an academy, a region, the trust) —
/// what headteachers and directors report on (§9). Each academy is one scoped roster read.
/// </summary>
public sealed class CountConsentByAcademy(NpgsqlDataSource dataSource, ConsentStatusReader reader)
{
    public sealed record AcademyCounts(Guid AcademyId, string AcademyName, int Pupils, IReadOnlyList<PurposeCounts> Purposes);

    public sealed record PurposeCounts(string PurposeKey, string PurposeName, IReadOnlyDictionary<ConsentStatus, int> Counts);

    /// <summary>Every academy in the scope, or only <paramref name="academyId"/> (empty when it is outside the scope).</summary>
    public async Task<IReadOnlyList<AcademyCounts>> HandleAsync(AccessScope scope, Guid? academyId = null, CancellationToken ct = default)
    {
        var academies = new List<(Guid Id, string Name)>();
        await using (var cmd = dataSource.CreateCommand($"""
            SELECT a.id, a.name FROM consenthub.academies a
            WHERE {AccessScope.Condition("a.id")} AND (@academy_id::uuid IS NULL OR a.id = @academy_id)
            ORDER BY a.name
            """))
        {
            cmd.Parameters.AddScope(scope);
            cmd.Parameters.Add(new NpgsqlParameter("academy_id", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)academyId ?? DBNull.Value });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) academies.Add((r.GetGuid(0), r.GetString(1)));
        }

        var result = new List<AcademyCounts>(academies.Count);
        foreach (var (id, name) in academies)
        {
            var pupils = await reader.ForRosterAsync(scope, new RosterFilter(id), null, ct);
            var purposes = pupils.SelectMany(p => p.Purposes)
                .GroupBy(d => (d.Key, d.Name))
                .Select(g => new PurposeCounts(g.Key.Key, g.Key.Name,
                    Enum.GetValues<ConsentStatus>().ToDictionary(s => s, s => g.Count(d => d.Decision.Status == s))))
                .ToList();
            result.Add(new AcademyCounts(id, name, pupils.Count, purposes));
        }
        return result;
    }
}
