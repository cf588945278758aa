using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Text;
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

    private const string Names = $"p.display_last_name {NameOrder.Sql}, p.display_first_name {NameOrder.Sql}, p.id";

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
        bool CanEmail,
        OpenRequestDelivery Delivery);

    public enum StatusFilter
    {
        All = 0,
        Waiting = 1,
        Expired = 2,
    }

    public enum SortOrder
    {
        Class = 0,
        Name = 1,
        Issued = 2,
        Deadline = 3,
    }

    /// <param name="Group">One class (registration group), or all.</param>
    /// <param name="Delivery">How the form reached the party, or null for every way.</param>
    /// <param name="Search">Words of the pupil's name, or a request's short code.</param>
    /// <param name="Pupil">One pupil's requests only (their record page), or every pupil's.</param>
    public sealed record Filter(string? Group = null, StatusFilter Status = StatusFilter.All, OpenRequestDelivery? Delivery = null, string? Search = null,
        SortOrder Sort = SortOrder.Class, Guid? Pupil = null);

    /// <param name="Total">Open requests at the academy; at most <see cref="MaxRows"/> are in <paramref name="Rows"/>.</param>
    public sealed record Page(IReadOnlyList<Row> Rows, int Total);

    public async Task<Page> HandleAsync(AccessScope scope, Guid academyId, Filter? filter = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        filter ??= new Filter();
        var words = (filter.Search ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(5).ToList();
        string? code = SigningSecrets.TryNormaliseShortCode(filter.Search, out var typed) ? typed : null;
        var search = words.Count == 0 ? "" : "AND (" + string.Join(" AND ", words.Select((_, i) => $"p.search_text LIKE '%' || consenthub.search_fold(@w{i}) || '%'"))
            + (code is null ? "" : " OR r.short_code = @code") + ")";
        var order = filter.Sort switch
        {
            SortOrder.Name => $"{Names}, r.party_kind, 7",
            SortOrder.Issued => $"r.issued_at DESC, {Names}",
            SortOrder.Deadline => $"r.deadline NULLS LAST, {Names}",
            _ => $"p.year_group, p.registration_group {NameOrder.Sql}, {Names}, r.party_kind, 7",
        };
        await using var cmd = dataSource.CreateCommand($"""
            SELECT r.id, r.pupil_id,
                   p.display_name,
                   p.year_group, p.registration_group, r.party_kind,
                   concat_ws(' ', nullif(btrim(c.title), ''), c.first_name, c.last_name), r.issued_at, r.deadline, r.expires_at <= @now, r.short_code,
                   CASE WHEN r.party_kind = 'Pupil' THEN p.school_email WHEN c.email_failing_since IS NULL THEN c.email END,
                   count(*) OVER (), {OpenRequestKinds.PaperSql}, {OpenRequestKinds.FailingSql}
            FROM consenthub.signature_requests r
            JOIN consenthub.pupils p ON p.id = r.pupil_id
            LEFT JOIN consenthub.contacts c ON c.id = r.contact_id
            WHERE r.academy_id = @academy AND r.status = 'Open' AND {AccessScope.Condition("r.academy_id")}
              AND (@group::text IS NULL OR p.registration_group = @group)
              AND (@pupil::uuid IS NULL OR r.pupil_id = @pupil)
              AND (@status = 0 OR (@status = 1 AND r.expires_at > @now) OR (@status = 2 AND r.expires_at <= @now))
              AND (@delivery = -1
                   OR (@delivery = 0 AND {OpenRequestKinds.PaperSql} IS FALSE AND {OpenRequestKinds.FailingSql} IS NOT TRUE)
                   OR (@delivery = 1 AND {OpenRequestKinds.PaperSql})
                   OR (@delivery = 2 AND {OpenRequestKinds.PaperSql} IS FALSE AND {OpenRequestKinds.FailingSql}))
              {search}
            ORDER BY {order}
            LIMIT {MaxRows}
            """);
        cmd.Parameters.Add(new NpgsqlParameter("group", NpgsqlDbType.Text) { Value = string.IsNullOrWhiteSpace(filter.Group) ? DBNull.Value : filter.Group.Trim() });
        cmd.Parameters.Add(new NpgsqlParameter("pupil", NpgsqlDbType.Uuid) { Value = filter.Pupil is { } pupil ? pupil : DBNull.Value });
        cmd.Parameters.AddWithValue("status", (int)filter.Status);
        cmd.Parameters.AddWithValue("delivery", filter.Delivery is { } d ? (int)d : -1);
        for (var i = 0; i < words.Count; i++) cmd.Parameters.AddWithValue($"w{i}", words[i]);
        if (code is not null) cmd.Parameters.Add(new NpgsqlParameter("code", NpgsqlDbType.Char) { Value = code });
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
                    SigningSecrets.FormatShortCode(reader.GetString(10).Trim()), !reader.IsDBNull(11) && RequestEmails.IsUsable(reader.GetString(11)),
                    reader.GetBoolean(13) ? OpenRequestDelivery.Paper : !reader.IsDBNull(14) && reader.GetBoolean(14) ? OpenRequestDelivery.EmailFailing : OpenRequestDelivery.Email));
                total = (int)reader.GetInt64(12);
            }
        }
        audit.RecordRead(new AuditEvent(academyId, scope.Actor, "requests.listed", "Academy", academyId.ToString(),
            Data: new Dictionary<string, object?> { ["rows"] = rows.Count }));
        return new Page(rows, total);
    }
}
