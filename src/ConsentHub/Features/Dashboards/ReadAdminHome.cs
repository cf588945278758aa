using ConsentHub.Access;
using ConsentHub.Audit;
using Npgsql;

namespace ConsentHub.Dashboards;

/// <summary>
/// The trust administrator's home page: academies in scope with no open account of their own in the affiliated
/// accounts register (a withdrawal there cannot become a takedown task), and the posting pauses in force now that
/// cover any academy in scope. The background jobs' figures come from the jobs dashboard, not from here.
/// </summary>
public sealed class ReadAdminHome(NpgsqlDataSource dataSource, IAuditLog audit, TimeProvider clock)
{
    public sealed record Gap(Guid AcademyId, string AcademyName);

    public sealed record Pause(Guid PauseId, string Covers, DateTimeOffset From, DateTimeOffset? Until);

    public sealed record Figures(int Academies, IReadOnlyList<Gap> RegisterGaps, IReadOnlyList<Pause> Pauses);

    public async Task<Figures> HandleAsync(AccessScope scope, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await using var batch = dataSource.CreateBatch();
        var gaps = new NpgsqlBatchCommand($"""
            SELECT a.id, a.name,
                   NOT EXISTS (SELECT 1 FROM consenthub.affiliated_accounts x
                               WHERE x.closed_at IS NULL AND x.scope = 'Academy' AND x.scope_id = a.id)
            FROM consenthub.academies a
            WHERE {AccessScope.Condition("a.id")}
            ORDER BY a.name
            """);
        gaps.Parameters.AddScope(scope);
        var pauses = new NpgsqlBatchCommand($"""
            SELECT pp.id, CASE pp.scope WHEN 'Trust' THEN 'The whole trust'
                               WHEN 'Region' THEN coalesce((SELECT r.name FROM consenthub.regions r WHERE r.id = pp.scope_id), 'A region')
                               ELSE coalesce((SELECT a.name FROM consenthub.academies a WHERE a.id = pp.scope_id), 'An academy') END,
                   pp."from", pp.until
            FROM consenthub.posting_pauses pp
            WHERE pp.lifted_at IS NULL AND pp."from" <= @now AND (pp.until IS NULL OR pp.until > @now)
              AND EXISTS (SELECT 1 FROM consenthub.academies a
                          WHERE {AccessScope.Condition("a.id")}
                            AND (pp.scope = 'Trust' OR (pp.scope = 'Region' AND pp.scope_id = a.region_id) OR (pp.scope = 'Academy' AND pp.scope_id = a.id)))
            ORDER BY pp."from"
            """);
        pauses.Parameters.AddWithValue("now", clock.GetUtcNow());
        pauses.Parameters.AddScope(scope);
        batch.BatchCommands.Add(gaps);
        batch.BatchCommands.Add(pauses);

        var academies = 0;
        var gapList = new List<Gap>();
        var pauseList = new List<Pause>();
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                academies++;
                if (reader.GetBoolean(2)) gapList.Add(new Gap(reader.GetGuid(0), reader.GetString(1)));
            }
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
                pauseList.Add(new Pause(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2),
                    reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3)));
        }
        audit.RecordRead(new AuditEvent(null, scope.Actor, "home.admin-viewed", "Scope", scope.Id?.ToString() ?? "trust",
            Data: new Dictionary<string, object?> { ["gaps"] = gapList.Count, ["pauses"] = pauseList.Count }));
        return new Figures(academies, gapList, pauseList);
    }
}
