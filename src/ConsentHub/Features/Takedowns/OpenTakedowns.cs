using System.Security.Cryptography;
using System.Text;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using Npgsql;
using NpgsqlTypes;

namespace ConsentHub.Takedowns;

/// <summary>
/// Open takedown tasks as the emails and the page show them: one line per account and pupil (a pupil withdrawn
/// from two purposes that publish on the account is one thing to take down), with the account's administrative
/// contacts. Never the reason: a withdrawal and a safeguarding flag read the same.
/// </summary>
internal static class OpenTakedowns
{
    public sealed record Line(Guid AccountId, string Platform, string Handle, string FirstAdminName, string FirstAdminEmail, string SecondAdminName,
        string SecondAdminEmail, Guid PupilId, string PupilName, int YearGroup, Guid AcademyId, string AcademyName, DateTimeOffset Since, Guid[] TaskIds, string[] PostUrls)
    {
        public string Account => $"{Handle} on {Platform}";
        public Dictionary<string, object> ForTemplate() => new(StringComparer.Ordinal)
        {
            ["pupil"] = PupilName,
            ["year"] = new YearGroup(YearGroup).DisplayName,
            ["academy"] = AcademyName,
            ["since"] = UkCalendar.Format(Since),
            ["account"] = Account,
            ["admins"] = $"{FirstAdminName} and {SecondAdminName}",
            ["posts"] = PostUrls,
        };
    }

    /// <param name="where">Extra conditions on the task <c>t</c>, e.g. "t.notified_at IS NULL".</param>
    public static async Task<List<Line>> ReadAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string where, Action<NpgsqlParameterCollection> parameters, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            SELECT acc.id, acc.platform, acc.handle, acc.first_admin_name, acc.first_admin_email, acc.second_admin_name, acc.second_admin_email,
                   p.id, p.display_name,
                   p.year_group, ac.id, ac.name, min(t.created_at), array_agg(t.id ORDER BY t.id),
                   -- The posts in the register that show this pupil on this account: the exact things to take down.
                   array(SELECT po.url FROM consenthub.photo_post_pupils pp JOIN consenthub.photo_posts po ON po.id = pp.post_id
                         WHERE pp.pupil_id = p.id AND po.account_id = acc.id
                           -- A parent's request names one post: only that post, unless a withdrawal or a flag covers them all.
                           AND (bool_or(t.post_id IS NULL) OR po.id = ANY(array_agg(t.post_id)))
                         ORDER BY po.posted_on, po.url)
            FROM consenthub.takedown_tasks t
            JOIN consenthub.affiliated_accounts acc ON acc.id = t.account_id
            JOIN consenthub.pupils p ON p.id = t.pupil_id
            JOIN consenthub.academies ac ON ac.id = t.academy_id
            WHERE t.done_at IS NULL AND acc.closed_at IS NULL AND ({where})
            GROUP BY acc.id, p.id, ac.id
            ORDER BY acc.platform, acc.handle, min(t.created_at), p.id
            """, conn, tx);
        parameters(cmd.Parameters);
        var lines = new List<Line>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            lines.Add(new Line(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetString(6), reader.GetGuid(7), reader.GetString(8), reader.GetInt32(9), reader.GetGuid(10), reader.GetString(11),
                reader.GetFieldValue<DateTimeOffset>(12), reader.GetFieldValue<Guid[]>(13), reader.GetFieldValue<string[]>(14)));
        }
        return lines;
    }

    public static async Task<int> StampAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string column, IEnumerable<Guid> taskIds, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"UPDATE consenthub.takedown_tasks SET {column} = @now WHERE id = ANY(@ids) AND {column} IS NULL", conn, tx);
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = taskIds.ToArray() });
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The same tasks always give the same key, so a batch retried after a crash is never mailed twice.</summary>
    public static string BatchKey(IEnumerable<Guid> taskIds) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(string.Join(',', taskIds.Order().Select(i => i.ToString("N"))))))[..24];

    /// <summary>Only one notice (or escalation) run at a time across every app instance; the other one returns.</summary>
    public static async Task<bool> TryLockAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string name, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock(hashtextextended(@name, 0))", conn, tx);
        cmd.Parameters.AddWithValue("name", name);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
