using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Requests;
using Npgsql;
using NpgsqlTypes;

namespace ConsentHub.Chasing;

/// <summary>
/// The office follow-up list at one academy: parties still not answering after the last reminder, whose email
/// fails, or who have no email — with how to reach them (office staff may see contact details) and what was done
/// so far. Only academies in the caller's scope; only requests still open. The view is audited (it names parents).
/// </summary>
public sealed class ListFollowUps(NpgsqlDataSource dataSource, IAuditLog audit, TimeProvider clock)
{
    public const int MaxRows = 500;

    public sealed record LastAction(FollowUpActionKind Kind, string By, DateTimeOffset At, string? Note);

    public sealed record Row(
        Guid FollowUpId,
        Guid PupilId,
        string PupilName,
        string YearGroup,
        string? RegistrationGroup,
        PartyKind PartyKind,
        string Party,
        FollowUpReason Reason,
        string? Phone,
        string? Email,
        string? EmailProblem,
        DateOnly? Deadline,
        string ShortCode,
        DateTimeOffset Since,
        LastAction? Last);

    public sealed record Page(IReadOnlyList<Row> Rows, int Total);

    public async Task<Page> HandleAsync(AccessScope scope, Guid academyId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await using var cmd = dataSource.CreateCommand($"""
            SELECT f.id, f.pupil_id,
                   p.display_name,
                   p.year_group, p.registration_group, f.party_kind,
                   concat_ws(' ', nullif(btrim(c.title), ''), c.first_name, c.last_name), f.reason, c.phone,
                   CASE WHEN f.party_kind = 'Pupil' THEN p.school_email ELSE c.email END, c.email_failing_reason,
                   r.deadline, r.short_code, f.created_at, a.kind, a.by, a.at, a.note,
                   count(*) OVER ()
            FROM consenthub.follow_ups f
            JOIN consenthub.signature_requests r ON r.id = f.signature_request_id
            JOIN consenthub.pupils p ON p.id = f.pupil_id
            LEFT JOIN consenthub.contacts c ON c.id = f.contact_id
            LEFT JOIN LATERAL (
                SELECT kind, by, at, note FROM consenthub.follow_up_actions x WHERE x.follow_up_id = f.id ORDER BY x.at DESC, x.id DESC LIMIT 1
            ) a ON true
            WHERE f.academy_id = @academy AND f.resolved_at IS NULL AND r.status = 'Open' AND r.expires_at > @now
              AND {AccessScope.Condition("f.academy_id")}
            ORDER BY f.created_at, p.year_group, p.registration_group, 3, f.party_kind
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
                string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
                var last = reader.IsDBNull(14) ? null
                    : new LastAction(Enum.Parse<FollowUpActionKind>(reader.GetString(14)), reader.GetString(15), reader.GetFieldValue<DateTimeOffset>(16), Text(17));
                rows.Add(new Row(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), new YearGroup(reader.GetInt32(3)).DisplayName, Text(4), kind,
                    kind == PartyKind.Pupil ? "Pupil" : reader.GetString(6), Enum.Parse<FollowUpReason>(reader.GetString(7)), Text(8), Text(9), Text(10),
                    reader.IsDBNull(11) ? null : reader.GetFieldValue<DateOnly>(11), SigningSecrets.FormatShortCode(reader.GetString(12).Trim()),
                    reader.GetFieldValue<DateTimeOffset>(13), last));
                total = (int)reader.GetInt64(18);
            }
        }
        audit.RecordRead(new AuditEvent(academyId, scope.Actor, "follow-ups.listed", "Academy", academyId.ToString(),
            Data: new Dictionary<string, object?> { ["rows"] = rows.Count }));
        return new Page(rows, total);
    }

    public static string Describe(FollowUpReason reason) => reason switch
    {
        FollowUpReason.NoAnswer => "No answer after the last reminder",
        FollowUpReason.EmailFailing => "Email failing",
        _ => "No email address",
    };

    public static string Describe(FollowUpActionKind kind) => kind switch
    {
        FollowUpActionKind.PaperFormSent => "Paper form sent",
        FollowUpActionKind.Phoned => "Phoned",
        _ => "Resolved",
    };
}
