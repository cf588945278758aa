using System.Globalization;
using ConsentHub.Access;
using Npgsql;

namespace ConsentHub.Monitoring;

/// <summary>
/// The dashboard's figures for a caller's scope and a filter: set-based SQL over the history tables (requests,
/// answers, outbox, follow-ups, takedowns, register, pauses) and the daily coverage snapshots, one statement per
/// figure group on one connection. Every statement joins the <c>scoped</c> academies (<see cref="MonitoringFilter.ScopedAcademies"/>).
/// </summary>
public sealed class LoadMonitoringFigures(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>Terms shown in "term on term": this one and the three before it (a year back and a bit).</summary>
    public const int TermsShown = 4;

    public async Task<MonitoringFigures> HandleAsync(AccessScope scope, MonitoringFilter filter, TimeSpan takedownOverdueAfter, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(filter);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var now = clock.GetUtcNow();
        var academies = await AcademiesAsync(conn, scope, filter, ct);
        var coverage = await CoverageAsync(conn, scope, filter, ct);
        var chasing = await ChasingAsync(conn, scope, filter, now, ct);
        var takedowns = await TakedownsAsync(conn, scope, filter, now, takedownOverdueAfter, ct);
        var register = await RegisterAsync(conn, scope, filter, ct);
        var pauses = await PausesAsync(conn, scope, filter, ct);
        return new MonitoringFigures(filter, academies, coverage, chasing, takedowns, register, pauses);
    }

    /// <summary>Every academy the caller may see, for the filter's choices.</summary>
    public async Task<IReadOnlyList<ScopedAcademy>> AcademiesInScopeAsync(AccessScope scope, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var today = Consent.Rules.UkCalendar.DateOf(clock.GetUtcNow());
        return await AcademiesAsync(conn, scope, new MonitoringFilter(today, today), ct);
    }

    private static NpgsqlCommand Command(NpgsqlConnection conn, string sql, AccessScope scope, MonitoringFilter filter)
    {
        var cmd = new NpgsqlCommand($"WITH {MonitoringFilter.ScopedAcademies}, {sql}", conn);
        filter.AddParameters(cmd.Parameters, scope);
        return cmd;
    }

    private static async Task<IReadOnlyList<ScopedAcademy>> AcademiesAsync(NpgsqlConnection conn, AccessScope scope, MonitoringFilter filter, CancellationToken ct)
    {
        await using var cmd = Command(conn, "x AS (SELECT 1) SELECT s.id, s.name, s.region_id, r.name, s.phase FROM scoped s JOIN consenthub.regions r ON r.id = s.region_id ORDER BY s.name COLLATE \"und-x-icu\", s.id", scope, filter);
        var list = new List<ScopedAcademy>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(new ScopedAcademy(r.GetGuid(0), r.GetString(1), r.GetGuid(2), r.GetString(3), r.GetString(4)));
        return list;
    }

    // ---- Coverage: sums of the snapshot rows of the academies in scope on the day standing for each bucket. ----

    private const string SnapshotSums = """
        SELECT s.day, p.id, p.key, p.name, sum(s.pupils)::int, sum(s.allowed)::int, sum(s.not_allowed)::int, sum(s.pending)::int,
               sum(s.not_requested)::int, sum(s.classes)::int, sum(s.classes_all_allowed)::int
        FROM consenthub.coverage_snapshots s JOIN scoped a ON a.id = s.academy_id JOIN consenthub.purposes p ON p.id = s.purpose_id
        """;

    private static async Task<CoverageFigures> CoverageAsync(NpgsqlConnection conn, AccessScope scope, MonitoringFilter filter, CancellationToken ct)
    {
        // Weeks (Monday to Sunday) of the period: the last snapshot day of each week.
        var weeks = new List<CoveragePoint>();
        await using (var cmd = Command(conn, $"""
            days AS (
                SELECT max(s.day) AS day FROM consenthub.coverage_snapshots s JOIN scoped a ON a.id = s.academy_id
                WHERE s.day BETWEEN @p_from AND @p_to GROUP BY date_trunc('week', s.day))
            {SnapshotSums} JOIN days d ON d.day = s.day
            GROUP BY s.day, p.id, p.key, p.name, p.sort_order ORDER BY s.day, p.sort_order, p.key
            """, scope, filter))
        {
            foreach (var (day, rows) in await ReadCountsAsync(cmd, ct))
                weeks.Add(new CoveragePoint("w/c " + day.AddDays(-(((int)day.DayOfWeek + 6) % 7)).ToString("d MMM", CultureInfo.InvariantCulture), day, rows));
        }

        // Terms: the last snapshot day of each of the last terms up to the end of the period.
        var terms = new List<CoveragePoint>();
        var wanted = SchoolTerms.UpTo(filter.To, TermsShown);
        await using (var cmd = Command(conn, $"""
            terms AS (SELECT * FROM unnest(@t_start::date[], @t_end::date[]) AS t(starts, ends)),
            days AS (
                SELECT (SELECT max(s.day) FROM consenthub.coverage_snapshots s JOIN scoped a ON a.id = s.academy_id
                        WHERE s.day BETWEEN t.starts AND least(t.ends, @p_to)) AS day
                FROM terms t)
            {SnapshotSums} JOIN days d ON d.day = s.day
            GROUP BY s.day, p.id, p.key, p.name, p.sort_order ORDER BY s.day, p.sort_order, p.key
            """, scope, filter))
        {
            cmd.Parameters.Add(new NpgsqlParameter<DateOnly[]>("t_start", [.. wanted.Select(t => t.Start)]));
            cmd.Parameters.Add(new NpgsqlParameter<DateOnly[]>("t_end", [.. wanted.Select(t => t.End)]));
            foreach (var (day, rows) in await ReadCountsAsync(cmd, ct))
                terms.Add(new CoveragePoint(SchoolTerms.Of(day).Label, day, rows));
        }

        // Per academy on the period's last snapshot day.
        var byAcademy = new List<AcademyCoverage>();
        await using (var cmd = Command(conn, """
            last AS (SELECT max(s.day) AS day FROM consenthub.coverage_snapshots s JOIN scoped a ON a.id = s.academy_id WHERE s.day BETWEEN @p_from AND @p_to)
            SELECT a.id, a.name, p.id, p.key, p.name, s.pupils, s.allowed, s.not_allowed, s.pending, s.not_requested, s.classes, s.classes_all_allowed
            FROM consenthub.coverage_snapshots s JOIN last l ON l.day = s.day JOIN scoped a ON a.id = s.academy_id JOIN consenthub.purposes p ON p.id = s.purpose_id
            ORDER BY a.name COLLATE "und-x-icu", a.id, p.sort_order, p.key
            """, scope, filter))
        {
            await using var r = await cmd.ExecuteReaderAsync(ct);
            AcademyCoverage? current = null;
            List<CoverageCounts>? purposes = null;
            while (await r.ReadAsync(ct))
            {
                var id = r.GetGuid(0);
                if (current?.AcademyId != id)
                {
                    purposes = [];
                    current = new AcademyCoverage(id, r.GetString(1), purposes);
                    byAcademy.Add(current);
                }
                purposes!.Add(new CoverageCounts(r.GetGuid(2), r.GetString(3), r.GetString(4), r.GetInt32(5), r.GetInt32(6), r.GetInt32(7), r.GetInt32(8),
                    r.GetInt32(9), r.GetInt32(10), r.GetInt32(11)));
            }
        }
        return new CoverageFigures(weeks.Count == 0 ? null : weeks[^1], weeks, terms, byAcademy);
    }

    private static async Task<List<(DateOnly Day, IReadOnlyList<CoverageCounts> Rows)>> ReadCountsAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var result = new List<(DateOnly, IReadOnlyList<CoverageCounts>)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        List<CoverageCounts>? rows = null;
        DateOnly? day = null;
        while (await r.ReadAsync(ct))
        {
            var d = r.GetFieldValue<DateOnly>(0);
            if (day != d)
            {
                rows = [];
                result.Add((d, rows));
                day = d;
            }
            rows!.Add(new CoverageCounts(r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetInt32(4), r.GetInt32(5), r.GetInt32(6), r.GetInt32(7),
                r.GetInt32(8), r.GetInt32(9), r.GetInt32(10)));
        }
        return result;
    }

    // ---- Chasing ----

    /// <summary>
    /// The requests issued in the period, each with the first answer its party gave after it was issued (online answers
    /// name their request; paper and staff-recorded ones are matched by pupil and party) and the number of reminders
    /// sent before that answer (or by the end of the period).
    /// </summary>
    internal const string RequestOutcomes = """
        req AS (
            SELECT r.id, r.academy_id, r.pupil_id, r.party_kind, r.contact_id, r.issued_at, r.status, coalesce(r.delivery, 'Email') AS delivery
            FROM consenthub.signature_requests r JOIN scoped a ON a.id = r.academy_id
            WHERE r.issued_at >= @p_start AND r.issued_at < @p_end),
        outcome AS (
            SELECT q.*, x.at AS answered_at, x.method,
                   (SELECT count(*) FROM consenthub.outbox_messages m
                    WHERE m.signature_request_id = q.id AND m.business_key LIKE 'reminder:%' AND m.status = 'Sent'
                      AND m.sent_at < coalesce(x.at, least(@p_end, @now)))::int AS reminders
            FROM req q
            LEFT JOIN LATERAL (
                SELECT ca.at, ca.method FROM consenthub.consent_answers ca
                WHERE q.status = 'Answered' AND ca.pupil_id = q.pupil_id AND ca.party_kind = q.party_kind
                  AND ca.contact_id IS NOT DISTINCT FROM q.contact_id AND ca.recorded_at >= q.issued_at
                  AND (ca.signature_request_id IS NULL OR ca.signature_request_id = q.id)
                ORDER BY ca.recorded_at, ca.id LIMIT 1) x ON true)
        """;

    private static async Task<ChasingFigures> ChasingAsync(NpgsqlConnection conn, AccessScope scope, MonitoringFilter filter, DateTimeOffset now, CancellationToken ct)
    {
        int issued, byEmail, onPaper, answered, online, paper, staff;
        double? median, p90;
        var stages = new List<int>();
        await using (var cmd = Command(conn, $"""
            {RequestOutcomes}
            SELECT count(*)::int, count(*) FILTER (WHERE delivery = 'Email')::int, count(*) FILTER (WHERE delivery = 'Paper')::int,
                   count(answered_at)::int, count(*) FILTER (WHERE method = 'Online')::int, count(*) FILTER (WHERE method = 'Paper')::int,
                   count(*) FILTER (WHERE method = 'RecordedByStaff')::int,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY (greatest(0, extract(epoch FROM answered_at - issued_at)) / 3600.0)::float8) FILTER (WHERE answered_at IS NOT NULL),
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY (greatest(0, extract(epoch FROM answered_at - issued_at)) / 3600.0)::float8) FILTER (WHERE answered_at IS NOT NULL),
                   coalesce((SELECT array_agg(n ORDER BY k) FROM (
                       SELECT k, count(o2.id) FILTER (WHERE o2.answered_at IS NOT NULL AND o2.delivery = 'Email')::int AS n
                       FROM generate_series(0, coalesce((SELECT max(reminders) FROM outcome), 0)) k
                       LEFT JOIN outcome o2 ON o2.reminders = k GROUP BY k) s), ARRAY[]::int[])
            FROM outcome
            """, scope, filter))
        {
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", now));
            await using var r = await cmd.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            (issued, byEmail, onPaper, answered, online, paper, staff) = (r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4), r.GetInt32(5), r.GetInt32(6));
            median = r.IsDBNull(7) ? null : r.GetDouble(7);
            p90 = r.IsDBNull(8) ? null : r.GetDouble(8);
            stages.AddRange(r.GetFieldValue<int[]>(9));
        }

        // The follow-up list as it stands (the office's list: unresolved, request still open), and what the period added.
        int open, added;
        double? medianAge, oldest;
        var byReason = new Dictionary<string, int>(StringComparer.Ordinal);
        await using (var cmd = Command(conn, """
            f AS (
                SELECT f.reason, f.created_at, (f.resolved_at IS NULL AND r.status = 'Open' AND r.expires_at > @now) AS open
                FROM consenthub.follow_ups f JOIN scoped a ON a.id = f.academy_id JOIN consenthub.signature_requests r ON r.id = f.signature_request_id)
            SELECT count(*) FILTER (WHERE open)::int,
                   count(*) FILTER (WHERE created_at >= @p_start AND created_at < @p_end)::int,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY (extract(epoch FROM @now - created_at) / 86400.0)::float8) FILTER (WHERE open),
                   (max(extract(epoch FROM @now - created_at) / 86400.0) FILTER (WHERE open))::float8,
                   (SELECT coalesce(jsonb_object_agg(g.reason, g.n), '{}')::text FROM (SELECT reason, count(*)::int AS n FROM f WHERE open GROUP BY reason) g)
            FROM f
            """, scope, filter))
        {
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", now));
            await using var r = await cmd.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            open = r.GetInt32(0);
            added = r.GetInt32(1);
            medianAge = r.IsDBNull(2) ? null : r.GetDouble(2);
            oldest = r.IsDBNull(3) ? null : r.GetDouble(3);
            foreach (var (k, v) in System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, int>>(r.GetString(4)) ?? []) byReason[k] = v;
        }

        // Failing addresses: contacts of pupils on roll in scope whose mail fails (now), and those first marked in the period.
        int failing, failingNew;
        await using (var cmd = Command(conn, """
            c AS (
                SELECT DISTINCT c.id, c.email_failing_since FROM consenthub.contacts c
                JOIN consenthub.pupil_contacts pc ON pc.contact_id = c.id
                JOIN consenthub.pupils p ON p.id = pc.pupil_id AND (p.left_on IS NULL OR p.left_on > @today)
                JOIN scoped a ON a.id = p.academy_id
                WHERE c.email_failing_since IS NOT NULL)
            SELECT count(*)::int, count(*) FILTER (WHERE email_failing_since >= @p_start AND email_failing_since < @p_end)::int FROM c
            """, scope, filter))
        {
            cmd.Parameters.Add(new NpgsqlParameter<DateOnly>("today", Consent.Rules.UkCalendar.DateOf(now)));
            await using var r = await cmd.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            (failing, failingNew) = (r.GetInt32(0), r.GetInt32(1));
        }
        return new ChasingFigures(issued, byEmail, onPaper, answered, online, paper, staff, stages, median, p90, open, added, medianAge, oldest, byReason, failing, failingNew);
    }

    // ---- Takedowns ----

    /// <summary>
    /// Tasks at academies in scope. Opened / done / escalated count events in the period; overdue counts tasks open at
    /// the end of the period (or now, if sooner) that were by then older than the overdue limit.
    /// </summary>
    private static async Task<TakedownFigures> TakedownsAsync(NpgsqlConnection conn, AccessScope scope, MonitoringFilter filter, DateTimeOffset now, TimeSpan overdueAfter,
        CancellationToken ct)
    {
        const string Measures = """
            count(*) FILTER (WHERE t.created_at >= @p_start AND t.created_at < @p_end)::int,
            count(*) FILTER (WHERE t.done_at >= @p_start AND t.done_at < @p_end)::int,
            count(*) FILTER (WHERE t.created_at <= @at - @overdue AND (t.done_at IS NULL OR t.done_at > @at))::int,
            count(*) FILTER (WHERE t.escalated_at >= @p_start AND t.escalated_at < @p_end)::int
            """;
        void Fill(NpgsqlCommand cmd)
        {
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("at", now < filter.End ? now : filter.End));
            cmd.Parameters.Add(new NpgsqlParameter<TimeSpan>("overdue", overdueAfter));
        }
        const string Relevant = "(t.created_at < @p_end AND (t.done_at IS NULL OR t.done_at >= @p_start OR t.escalated_at >= @p_start))";

        int opened, done, overdue, escalated;
        double? median, p90;
        await using (var cmd = Command(conn, $"""
            x AS (SELECT 1)
            SELECT {Measures},
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY (extract(epoch FROM t.done_at - t.created_at) / 3600.0)::float8) FILTER (WHERE t.done_at >= @p_start AND t.done_at < @p_end),
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY (extract(epoch FROM t.done_at - t.created_at) / 3600.0)::float8) FILTER (WHERE t.done_at >= @p_start AND t.done_at < @p_end)
            FROM consenthub.takedown_tasks t JOIN scoped a ON a.id = t.academy_id
            WHERE {Relevant}
            """, scope, filter))
        {
            Fill(cmd);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            (opened, done, overdue, escalated) = (r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3));
            median = r.IsDBNull(4) ? null : r.GetDouble(4);
            p90 = r.IsDBNull(5) ? null : r.GetDouble(5);
        }

        async Task<List<TakedownCount>> GroupedAsync(string key, string name, string join)
        {
            await using var cmd = Command(conn, $"""
                x AS (SELECT 1)
                SELECT {key}, {name}, {Measures}
                FROM consenthub.takedown_tasks t JOIN scoped a ON a.id = t.academy_id {join}
                WHERE {Relevant}
                GROUP BY {key}, {name} ORDER BY {name} COLLATE "und-x-icu", {key}
                """, scope, filter);
            Fill(cmd);
            var list = new List<TakedownCount>();
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) list.Add(new TakedownCount(r.GetGuid(0), r.GetString(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4), r.GetInt32(5)));
            return list;
        }
        var byAcademy = await GroupedAsync("a.id", "a.name", "");
        var byAccount = await GroupedAsync("acc.id", "acc.platform || ' ' || acc.handle", "JOIN consenthub.affiliated_accounts acc ON acc.id = t.account_id");
        return new TakedownFigures(opened, done, median, p90, overdue, escalated, byAcademy, byAccount);
    }

    // ---- The accounts register (§4.4) ----

    /// <summary>
    /// Open accounts of the academies in scope, of their regions, and (for a trust-wide view without a region or
    /// academy filter) the trust's own. Gaps: the second contact missing or the same as the first; a contact whose
    /// address is not on one of the trust's domains; neither contact an active member of staff ("no owner in post").
    /// </summary>
    internal const string RegisterAccounts = """
        acc AS (
            SELECT acc.*,
                   (nullif(btrim(acc.second_admin_email), '') IS NULL OR nullif(btrim(acc.second_admin_name), '') IS NULL
                    OR lower(btrim(acc.second_admin_email)) = lower(btrim(acc.first_admin_email))) AS missing_second,
                   (NOT EXISTS (SELECT 1 FROM consenthub.trusts tr, unnest(tr.email_domains) d WHERE lower(d) = lower(split_part(btrim(acc.first_admin_email), '@', 2)))
                    OR (nullif(btrim(acc.second_admin_email), '') IS NOT NULL AND NOT EXISTS (
                        SELECT 1 FROM consenthub.trusts tr, unnest(tr.email_domains) d WHERE lower(d) = lower(split_part(btrim(acc.second_admin_email), '@', 2))))) AS off_domain,
                   NOT EXISTS (SELECT 1 FROM consenthub.staff_users u
                               WHERE NOT u.disabled AND u.normalized_email IN (upper(btrim(acc.first_admin_email)), upper(btrim(acc.second_admin_email)))) AS no_owner
            FROM consenthub.affiliated_accounts acc
            WHERE acc.closed_at IS NULL AND (
                (acc.scope = 'Academy' AND acc.scope_id IN (SELECT id FROM scoped))
                OR (acc.scope = 'Region' AND acc.scope_id IN (SELECT region_id FROM scoped))
                OR (acc.scope = 'Trust' AND @scope_level = 2 AND @f_region::uuid IS NULL AND @f_academy::uuid IS NULL AND @f_phase::text IS NULL)))
        """;

    private static async Task<RegisterHealth> RegisterAsync(NpgsqlConnection conn, AccessScope scope, MonitoringFilter filter, CancellationToken ct)
    {
        await using var cmd = Command(conn, $"""
            {RegisterAccounts}
            SELECT count(*)::int, count(*) FILTER (WHERE missing_second)::int, count(*) FILTER (WHERE off_domain)::int,
                   count(*) FILTER (WHERE no_owner)::int, count(*) FILTER (WHERE missing_second OR off_domain OR no_owner)::int
            FROM acc
            """, scope, filter);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return new RegisterHealth(r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3)) { WithGaps = r.GetInt32(4) };
    }

    // ---- Posting pauses (§4.7) ----

    /// <summary>Pauses in force at any time in the period over an academy in scope: its own, its region's, or the trust's.</summary>
    internal const string PausesInPeriod = """
        pz AS (
            SELECT z.id, z.scope, z."from", z.until, z.reason,
                   CASE z.scope WHEN 'Academy' THEN (SELECT name FROM consenthub.academies WHERE id = z.scope_id)
                                WHEN 'Region' THEN (SELECT name FROM consenthub.regions WHERE id = z.scope_id)
                                ELSE 'The whole trust' END AS place
            FROM consenthub.posting_pauses z
            WHERE z."from" < @p_end AND (z.until IS NULL OR z.until > @p_start) AND (
                (z.scope = 'Academy' AND z.scope_id IN (SELECT id FROM scoped))
                OR (z.scope = 'Region' AND z.scope_id IN (SELECT region_id FROM scoped))
                OR (z.scope = 'Trust' AND EXISTS (SELECT 1 FROM scoped))))
        """;

    private static async Task<IReadOnlyList<PauseRow>> PausesAsync(NpgsqlConnection conn, AccessScope scope, MonitoringFilter filter, CancellationToken ct)
    {
        await using var cmd = Command(conn, $"{PausesInPeriod} SELECT id, scope, place, \"from\", until, reason FROM pz ORDER BY \"from\", id", scope, filter);
        var list = new List<PauseRow>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new PauseRow(r.GetGuid(0), r.GetString(1), r.IsDBNull(2) ? "(removed)" : r.GetString(2), r.GetFieldValue<DateTimeOffset>(3),
                r.IsDBNull(4) ? null : r.GetFieldValue<DateTimeOffset>(4), r.GetString(5)));
        return list;
    }
}
