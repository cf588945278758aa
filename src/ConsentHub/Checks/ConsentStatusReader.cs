using ConsentHub.Access;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using Npgsql;
using NpgsqlTypes;

namespace ConsentHub.Checks;

/// <summary>
/// Loads the facts for one pupil or a roster in one round trip (a batch of statements over the same pupil set)
/// and lets the rule engine decide. Reads the current-answer projection, not the whole answer history.
/// Scoping is in the SQL: a pupil outside the caller's scope is simply not found.
/// </summary>
public sealed class ConsentStatusReader(NpgsqlDataSource dataSource, ConsentReferenceCache reference, TimeProvider clock)
{
    private const string PupilColumns = """
        p.id, p.academy_id, p.legal_first_name, p.legal_last_name, p.preferred_first_name, p.preferred_last_name,
        p.year_group, p.registration_group, p.left_on, p.also_ask_parent,
        EXISTS (SELECT 1 FROM consenthub.safeguarding_flags f WHERE f.pupil_id = p.id AND f.cleared_at IS NULL),
        EXISTS (SELECT 1 FROM consenthub.signature_requests r WHERE r.pupil_id = p.id)
        """;

    private const string ContactColumns = """
        pc.pupil_id, c.id, c.title, c.first_name, c.last_name, pc.has_parental_responsibility, pc.no_contact_order
        FROM consenthub.pupil_contacts pc JOIN consenthub.contacts c ON c.id = pc.contact_id
        """;

    private const string AnswerColumns = """
        ca.pupil_id, ca.purpose_id, ca.party_id, ca.party_kind, ca.answer_id, ca.kind, ca.at, fv.consent_valid_through
        FROM consenthub.current_answers ca JOIN consenthub.form_versions fv ON fv.id = ca.form_version_id
        """;

    public async Task<PupilConsent?> ForPupilAsync(AccessScope scope, Guid pupilId, string? purposeKey = null, CancellationToken ct = default)
    {
        // The scope is checked on the pupil row; contacts and answers of a pupil outside it are read but discarded.
        var result = await ReadAsync(
            $"SELECT {PupilColumns} FROM consenthub.pupils p WHERE p.id = @pupil_id AND {AccessScope.Condition("p.academy_id")}",
            $"SELECT {ContactColumns} WHERE pc.pupil_id = @pupil_id",
            $"SELECT {AnswerColumns} WHERE ca.pupil_id = @pupil_id",
            c =>
            {
                c.Parameters.Add(new NpgsqlParameter<Guid>("pupil_id", pupilId));
                AddScope(c, scope);
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
        if (!filter.IncludeLeavers) where.Append(" AND (p.left_on IS NULL OR p.left_on > @today)");
        var pupilSet = $"WITH p AS (SELECT * FROM consenthub.pupils p WHERE {where} AND {AccessScope.Condition("p.academy_id")}) ";
        var today = UkCalendar.DateOf(clock.GetUtcNow());
        return ReadAsync(
            pupilSet + $"SELECT {PupilColumns} FROM p ORDER BY coalesce(p.preferred_last_name, p.legal_last_name), coalesce(p.preferred_first_name, p.legal_first_name), p.id",
            pupilSet + $"SELECT {ContactColumns} WHERE pc.pupil_id IN (SELECT id FROM p)",
            pupilSet + $"SELECT {AnswerColumns} WHERE ca.pupil_id IN (SELECT id FROM p)",
            c =>
            {
                c.Parameters.Add(new NpgsqlParameter<Guid>("academy_id", filter.AcademyId));
                if (filter.RegistrationGroup is { } group) c.Parameters.Add(new NpgsqlParameter<string>("group", group));
                if (filter.YearGroup is { } year) c.Parameters.Add(new NpgsqlParameter<int>("year", year.Value));
                if (!filter.IncludeLeavers) c.Parameters.Add(new NpgsqlParameter<DateOnly>("today", today));
                AddScope(c, scope);
            },
            purposeKey, ct);
    }

    /// <summary>True when the academy exists and lies in the caller's scope.</summary>
    public async Task<bool> AcademyVisibleAsync(AccessScope scope, Guid academyId, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand(
            $"SELECT EXISTS (SELECT 1 FROM consenthub.academies a WHERE a.id = @academy_id AND {AccessScope.Condition("a.id")})");
        cmd.Parameters.Add(new NpgsqlParameter<Guid>("academy_id", academyId));
        AddScope(cmd.Parameters, scope);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>True when the purpose key names an active purpose.</summary>
    public async Task<bool> PurposeExistsAsync(string key, CancellationToken ct = default) =>
        (await reference.GetAsync(ct)).Purposes.Any(p => p.Facts.Key == key);

    private static void AddScope(NpgsqlBatchCommand c, AccessScope scope) => AddScope(c.Parameters, scope);

    /// <summary>The parameters <see cref="AccessScope.SqlCondition"/> refers to.</summary>
    public static void AddScope(NpgsqlParameterCollection parameters, AccessScope scope)
    {
        parameters.Add(new NpgsqlParameter<int>("scope_level", (int)scope.Level));
        parameters.Add(new NpgsqlParameter("scope_id", NpgsqlDbType.Uuid) { Value = (object?)scope.Id ?? DBNull.Value });
    }

    private async Task<IReadOnlyList<PupilConsent>> ReadAsync(string pupilSql, string contactSql, string answerSql, Action<NpgsqlBatchCommand> bind,
        string? purposeKey, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var refs = await reference.GetAsync(ct);
        var purposeList = purposeKey is null ? refs.Purposes : [.. refs.Purposes.Where(p => p.Facts.Key == purposeKey)];

        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(conn);
        foreach (var sql in new[] { pupilSql, contactSql, answerSql })
        {
            var c = new NpgsqlBatchCommand(sql);
            bind(c);
            batch.BatchCommands.Add(c);
        }
        await using var reader = await batch.ExecuteReaderAsync(ct);

        var pupils = new List<PupilRow>();
        while (await reader.ReadAsync(ct))
        {
            pupils.Add(new PupilRow(
                reader.GetGuid(0), reader.GetGuid(1),
                DisplayName(reader.IsDBNull(4) ? reader.GetString(2) : reader.GetString(4), reader.IsDBNull(5) ? reader.GetString(3) : reader.GetString(5)),
                new YearGroup(reader.GetInt32(6)), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetFieldValue<DateOnly>(8), reader.GetBoolean(9), reader.GetBoolean(10), reader.GetBoolean(11)));
        }
        if (pupils.Count == 0) return [];

        await reader.NextResultAsync(ct);
        var contacts = new Dictionary<Guid, List<ContactFacts>>();
        while (await reader.ReadAsync(ct))
        {
            var name = string.Join(' ', new[] { reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3), reader.GetString(4) }.Where(s => !string.IsNullOrWhiteSpace(s)));
            Bucket(contacts, reader.GetGuid(0)).Add(new ContactFacts(reader.GetGuid(1), name, reader.GetBoolean(5), reader.GetBoolean(6)));
        }

        await reader.NextResultAsync(ct);
        var answers = new Dictionary<(Guid, Guid), List<AnswerFacts>>();
        while (await reader.ReadAsync(ct))
        {
            var kind = Enum.Parse<PartyKind>(reader.GetString(3));
            var answer = new AnswerFacts(kind, kind == PartyKind.Pupil ? null : reader.GetGuid(2), Enum.Parse<AnswerKind>(reader.GetString(5)),
                reader.GetFieldValue<DateTimeOffset>(6), reader.GetInt64(4), reader.IsDBNull(7) ? null : reader.GetFieldValue<DateOnly>(7));
            Bucket(answers, (reader.GetGuid(0), reader.GetGuid(1))).Add(answer);
        }

        var result = new List<PupilConsent>(pupils.Count);
        foreach (var p in pupils)
        {
            var pupilFacts = new PupilFacts(p.YearGroup, p.LeftOn, p.AlsoAskParent, p.NeverFeature, contacts.GetValueOrDefault(p.Id) ?? []);
            var pupilPauses = refs.PausesFor(p.AcademyId);
            var decisions = new List<PurposeConsent>(purposeList.Count);
            foreach (var purpose in purposeList)
            {
                List<AnswerFacts> list = answers.TryGetValue((p.Id, purpose.Id), out var found) ? found : [];
                var decision = ConsentRules.Decide(new ConsentFacts(pupilFacts, purpose.Facts, list, pupilPauses, p.Requested, refs.Settings), now);
                DateTimeOffset? changed = list.Count == 0 ? null : list.Max(a => a.At);
                decisions.Add(new PurposeConsent(purpose.Id, purpose.Facts.Key, purpose.Facts.Name, decision, changed));
            }
            var doNotFeature = p.NeverFeature || decisions.Any(d => d.Decision.DoNotFeature);
            result.Add(new PupilConsent(p.Id, p.AcademyId, p.DisplayName, p.YearGroup, p.RegistrationGroup, doNotFeature, decisions));
        }
        return result;
    }

    private static string DisplayName(string first, string last) => $"{first} {last}";

    private static List<T> Bucket<TKey, T>(Dictionary<TKey, List<T>> map, TKey key) where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        return list;
    }

    private sealed record PupilRow(Guid Id, Guid AcademyId, string DisplayName, YearGroup YearGroup, string? RegistrationGroup, DateOnly? LeftOn,
        bool AlsoAskParent, bool NeverFeature, bool Requested);
}
