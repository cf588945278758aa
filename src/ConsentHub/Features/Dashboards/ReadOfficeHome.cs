using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Requests;
using Npgsql;

namespace ConsentHub.Dashboards;

/// <summary>
/// The office's home page: per academy in the caller's scope, how many requests wait for an answer online, how many
/// expired unanswered, how many went out on paper (returns to record), how many can no longer be emailed because the
/// address fails (paper needed), and how many follow-ups are open. Counts only (no names); the view is audited.
/// </summary>
public sealed class ReadOfficeHome(NpgsqlDataSource dataSource, IAuditLog audit, TimeProvider clock)
{
    /// <param name="Waiting">Open, not expired, sent by email to a working address.</param>
    /// <param name="Expired">Open but past their expiry: issue again or send a new form.</param>
    /// <param name="PaperNeeded">Open, not expired, sent by email to an address that now fails: print the form.</param>
    /// <param name="OnPaper">Open, not expired, sent on paper: each is a return to record.</param>
    /// <param name="FollowUps">Unresolved follow-ups of open requests.</param>
    public sealed record AcademyFigures(Guid AcademyId, string AcademyName, int Waiting, int Expired, int PaperNeeded, int OnPaper, int FollowUps);

    public async Task<IReadOnlyList<AcademyFigures>> HandleAsync(AccessScope scope, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await using var cmd = dataSource.CreateCommand($"""
            SELECT a.id, a.name,
                   count(r.id) FILTER (WHERE r.expires_at > @now AND {OpenRequestKinds.PaperSql} IS FALSE AND {OpenRequestKinds.FailingSql} IS FALSE)::int,
                   count(r.id) FILTER (WHERE r.expires_at <= @now)::int,
                   count(r.id) FILTER (WHERE r.expires_at > @now AND {OpenRequestKinds.PaperSql} IS FALSE AND {OpenRequestKinds.FailingSql})::int,
                   count(r.id) FILTER (WHERE r.expires_at > @now AND {OpenRequestKinds.PaperSql})::int,
                   (SELECT count(*) FROM consenthub.follow_ups f
                    JOIN consenthub.signature_requests fr ON fr.id = f.signature_request_id
                    WHERE f.academy_id = a.id AND f.resolved_at IS NULL AND fr.status = 'Open' AND fr.expires_at > @now)::int
            FROM consenthub.academies a
            LEFT JOIN consenthub.signature_requests r ON r.academy_id = a.id AND r.status = 'Open'
            LEFT JOIN consenthub.contacts c ON c.id = r.contact_id
            WHERE {AccessScope.Condition("a.id")}
            GROUP BY a.id, a.name
            ORDER BY a.name
            """);
        cmd.Parameters.AddWithValue("now", clock.GetUtcNow());
        cmd.Parameters.AddScope(scope);
        var rows = new List<AcademyFigures>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                rows.Add(new AcademyFigures(reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4),
                    reader.GetInt32(5), reader.GetInt32(6)));
        }
        audit.RecordRead(new AuditEvent(null, scope.Actor, "home.office-viewed", "Scope", scope.Id?.ToString() ?? "trust",
            Data: new Dictionary<string, object?> { ["academies"] = rows.Count }));
        return rows;
    }
}
