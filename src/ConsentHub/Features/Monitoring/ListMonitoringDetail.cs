using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using Npgsql;

namespace ConsentHub.Monitoring;

/// <summary>The lists behind the dashboard's figures.</summary>
public enum MonitoringDetail
{
    /// <summary>Pupils with a given status for a purpose, now (the coverage bars).</summary>
    Coverage = 0,

    /// <summary>Requests issued in the period still without an answer.</summary>
    Unanswered = 1,

    /// <summary>The office follow-up list as it stands.</summary>
    FollowUps = 2,

    /// <summary>Parents and carers whose email fails (who, not the address).</summary>
    FailingAddresses = 3,

    /// <summary>Takedown tasks opened in the period.</summary>
    TakedownsOpened = 4,

    /// <summary>Takedown tasks overdue at the end of the period.</summary>
    TakedownsOverdue = 5,

    /// <summary>Register entries with a gap (§4.4).</summary>
    RegisterGaps = 6,

    /// <summary>Posting pauses in force in the period (§4.7).</summary>
    Pauses = 7,
}

/// <summary>
/// The list behind one figure, in the caller's scope and filter, at most <see cref="MaxRows"/> rows, each read
/// audited (<c>monitoring.detail-viewed</c>, with the figure and the count, never names). Rows carry what a person
/// needs to act (pupil, academy, since when), never contact details or reasons for safeguarding.
/// </summary>
public sealed class ListMonitoringDetail(NpgsqlDataSource dataSource, ConsentStatusReader reader, IAuditLog audit, TimeProvider clock)
{
    public const int MaxRows = 500;

    public sealed record Row(IReadOnlyList<string> Cells, Guid? PupilId = null);

    public sealed record Result(string Title, IReadOnlyList<string> Columns, IReadOnlyList<Row> Rows, int Total);

    private const string PupilName =
        "coalesce(nullif(btrim(p.preferred_first_name), ''), p.legal_first_name) || ' ' || coalesce(nullif(btrim(p.preferred_last_name), ''), p.legal_last_name)";

    public async Task<Result> HandleAsync(AccessScope scope, MonitoringFilter filter, MonitoringDetail detail, string? purposeKey = null, ConsentStatus? status = null,
        TimeSpan? takedownOverdueAfter = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(filter);
        var now = clock.GetUtcNow();
        var result = detail switch
        {
            MonitoringDetail.Coverage => await CoverageAsync(scope, filter, purposeKey, status ?? ConsentStatus.Pending, ct),
            MonitoringDetail.Unanswered => await ReadAsync("Requests issued in the period without an answer", ["Pupil", "Academy", "Class", "Asked", "Issued", "Reminders sent"], $"""
                {LoadMonitoringFigures.RequestOutcomes}
                SELECT p.id, {PupilName}, a.name, coalesce(p.registration_group, ''), CASE o.party_kind WHEN 'Pupil' THEN 'the pupil' ELSE 'a parent or carer' END,
                       to_char(o.issued_at AT TIME ZONE 'Europe/London', 'DD Mon YYYY'), o.reminders::text
                FROM outcome o JOIN consenthub.pupils p ON p.id = o.pupil_id JOIN scoped a ON a.id = o.academy_id
                WHERE o.answered_at IS NULL AND o.status = 'Open'
                ORDER BY o.issued_at, {PupilName} COLLATE "und-x-icu", p.id
                """, scope, filter, now, null, ct),
            MonitoringDetail.FollowUps => await ReadAsync("The office follow-up list", ["Pupil", "Academy", "Class", "Why", "On the list since"], $"""
                x AS (SELECT 1)
                SELECT p.id, {PupilName}, a.name, coalesce(p.registration_group, ''),
                       CASE f.reason WHEN 'NoAnswer' THEN 'No answer after the last reminder' WHEN 'EmailFailing' THEN 'Email failing' ELSE 'No email address' END,
                       to_char(f.created_at AT TIME ZONE 'Europe/London', 'DD Mon YYYY')
                FROM consenthub.follow_ups f JOIN scoped a ON a.id = f.academy_id JOIN consenthub.pupils p ON p.id = f.pupil_id
                JOIN consenthub.signature_requests r ON r.id = f.signature_request_id
                WHERE f.resolved_at IS NULL AND r.status = 'Open' AND r.expires_at > @now
                ORDER BY f.created_at, p.id
                """, scope, filter, now, null, ct),
            MonitoringDetail.FailingAddresses => await ReadAsync("Parents and carers whose email fails", ["Pupil", "Academy", "Class", "Failing since"], $"""
                x AS (SELECT 1)
                SELECT p.id, {PupilName}, a.name, coalesce(p.registration_group, ''), to_char(c.email_failing_since AT TIME ZONE 'Europe/London', 'DD Mon YYYY')
                FROM consenthub.contacts c JOIN consenthub.pupil_contacts pc ON pc.contact_id = c.id
                JOIN consenthub.pupils p ON p.id = pc.pupil_id AND (p.left_on IS NULL OR p.left_on > @today) JOIN scoped a ON a.id = p.academy_id
                WHERE c.email_failing_since IS NOT NULL
                ORDER BY c.email_failing_since, p.id
                """, scope, filter, now, null, ct),
            MonitoringDetail.TakedownsOpened => await ReadAsync("Takedowns opened in the period", ["Account", "Pupil", "Academy", "Opened", "Done"], $"""
                x AS (SELECT 1)
                SELECT p.id, acc.platform || ' ' || acc.handle, {PupilName}, a.name, to_char(t.created_at AT TIME ZONE 'Europe/London', 'DD Mon YYYY HH24:MI'),
                       coalesce(to_char(t.done_at AT TIME ZONE 'Europe/London', 'DD Mon YYYY HH24:MI'), 'open')
                FROM consenthub.takedown_tasks t JOIN scoped a ON a.id = t.academy_id JOIN consenthub.pupils p ON p.id = t.pupil_id
                JOIN consenthub.affiliated_accounts acc ON acc.id = t.account_id
                WHERE t.created_at >= @p_start AND t.created_at < @p_end
                ORDER BY t.created_at, t.id
                """, scope, filter, now, null, ct),
            MonitoringDetail.TakedownsOverdue => await ReadAsync("Takedowns overdue", ["Account", "Pupil", "Academy", "Open since", "Escalated"], $"""
                x AS (SELECT 1)
                SELECT p.id, acc.platform || ' ' || acc.handle, {PupilName}, a.name, to_char(t.created_at AT TIME ZONE 'Europe/London', 'DD Mon YYYY HH24:MI'),
                       CASE WHEN t.escalated_at IS NULL THEN 'no' ELSE 'yes' END
                FROM consenthub.takedown_tasks t JOIN scoped a ON a.id = t.academy_id JOIN consenthub.pupils p ON p.id = t.pupil_id
                JOIN consenthub.affiliated_accounts acc ON acc.id = t.account_id
                WHERE t.created_at <= @at - @overdue AND (t.done_at IS NULL OR t.done_at > @at)
                ORDER BY t.created_at, t.id
                """, scope, filter, now, c =>
            {
                c.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("at", now < filter.End ? now : filter.End));
                c.Parameters.Add(new NpgsqlParameter<TimeSpan>("overdue", takedownOverdueAfter ?? TimeSpan.FromDays(2)));
            }, ct),
            MonitoringDetail.RegisterGaps => await ReadAsync("Register entries with a gap", ["Account", "Belongs to", "Gaps"], $"""
                {LoadMonitoringFigures.RegisterAccounts}
                SELECT NULL::uuid, acc.platform || ' ' || acc.handle,
                       CASE acc.scope WHEN 'Academy' THEN (SELECT name FROM consenthub.academies WHERE id = acc.scope_id)
                                      WHEN 'Region' THEN (SELECT name FROM consenthub.regions WHERE id = acc.scope_id) ELSE 'The trust' END,
                       concat_ws('; ', CASE WHEN missing_second THEN 'no second administrative contact' END,
                                       CASE WHEN off_domain THEN 'a contact is not on a trust domain' END,
                                       CASE WHEN no_owner THEN 'no owner in post' END)
                FROM acc WHERE missing_second OR off_domain OR no_owner
                ORDER BY acc.platform, acc.handle
                """, scope, filter, now, null, ct),
            _ => await ReadAsync("Posting pauses in the period", ["Where", "From", "Until", "Reason"], $"""
                {LoadMonitoringFigures.PausesInPeriod}
                SELECT NULL::uuid, coalesce(place, '(removed)'), to_char("from" AT TIME ZONE 'Europe/London', 'DD Mon YYYY HH24:MI'),
                       coalesce(to_char(until AT TIME ZONE 'Europe/London', 'DD Mon YYYY HH24:MI'), 'until further notice'), reason
                FROM pz ORDER BY "from", id
                """, scope, filter, now, null, ct),
        };
        audit.RecordRead(new AuditEvent(scope.Level == ScopeLevel.Academy ? scope.Id : null, scope.Actor, "monitoring.detail-viewed",
            Data: new Dictionary<string, object?>
            {
                ["detail"] = detail.ToString(),
                ["purpose"] = purposeKey,
                ["status"] = detail == MonitoringDetail.Coverage ? (status ?? ConsentStatus.Pending).ToString() : null,
                ["from"] = filter.From.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["to"] = filter.To.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["rows"] = result.Total,
            }));
        return result;
    }

    private async Task<Result> ReadAsync(string title, string[] columns, string sql, AccessScope scope, MonitoringFilter filter, DateTimeOffset now,
        Action<NpgsqlCommand>? fill, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand($"WITH {MonitoringFilter.ScopedAcademies}, {sql}", conn);
        filter.AddParameters(cmd.Parameters, scope);
        if (sql.Contains("@now", StringComparison.Ordinal)) cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", now));
        if (sql.Contains("@today", StringComparison.Ordinal)) cmd.Parameters.Add(new NpgsqlParameter<DateOnly>("today", UkCalendar.DateOf(now)));
        fill?.Invoke(cmd);
        var rows = new List<Row>();
        var total = 0;
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            total++;
            if (rows.Count >= MaxRows) continue;
            var cells = new string[columns.Length];
            for (var i = 0; i < columns.Length; i++) cells[i] = r.IsDBNull(i + 1) ? "" : r.GetString(i + 1);
            rows.Add(new Row(cells, r.IsDBNull(0) ? null : r.GetGuid(0)));
        }
        return new Result(title, columns, rows, total);
    }

    private async Task<Result> CoverageAsync(AccessScope scope, MonitoringFilter filter, string? purposeKey, ConsentStatus status, CancellationToken ct)
    {
        var academies = new List<(Guid Id, string Name)>();
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        await using (var cmd = new NpgsqlCommand($"WITH {MonitoringFilter.ScopedAcademies} SELECT id, name FROM scoped ORDER BY name COLLATE \"und-x-icu\", id", conn))
        {
            filter.AddParameters(cmd.Parameters, scope);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) academies.Add((r.GetGuid(0), r.GetString(1)));
        }
        var rows = new List<Row>();
        var total = 0;
        string purposeName = purposeKey ?? "";
        foreach (var (id, name) in academies)
        {
            foreach (var pupil in await reader.ForRosterAsync(scope, new RosterFilter(id), purposeKey, ct))
            {
                var purpose = pupil.Purposes.Count > 0 ? pupil.Purposes[0] : null;
                if (purpose is null || purpose.Decision.Status != status) continue;
                purposeName = purpose.Name;
                total++;
                if (rows.Count < MaxRows)
                    rows.Add(new Row([pupil.DisplayName, name, pupil.RegistrationGroup ?? "", pupil.YearGroup.DisplayName], pupil.PupilId));
            }
        }
        return new Result($"{purposeName}: {MonitoringCharts.StatusLabel(status)} (now)", ["Pupil", "Academy", "Class", "Year"], rows, total);
    }
}
