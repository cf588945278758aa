using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Consent;
using Npgsql;
using NpgsqlTypes;

namespace ConsentHub.Requests;

/// <summary>
/// The open requests at one academy, for the office: pupil, who is asked, when, the deadline, the short code and
/// whether a new link can be emailed. Only academies in the caller's scope; the view is audited (it names parents).
/// </summary>
public sealed class ListOpenRequests(NpgsqlDataSource dataSource, IAuditLog audit, TimeProvider clock)
{
    public const int MaxRows = 500;

    public sealed record Row(
        Guid RequestId,
        Guid PupilId,
        string PupilName,
        string YearGroup,
        string? RegistrationGroup,
        PartyKind PartyKind,
        string Party,
        DateTimeOffset IssuedAt,
        DateOnly? Deadline,
        bool Expired,
        string ShortCode,
        bool CanEmail);

    /// <param name="Total">Open requests at the academy; at most <see cref="MaxRows"/> are in <paramref name="Rows"/>.</param>
    public sealed record Page(IReadOnlyList<Row> Rows, int Total);

    public async Task<Page> HandleAsync(AccessScope scope, Guid academyId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await using var cmd = dataSource.CreateCommand($"""
            SELECT r.id, r.pupil_id,
                   p.display_name,
                   p.year_group, p.registration_group, r.party_kind,
                   concat_ws(' ', nullif(btrim(c.title), ''), c.first_name, c.last_name), r.issued_at, r.deadline, r.expires_at <= @now, r.short_code,
                   CASE WHEN r.party_kind = 'Pupil' THEN p.school_email WHEN c.email_failing_since IS NULL THEN c.email END,
                   count(*) OVER ()
            FROM consenthub.signature_requests r
            JOIN consenthub.pupils p ON p.id = r.pupil_id
            LEFT JOIN consenthub.contacts c ON c.id = r.contact_id
            WHERE r.academy_id = @academy AND r.status = 'Open' AND {AccessScope.Condition("r.academy_id")}
            ORDER BY p.year_group, p.registration_group, p.display_last_name, 3, r.party_kind, 7
            LIMIT {MaxRows}
            """);
        cmd.Parameters.AddWithValue("academy", academyId);
        cmd.Parameters.AddWithValue("now", clock.GetUtcNow());
        cmd.Parameters.AddScope(scope);
        var rows = new List<Row>();
        var total = 0;
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var kind = Enum.Parse<PartyKind>(reader.GetString(5));
                rows.Add(new Row(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), new YearGroup(reader.GetInt32(3)).DisplayName,
                    reader.IsDBNull(4) ? null : reader.GetString(4), kind, kind == PartyKind.Pupil ? "Pupil" : reader.GetString(6),
                    reader.GetFieldValue<DateTimeOffset>(7), reader.IsDBNull(8) ? null : reader.GetFieldValue<DateOnly>(8), reader.GetBoolean(9),
                    SigningSecrets.FormatShortCode(reader.GetString(10).Trim()), !reader.IsDBNull(11) && RequestEmails.IsUsable(reader.GetString(11))));
                total = (int)reader.GetInt64(12);
            }
        }
        audit.RecordRead(new AuditEvent(academyId, scope.Actor, "requests.listed", "Academy", academyId.ToString(),
            Data: new Dictionary<string, object?> { ["rows"] = rows.Count }));
        return new Page(rows, total);
    }
}
