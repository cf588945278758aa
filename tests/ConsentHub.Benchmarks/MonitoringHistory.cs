using System.Diagnostics;
using Npgsql;

namespace ConsentHub.Benchmarks;

/// <summary>
/// A year of history on the loaded large trust, for the monitoring benchmark: the requests issued spread over the
/// last 365 days and answered within a fortnight, one to three reminders sent for two requests in five, a follow-up
/// for one in twenty, takedowns spread over the year (most done within days, some overdue and escalated), a register
/// account per academy, and a daily coverage snapshot per academy and purpose for every day of the year (coverage
/// growing through the year, as it does after September). Deterministic: spreads come from hashes of ids.
/// History is written as it would have accumulated, so the answers' append-only trigger is bypassed for the one
/// transaction that back-dates them (a data generator, never the app).
/// </summary>
public static class MonitoringHistory
{
    public sealed record Counts(long Requests, long Answers, long Reminders, long FollowUps, long Takedowns, long Snapshots);

    public static async Task<Counts> GenerateAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await using var tx = await conn.BeginTransactionAsync(ct);
        await ExecAsync(conn, "SET LOCAL session_replication_role = replica", ct);

        // Requests issued over the year; answers within a fortnight of their request (never in the future).
        await ExecAsync(conn, """
            UPDATE consenthub.signature_requests
            SET issued_at = now() - make_interval(days => 1 + abs(hashtext(id::text)) % 365, hours => abs(hashtext(id::text || 'h')) % 24)
            """, ct);
        await ExecAsync(conn, """
            UPDATE consenthub.consent_answers a
            SET at = least(now() - interval '1 minute', r.issued_at + make_interval(hours => 1 + abs(hashtext(a.id::text)) % (14 * 24))),
                recorded_at = least(now() - interval '1 minute', r.issued_at + make_interval(hours => 1 + abs(hashtext(a.id::text)) % (14 * 24)))
            FROM consenthub.signature_requests r
            WHERE r.id = a.signature_request_id
            """, ct);
        await ExecAsync(conn, """
            UPDATE consenthub.consent_answers
            SET at = now() - make_interval(days => 1 + abs(hashtext(id::text)) % 365), recorded_at = now() - make_interval(days => 1 + abs(hashtext(id::text)) % 365)
            WHERE signature_request_id IS NULL
            """, ct);

        // Reminders: one to three, a week apart, for two requests in five.
        await ExecAsync(conn, """
            INSERT INTO consenthub.outbox_messages (business_key, message_id, to_address, subject, text_body, academy_id, status, attempts,
                                                     created_at, next_attempt_at, sent_at, signature_request_id)
            SELECT 'reminder:' || r.id || ':' || k, 'bench-' || r.id || '-' || k || '@consenthub.invalid', 'parent@example.org', 'Reminder', '',
                   r.academy_id, 'Sent', 1, r.issued_at + make_interval(days => 7 * k), r.issued_at + make_interval(days => 7 * k),
                   r.issued_at + make_interval(days => 7 * k), r.id
            FROM consenthub.signature_requests r
            CROSS JOIN generate_series(1, 3) k
            WHERE abs(hashtext(r.id::text || 'r')) % 5 < 2 AND k <= 1 + abs(hashtext(r.id::text || 'k')) % 3
              AND r.issued_at + make_interval(days => 7 * k) < now()
            """, ct);

        // Follow-ups for one request in twenty, a third of them resolved.
        await ExecAsync(conn, """
            INSERT INTO consenthub.follow_ups (id, academy_id, signature_request_id, pupil_id, party_kind, contact_id, reason, created_at, resolved_at, resolved_by)
            SELECT gen_random_uuid(), r.academy_id, r.id, r.pupil_id, r.party_kind, r.contact_id,
                   CASE WHEN abs(hashtext(r.id::text || 'f')) % 4 = 0 THEN 'EmailFailing' ELSE 'NoAnswer' END,
                   least(now(), r.issued_at + interval '22 days'),
                   CASE WHEN abs(hashtext(r.id::text || 'v')) % 3 = 0 THEN least(now(), r.issued_at + interval '30 days') END,
                   CASE WHEN abs(hashtext(r.id::text || 'v')) % 3 = 0 THEN 'office' END
            FROM consenthub.signature_requests r
            WHERE abs(hashtext(r.id::text || 'u')) % 20 = 0
            ON CONFLICT DO NOTHING
            """, ct);

        // The register: one account per academy that has none, so takedowns have somewhere to be.
        await ExecAsync(conn, """
            INSERT INTO consenthub.affiliated_accounts (id, platform, handle, scope, scope_id, first_admin_name, first_admin_email,
                                                        second_admin_name, second_admin_email, registered_at, registered_by)
            SELECT gen_random_uuid(), 'Facebook', '@bench' || lower(a.code), 'Academy', a.id, 'Communications lead', 'comms@example.org',
                   CASE WHEN abs(hashtext(a.id::text)) % 4 = 0 THEN '' ELSE 'Head' END, CASE WHEN abs(hashtext(a.id::text)) % 4 = 0 THEN '' ELSE 'head@example.org' END,
                   now() - interval '400 days', 'benchmark'
            FROM consenthub.academies a
            WHERE NOT EXISTS (SELECT 1 FROM consenthub.affiliated_accounts x WHERE x.scope = 'Academy' AND x.scope_id = a.id)
            """, ct);

        // Takedowns: one answer in forty becomes a takedown on its academy's account; 9 in 10 done within days.
        await ExecAsync(conn, """
            INSERT INTO consenthub.takedown_tasks (id, pupil_id, academy_id, purpose_id, account_id, reason, answer_id, created_at, done_by, done_at, escalated_at)
            SELECT DISTINCT ON (acc.id, a.pupil_id, a.purpose_id)
                   gen_random_uuid(), a.pupil_id, a.academy_id, a.purpose_id, acc.id, 'withdrawal', a.id, a.at,
                   CASE WHEN abs(hashtext(a.id::text || 'd')) % 10 < 9 THEN 'office' END,
                   CASE WHEN abs(hashtext(a.id::text || 'd')) % 10 < 9 THEN least(now(), a.at + make_interval(hours => 2 + abs(hashtext(a.id::text || 't')) % 200)) END,
                   CASE WHEN abs(hashtext(a.id::text || 'd')) % 10 >= 9 AND a.at < now() - interval '7 days' THEN a.at + interval '7 days' END
            FROM consenthub.consent_answers a
            JOIN consenthub.affiliated_accounts acc ON acc.scope = 'Academy' AND acc.scope_id = a.academy_id
            WHERE abs(hashtext(a.id::text || 'w')) % 40 = 0
            ORDER BY acc.id, a.pupil_id, a.purpose_id, a.at DESC
            """, ct);

        // Coverage snapshots: today's from the facts, then every earlier day of the year with coverage growing.
        await ExecAsync(conn, "DELETE FROM consenthub.coverage_snapshots WHERE day < current_date", ct);
        await ExecAsync(conn, """
            INSERT INTO consenthub.coverage_snapshots (day, academy_id, purpose_id, pupils, allowed, not_allowed, pending, not_requested, classes, classes_all_allowed, taken_at)
            SELECT current_date - n, s.academy_id, s.purpose_id, s.pupils,
                   (s.allowed * (0.5 + 0.5 * (365 - n) / 365.0))::int,
                   (s.not_allowed * (0.5 + 0.5 * (365 - n) / 365.0))::int,
                   s.pupils - (s.allowed * (0.5 + 0.5 * (365 - n) / 365.0))::int - (s.not_allowed * (0.5 + 0.5 * (365 - n) / 365.0))::int - s.not_requested,
                   s.not_requested, s.classes, (s.classes_all_allowed * (0.5 + 0.5 * (365 - n) / 365.0))::int,
                   (current_date - n) + time '20:00'
            FROM consenthub.coverage_snapshots s CROSS JOIN generate_series(1, 365) n
            WHERE s.day = current_date
            """, ct);
        await tx.CommitAsync(ct);
        await ExecAsync(conn, "ANALYZE consenthub.signature_requests, consenthub.consent_answers, consenthub.outbox_messages, consenthub.follow_ups, consenthub.takedown_tasks, consenthub.coverage_snapshots", ct);

        await using var count = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM consenthub.signature_requests), (SELECT count(*) FROM consenthub.consent_answers),
                   (SELECT count(*) FROM consenthub.outbox_messages WHERE business_key LIKE 'reminder:%'), (SELECT count(*) FROM consenthub.follow_ups),
                   (SELECT count(*) FROM consenthub.takedown_tasks), (SELECT count(*) FROM consenthub.coverage_snapshots)
            """, conn);
        await using var r = await count.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        var counts = new Counts(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5));
        Console.WriteLine($"  a year of history written in {watch.Elapsed.TotalSeconds:F1} s: {counts}");
        return counts;
    }

    private static async Task ExecAsync(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 900 };
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
