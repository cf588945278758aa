using ConsentHub.Access;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Pupils;
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
    public async Task<PupilConsent?> ForPupilAsync(AccessScope scope, Guid pupilId, string? purposeKey = null, CancellationToken ct = default)
    {
        var result = await ReadAsync(
            $"SELECT f.pupil_id, f.academy_id, f.facts, f.changed_at FROM consenthub.pupil_consent_facts f WHERE f.pupil_id = @pupil_id AND {AccessScope.Condition("f.academy_id")}",
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
            ORDER BY p.display_last_name, p.display_first_name, p.id
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

    private async Task<IReadOnlyList<PupilConsent>> ReadAsync(string sql, Action<NpgsqlCommand> bind, string? purposeKey, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var refs = await reference.GetAsync(ct);
        var purposeList = purposeKey is null ? refs.Purposes : [.. refs.Purposes.Where(p => p.Facts.Key == purposeKey)];

        var rows = new List<(Guid Id, Guid AcademyId, string Facts, DateTimeOffset ChangedAt)>();
        await using (var command = dataSource.CreateCommand(sql))
        {
            bind(command);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) rows.Add((reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        var result = new List<PupilConsent>(rows.Count);
        foreach (var (pupilId, academyId, json, changedAt) in rows)
        {
            var doc = ConsentFactsDocument.Parse(json);
            var contacts = new List<ContactFacts>(doc.Contacts.Count);
            foreach (var c in doc.Contacts)
                contacts.Add(new ContactFacts(c.Id, ContactName(c.Title, c.First, c.Last), c.Pr, c.NoContact));
            var answers = new Dictionary<Guid, List<AnswerFacts>>();
            foreach (var a in doc.Answers)
            {
                var kind = Enum.Parse<PartyKind>(a.PartyKind);
                Bucket(answers, a.Purpose).Add(new AnswerFacts(kind, kind == PartyKind.Pupil ? null : a.Party, Enum.Parse<AnswerKind>(a.Kind), a.At, a.Id, a.ValidThrough));
            }

            var yearGroup = new YearGroup(doc.Year);
            var pupilFacts = new PupilFacts(yearGroup, doc.LeftOn, doc.AlsoAskParent, doc.NeverFeature, contacts);
            var pupilPauses = refs.PausesFor(academyId);
            var decisions = new List<PurposeConsent>(purposeList.Count);
            foreach (var purpose in purposeList)
            {
                List<AnswerFacts> list = answers.TryGetValue(purpose.Id, out var found) ? found : [];
                var decision = ConsentRules.Decide(new ConsentFacts(pupilFacts, purpose.Facts, list, pupilPauses, doc.Requested, refs.Settings), now);
                DateTimeOffset? changed = list.Count == 0 ? null : list.Max(a => a.At);
                decisions.Add(new PurposeConsent(purpose.Id, purpose.Facts.Key, purpose.Facts.Name, decision, changed));
            }
            var doNotFeature = doc.NeverFeature || decisions.Any(d => d.Decision.DoNotFeature);
            result.Add(new PupilConsent(pupilId, academyId, doc.Name, yearGroup, doc.Group, doNotFeature, decisions) { FactsChangedAt = changedAt });
        }
        return result;
    }

    private static string ContactName(string? title, string first, string last) =>
        string.Join(' ', new[] { title, first, last }.Where(s => !string.IsNullOrWhiteSpace(s)));

    private static List<T> Bucket<TKey, T>(Dictionary<TKey, List<T>> map, TKey key) where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        return list;
    }
}
