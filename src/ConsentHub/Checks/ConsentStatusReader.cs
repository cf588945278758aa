using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Access;
using ConsentHub.Trust;
using Npgsql;
using NpgsqlTypes;

namespace ConsentHub.Checks;

/// <summary>
/// Loads the facts for one pupil or a roster in one round trip (a batch of statements over the same pupil set)
/// and lets the rule engine decide. Reads the current-answer projection, not the whole answer history.
/// Scoping is in the SQL: a pupil outside the caller's scope is simply not found.
/// </summary>
public sealed class ConsentStatusReader(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public async Task<PupilConsent?> ForPupilAsync(AccessScope scope, Guid pupilId, string? purposeKey = null, CancellationToken ct = default)
    {
        var result = await ReadAsync(scope, "p.id = @pupil_id", cmd => cmd.Parameters.Add(new NpgsqlParameter<Guid>("pupil_id", pupilId)), purposeKey, ct);
        return result.Count == 0 ? null : result[0];
    }

    public Task<IReadOnlyList<PupilConsent>> ForRosterAsync(AccessScope scope, RosterFilter filter, string? purposeKey = null, CancellationToken ct = default)
    {
        const string where =
            "p.academy_id = @academy_id AND (@group::text IS NULL OR p.registration_group = @group) " +
            "AND (@year::int IS NULL OR p.year_group = @year) AND (@include_leavers OR p.left_on IS NULL OR p.left_on > @today)";
        var today = UkCalendar.DateOf(clock.GetUtcNow());
        return ReadAsync(scope, where, cmd =>
        {
            cmd.Parameters.Add(new NpgsqlParameter<Guid>("academy_id", filter.AcademyId));
            cmd.Parameters.Add(new NpgsqlParameter("group", NpgsqlDbType.Text) { Value = (object?)filter.RegistrationGroup ?? DBNull.Value });
            cmd.Parameters.Add(new NpgsqlParameter("year", NpgsqlDbType.Integer) { Value = (object?)filter.YearGroup?.Value ?? DBNull.Value });
            cmd.Parameters.Add(new NpgsqlParameter<bool>("include_leavers", filter.IncludeLeavers));
            cmd.Parameters.Add(new NpgsqlParameter<DateOnly>("today", today));
        }, purposeKey, ct);
    }

    /// <summary>True when the purpose key names an active purpose.</summary>
    public async Task<bool> PurposeExistsAsync(string key, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM consenthub.purposes WHERE key = $1 AND active)");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private async Task<IReadOnlyList<PupilConsent>> ReadAsync(AccessScope scope, string pupilFilter, Action<NpgsqlBatchCommand> bind, string? purposeKey, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var pupilSet = $"WITH p AS (SELECT * FROM consenthub.pupils p WHERE {pupilFilter} AND {AccessScope.Condition("p.academy_id")}) ";

        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(conn);
        NpgsqlBatchCommand Add(string sql, bool pupilScoped)
        {
            var c = new NpgsqlBatchCommand(sql);
            if (pupilScoped)
            {
                bind(c);
                c.Parameters.Add(new NpgsqlParameter<int>("scope_level", (int)scope.Level));
                c.Parameters.Add(new NpgsqlParameter("scope_id", NpgsqlDbType.Uuid) { Value = (object?)scope.Id ?? DBNull.Value });
            }
            batch.BatchCommands.Add(c);
            return c;
        }

        Add(pupilSet + """
            SELECT p.id, p.academy_id, p.legal_first_name, p.legal_last_name, p.preferred_first_name, p.preferred_last_name,
                   p.year_group, p.registration_group, p.left_on, p.also_ask_parent,
                   EXISTS (SELECT 1 FROM consenthub.safeguarding_flags f WHERE f.pupil_id = p.id AND f.cleared_at IS NULL),
                   EXISTS (SELECT 1 FROM consenthub.signature_requests r WHERE r.pupil_id = p.id)
            FROM p ORDER BY coalesce(p.preferred_last_name, p.legal_last_name), coalesce(p.preferred_first_name, p.legal_first_name), p.id
            """, true);
        Add(pupilSet + """
            SELECT pc.pupil_id, c.id, c.title, c.first_name, c.last_name, pc.has_parental_responsibility, pc.no_contact_order
            FROM consenthub.pupil_contacts pc JOIN consenthub.contacts c ON c.id = pc.contact_id
            WHERE pc.pupil_id IN (SELECT id FROM p)
            """, true);
        Add(pupilSet + """
            SELECT ca.pupil_id, ca.purpose_id, ca.party_id, ca.party_kind, ca.answer_id, ca.kind, ca.at, fv.consent_valid_through
            FROM consenthub.current_answers ca JOIN consenthub.form_versions fv ON fv.id = ca.form_version_id
            WHERE ca.pupil_id IN (SELECT id FROM p)
            """, true);
        var purposes = Add("""
            SELECT id, key, name, lawful_basis, validity_kind, validity_months, publishes_on_trust_accounts
            FROM consenthub.purposes WHERE active AND ($1::text IS NULL OR key = $1) ORDER BY sort_order, name
            """, false);
        purposes.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)purposeKey ?? DBNull.Value });
        var pauses = Add("""
            SELECT pp.scope, pp.scope_id, pp."from", pp.until, pp.reason, a.id
            FROM consenthub.posting_pauses pp
            JOIN consenthub.academies a ON pp.scope = 'Trust' OR (pp.scope = 'Academy' AND pp.scope_id = a.id) OR (pp.scope = 'Region' AND pp.scope_id = a.region_id)
            WHERE pp.until IS NULL OR pp.until > $1
            """, false);
        pauses.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        Add("""
            SELECT require_every_parental_responsibility_holder, academic_year_start_month, academic_year_start_day
            FROM consenthub.trusts ORDER BY id LIMIT 1
            """, false);

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

        await reader.NextResultAsync(ct);
        var purposeList = new List<(Guid Id, PurposeFacts Facts)>();
        while (await reader.ReadAsync(ct))
        {
            var validity = Enum.Parse<ValidityKind>(reader.GetString(4));
            purposeList.Add((reader.GetGuid(0), new PurposeFacts(reader.GetString(1), reader.GetString(2), Enum.Parse<LawfulBasis>(reader.GetString(3)),
                new PurposeValidity(validity, reader.GetInt32(5)), reader.GetBoolean(6))));
        }

        await reader.NextResultAsync(ct);
        var pausesByAcademy = new Dictionary<Guid, List<PauseFacts>>();
        while (await reader.ReadAsync(ct))
        {
            Bucket(pausesByAcademy, reader.GetGuid(5)).Add(new PauseFacts(reader.GetFieldValue<DateTimeOffset>(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3), reader.GetString(4)));
        }

        await reader.NextResultAsync(ct);
        var settings = ConsentRuleSettings.Default;
        if (await reader.ReadAsync(ct))
            settings = new ConsentRuleSettings(reader.GetBoolean(0), reader.GetInt32(1), reader.GetInt32(2));

        var result = new List<PupilConsent>(pupils.Count);
        foreach (var p in pupils)
        {
            var pupilFacts = new PupilFacts(p.YearGroup, p.LeftOn, p.AlsoAskParent, p.NeverFeature, contacts.GetValueOrDefault(p.Id) ?? []);
            var pupilPauses = (IReadOnlyList<PauseFacts>?)pausesByAcademy.GetValueOrDefault(p.AcademyId) ?? [];
            var decisions = new List<PurposeConsent>(purposeList.Count);
            foreach (var (purposeId, purpose) in purposeList)
            {
                List<AnswerFacts> list = answers.TryGetValue((p.Id, purposeId), out var found) ? found : [];
                var decision = ConsentRules.Decide(new ConsentFacts(pupilFacts, purpose, list, pupilPauses, p.Requested, settings), now);
                DateTimeOffset? changed = list.Count == 0 ? null : list.Max(a => a.At);
                decisions.Add(new PurposeConsent(purposeId, purpose.Key, purpose.Name, decision, changed));
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
