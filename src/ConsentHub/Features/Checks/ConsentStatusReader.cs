using ConsentHub.Access;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Pupils;
using ConsentHub.Text;
using Npgsql;
using NpgsqlTypes;

namespace ConsentHub.Checks;

/// <summary>
/// Reads the facts for one pupil or a roster from the check read model (<see cref="PupilConsentFacts"/>: one row
/// per pupil, kept current by triggers in the same transaction as every change) in one statement, and lets the
/// rule engine decide. Scoping is in the SQL: a pupil outside the caller's scope is simply not found.
/// </summary>
public sealed class ConsentStatusReader(NpgsqlDataSource dataSource, ConsentReferenceCache reference, TimeProvider clock)
{
    private readonly ParsedFactsCache _parsed = new();

    // Built once: the single-pupil check is the API's hottest statement, and its text never changes.
    private static readonly string PupilSql =
        $"SELECT f.pupil_id, f.academy_id, f.facts, f.changed_at FROM consenthub.pupil_consent_facts f WHERE f.pupil_id = @pupil_id AND {AccessScope.Condition("f.academy_id")}";

    public async Task<PupilConsent?> ForPupilAsync(AccessScope scope, Guid pupilId, string? purposeKey = null, CancellationToken ct = default)
    {
        var result = await ReadAsync(
            PupilSql,
            c =>
            {
                c.Parameters.Add(new NpgsqlParameter<Guid>("pupil_id", pupilId));
                c.Parameters.AddScope(scope);
            },
            purposeKey, ct);
        return result.Count == 0 ? null : result[0];
    }

    public Task<IReadOnlyList<PupilConsent>> ForRosterAsync(AccessScope scope, RosterFilter filter, string? purposeKey = null, CancellationToken ct = default)
    {
        // Only the conditions in use go into the SQL: "(@x IS NULL OR col = @x)" would give a prepared statement a
        // generic plan that cannot use the (academy, class) and (academy, year) indexes.
        var where = new System.Text.StringBuilder("p.academy_id = @academy_id");
        if (filter.RegistrationGroup is not null) where.Append(" AND p.registration_group = @group");
        if (filter.YearGroup is not null) where.Append(" AND p.year_group = @year");
        if (!filter.IncludeLeavers) where.Append(" AND ").Append(OnRoll.Sql());
        var today = UkCalendar.DateOf(clock.GetUtcNow());
        return ReadAsync(
            $"""
            SELECT f.pupil_id, f.academy_id, f.facts, f.changed_at
            FROM consenthub.pupils p JOIN consenthub.pupil_consent_facts f ON f.pupil_id = p.id
            WHERE {where} AND {AccessScope.Condition("p.academy_id")}
            ORDER BY p.display_last_name {NameOrder.Sql}, p.display_first_name {NameOrder.Sql}, p.id
            """,
            c =>
            {
                c.Parameters.Add(new NpgsqlParameter<Guid>("academy_id", filter.AcademyId));
                if (filter.RegistrationGroup is { } group) c.Parameters.Add(new NpgsqlParameter<string>("group", group));
                if (filter.YearGroup is { } year) c.Parameters.Add(new NpgsqlParameter<int>("year", year.Value));
                if (!filter.IncludeLeavers) c.Parameters.Add(new NpgsqlParameter<DateOnly>("today", today));
                c.Parameters.AddScope(scope);
            },
            purposeKey, ct);
    }

    /// <summary>A place in the changes feed: after this pupil, changed at this time.</summary>
    public sealed record ChangesCursor(DateTimeOffset ChangedAt, Guid PupilId);

    /// <summary>
    /// The pupils of an academy (leavers included) whose decisions changed after <paramref name="since"/>, oldest
    /// change first, at most <paramref name="limit"/>, continuing after <paramref name="after"/>. A pupil's change
    /// time is the later of their facts row's and of the academy's latest posting pause start or end, and of their
    /// leaving date once it has come, so a pause or a leaver reaches a syncing tool without any row changing.
    /// </summary>
    public Task<IReadOnlyList<PupilConsent>> ChangesAsync(AccessScope scope, Guid academyId, DateTimeOffset? since, ChangesCursor? after, int limit, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        return ReadAsync(
            $"""
            WITH boundary AS (
                SELECT max(v.t) AS at
                FROM consenthub.posting_pauses pp
                CROSS JOIN LATERAL (VALUES (pp."from"), (pp.until)) AS v(t)
                JOIN consenthub.academies a ON a.id = @academy_id
                WHERE v.t IS NOT NULL AND v.t <= @now
                  AND (pp.scope = 'Trust' OR (pp.scope = 'Academy' AND pp.scope_id = a.id) OR (pp.scope = 'Region' AND pp.scope_id = a.region_id))
            ), changed AS (
                SELECT f.pupil_id, f.academy_id, f.facts, f.changed_at,
                       greatest(f.changed_at, coalesce((SELECT at FROM boundary), '-infinity'),
                                CASE WHEN p.left_on IS NOT NULL AND (p.left_on::timestamp AT TIME ZONE 'Europe/London') <= @now
                                     THEN p.left_on::timestamp AT TIME ZONE 'Europe/London' ELSE '-infinity' END) AS eff
                FROM consenthub.pupils p JOIN consenthub.pupil_consent_facts f ON f.pupil_id = p.id
                WHERE p.academy_id = @academy_id AND {AccessScope.Condition("p.academy_id")}
            )
            SELECT pupil_id, academy_id, facts, changed_at, eff FROM changed
            WHERE eff > coalesce(@since, '-infinity'::timestamptz)
              AND (@after_at::timestamptz IS NULL OR (eff, pupil_id) > (@after_at::timestamptz, @after_id))
            ORDER BY eff, pupil_id
            LIMIT @limit
            """,
            c =>
            {
                c.Parameters.Add(new NpgsqlParameter<Guid>("academy_id", academyId));
                c.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", now));
                c.Parameters.Add(new NpgsqlParameter("since", NpgsqlDbType.TimestampTz) { Value = since is { } s ? s.ToUniversalTime() : DBNull.Value });
                c.Parameters.Add(new NpgsqlParameter("after_at", NpgsqlDbType.TimestampTz) { Value = after is { } a ? a.ChangedAt.ToUniversalTime() : DBNull.Value });
                c.Parameters.Add(new NpgsqlParameter<Guid>("after_id", after?.PupilId ?? Guid.Empty));
                c.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
                c.Parameters.AddScope(scope);
            },
            null, ct);
    }

    /// <summary>True when the academy exists and lies in the caller's scope.</summary>
    public async Task<bool> AcademyVisibleAsync(AccessScope scope, Guid academyId, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand(
            $"SELECT EXISTS (SELECT 1 FROM consenthub.academies a WHERE a.id = @academy_id AND {AccessScope.Condition("a.id")})");
        cmd.Parameters.Add(new NpgsqlParameter<Guid>("academy_id", academyId));
        cmd.Parameters.AddScope(scope);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>True when the purpose key names an active purpose.</summary>
    public async Task<bool> PurposeExistsAsync(string key, CancellationToken ct = default) =>
        (await reference.GetAsync(ct)).Purposes.Any(p => p.Facts.Key == key);

    /// <summary>What a change of the trust's rule settings would do, counted over every pupil on roll in the scope.</summary>
    public sealed record SettingsImpact(int PupilsOnRoll, int PupilsChanged, int NoLongerAllowed, int NewlyAllowed);

    /// <summary>
    /// Decides every pupil on roll twice, under the settings in force and under <paramref name="proposed"/>, and
    /// counts the pupils for whom any purpose's status would differ. Reads only; nothing is stored.
    /// </summary>
    public async Task<SettingsImpact> CompareSettingsAsync(AccessScope scope, ConsentRuleSettings proposed, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(proposed);
        var today = UkCalendar.DateOf(clock.GetUtcNow());
        var sql = $"""
            SELECT f.pupil_id, f.academy_id, f.facts, f.changed_at
            FROM consenthub.pupils p JOIN consenthub.pupil_consent_facts f ON f.pupil_id = p.id
            WHERE {OnRoll.Sql()} AND {AccessScope.Condition("p.academy_id")}
            """;
        void Bind(NpgsqlCommand c)
        {
            c.Parameters.Add(new NpgsqlParameter<DateOnly>("today", today));
            c.Parameters.AddScope(scope);
        }
        var now = await ReadAsync(sql, Bind, null, ct);
        var then = (await ReadAsync(sql, Bind, null, ct, proposed)).ToDictionary(p => p.PupilId);
        int changed = 0, lost = 0, gained = 0;
        foreach (var pupil in now)
        {
            if (!then.TryGetValue(pupil.PupilId, out var other)) continue;
            var pairs = pupil.Purposes.Zip(other.Purposes, (a, b) => (Before: a.Decision.Status, After: b.Decision.Status)).ToList();
            if (pairs.All(p => p.Before == p.After)) continue;
            changed++;
            if (pairs.Any(p => p.Before == ConsentStatus.Allowed && p.After != ConsentStatus.Allowed)) lost++;
            if (pairs.Any(p => p.Before != ConsentStatus.Allowed && p.After == ConsentStatus.Allowed)) gained++;
        }
        return new SettingsImpact(now.Count, changed, lost, gained);
    }

    private async Task<IReadOnlyList<PupilConsent>> ReadAsync(string sql, Action<NpgsqlCommand> bind, string? purposeKey, CancellationToken ct, ConsentRuleSettings? settings = null)
    {
        var now = clock.GetUtcNow();
        var refs = await reference.GetAsync(ct);
        var ruleSettings = settings ?? refs.Settings;
        var purposeList = purposeKey is null ? refs.Purposes : [.. refs.Purposes.Where(p => p.Facts.Key == purposeKey)];

        var rows = new List<(Guid Id, Guid AcademyId, string Facts, DateTimeOffset ChangedAt, DateTimeOffset? FeedAt)>();
        await using (var command = dataSource.CreateCommand(sql))
        {
            bind(command);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                rows.Add((reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                    reader.FieldCount > 4 ? reader.GetFieldValue<DateTimeOffset>(4) : null));
        }

        var result = new List<PupilConsent>(rows.Count);
        foreach (var (pupilId, academyId, json, changedAt, feedAt) in rows)
        {
            var facts = _parsed.Get(pupilId, changedAt, json);
            var answers = facts.Answers;
            var pupilFacts = facts.Pupil;
            var yearGroup = pupilFacts.YearGroup;
            var pupilPauses = refs.PausesFor(academyId);
            var decisions = new List<PurposeConsent>(purposeList.Count);
            foreach (var purpose in purposeList)
            {
                List<AnswerFacts> list = answers.TryGetValue(purpose.Id, out var found) ? found : [];
                var decision = ConsentRules.Decide(new ConsentFacts(pupilFacts, purpose.Facts, list, pupilPauses, facts.Requested, ruleSettings), now);
                decisions.Add(new PurposeConsent(purpose.Id, purpose.Facts.Key, purpose.Facts.Name, decision,
                    DecisionChangedAt(changedAt, decision, pupilFacts, purpose.Facts.PublishesOnTrustAccounts ? pupilPauses : [], now))
                {
                    LastAnsweredAt = list.Count == 0 ? null : list.Max(a => a.At),
                });
            }
            var doNotFeature = facts.NeverFeature || decisions.Any(d => d.Decision.DoNotFeature);
            result.Add(new PupilConsent(pupilId, academyId, facts.Name, yearGroup, facts.Group, doNotFeature, decisions) { FactsChangedAt = changedAt, FeedChangedAt = feedAt });
        }
        return result;
    }

    /// <summary>
    /// When the decision last changed: the facts row's own time (an answer, a flag, a class move, a new contact),
    /// or later when the calendar changed it with no row changing — a pause beginning or ending, a grant
    /// expiring, a leaving date arriving.
    /// </summary>
    public static DateTimeOffset DecisionChangedAt(DateTimeOffset factsChangedAt, ConsentDecision decision, PupilFacts pupil, IReadOnlyList<PauseFacts> pauses, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(pupil);
        ArgumentNullException.ThrowIfNull(pauses);
        var latest = factsChangedAt;
        foreach (var p in pauses)
        {
            if (p.From <= now && p.From > latest) latest = p.From;
            if (p.Until is { } u && u <= now && u > latest) latest = u;
        }
        foreach (var party in decision.RequiredParties)
        {
            if (party.ExpiredOn is { } e && UkCalendar.StartOf(e) is var expired && expired <= now && expired > latest) latest = expired;
        }
        if (pupil.LeftOn is { } left && UkCalendar.StartOf(left) is var leftAt && leftAt <= now && leftAt > latest) latest = leftAt;
        return latest;
    }

}
