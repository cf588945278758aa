using ConsentHub.Access;
using ConsentHub.Consent;
using ConsentHub.Requests;
using ConsentHub.Signing;
using ConsentHub.Text;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace ConsentHub.Forms;

/// <summary>Which open requests to print: one academy, optionally a year group or a class, everyone or only paper.</summary>
/// <param name="AcademyId">The academy; null only with <paramref name="RequestIds"/> (a reprint, wherever in scope).</param>
/// <param name="RequestIds">Only these requests (a single form, a reprint); null for the whole selection.</param>
/// <param name="IssueId">Only the requests one issue sent on paper (the paper forms straight after issuing).</param>
public sealed record FormSelection(Guid? AcademyId, int? YearGroup = null, string? RegistrationGroup = null, bool OnlyWithoutEmail = false, IReadOnlyList<Guid>? RequestIds = null,
    Guid? IssueId = null);

/// <summary>
/// Reads what the printed forms need for every open, unexpired request in a selection, in class order: pupil,
/// party, the form version's wording for that party's audience and language, the academy and its logo. Scoped in
/// the SQL: requests outside the caller's scope are simply not there.
/// </summary>
public sealed class LoadConsentForms(NpgsqlDataSource dataSource, IOptions<SigningOptions> signing, TimeProvider clock)
{
    public async Task<IReadOnlyList<ConsentForm>> HandleAsync(AccessScope scope, FormSelection selection, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(selection);
        if (selection.AcademyId is null && selection.RequestIds is null && selection.IssueId is null) throw new ArgumentException("Choose an academy or the requests.", nameof(selection));
        await using var conn = await dataSource.OpenConnectionAsync(ct);

        string trustName;
        await using (var cmd = new NpgsqlCommand("SELECT name FROM consenthub.trusts ORDER BY name LIMIT 1", conn))
            trustName = (string?)await cmd.ExecuteScalarAsync(ct) ?? "The Trust";

        var rows = new List<Row>();
        await using (var cmd = new NpgsqlCommand($"""
            SELECT r.id, r.short_code, r.deadline, r.party_kind, r.form_version_id, fv.label,
                   p.display_first_name,
                   p.display_name,
                   p.year_group, p.registration_group, p.also_ask_parent, a.name, l.content,
                   concat_ws(' ', nullif(btrim(c.title), ''), c.first_name, c.last_name), coalesce(c.preferred_language, 'en')
            FROM consenthub.signature_requests r
            JOIN consenthub.pupils p ON p.id = r.pupil_id
            JOIN consenthub.academies a ON a.id = r.academy_id
            JOIN consenthub.form_versions fv ON fv.id = r.form_version_id
            LEFT JOIN consenthub.academy_logos l ON l.academy_id = a.id
            LEFT JOIN consenthub.contacts c ON c.id = r.contact_id
            WHERE (@academy IS NULL OR r.academy_id = @academy) AND r.status = 'Open' AND r.expires_at > @now AND p.left_on IS NULL
              AND {AccessScope.Condition("r.academy_id")}
              AND (@year IS NULL OR p.year_group = @year)
              AND (@group IS NULL OR p.registration_group = @group)
              AND (@ids IS NULL OR r.id = ANY(@ids))
              AND (@issue::uuid IS NULL OR (r.issue_id = @issue AND r.delivery = 'Paper'))
              AND (NOT @only_paper OR CASE WHEN r.party_kind = 'Pupil' THEN coalesce(btrim(p.school_email), '') = ''
                                           ELSE coalesce(btrim(c.email), '') = '' OR c.email_failing_since IS NOT NULL END)
            ORDER BY p.year_group, p.registration_group, p.display_last_name {NameOrder.Sql}, p.display_first_name {NameOrder.Sql}, p.id,
                     r.party_kind DESC, 14
            """, conn))
        {
            cmd.Parameters.Add(new NpgsqlParameter("academy", NpgsqlDbType.Uuid) { Value = (object?)selection.AcademyId ?? DBNull.Value });
            cmd.Parameters.AddWithValue("now", clock.GetUtcNow());
            cmd.Parameters.AddScope(scope);
            cmd.Parameters.Add(new NpgsqlParameter("year", NpgsqlDbType.Integer) { Value = (object?)selection.YearGroup ?? DBNull.Value });
            cmd.Parameters.Add(new NpgsqlParameter("group", NpgsqlDbType.Text) { Value = (object?)selection.RegistrationGroup?.Trim() ?? DBNull.Value });
            cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = (object?)selection.RequestIds?.ToArray() ?? DBNull.Value });
            cmd.Parameters.AddWithValue("only_paper", selection.OnlyWithoutEmail);
            cmd.Parameters.Add(new NpgsqlParameter("issue", NpgsqlDbType.Uuid) { Value = (object?)selection.IssueId ?? DBNull.Value });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add(new Row(reader.GetGuid(0), reader.GetString(1).Trim(), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateOnly>(2),
                    Enum.Parse<PartyKind>(reader.GetString(3)), reader.GetGuid(4), reader.GetString(5), reader.GetString(6), reader.GetString(7),
                    reader.GetInt32(8), reader.IsDBNull(9) ? null : reader.GetString(9), reader.GetBoolean(10), reader.GetString(11),
                    reader.IsDBNull(12) ? null : (byte[])reader[12], reader.GetString(13), reader.GetString(14)));
            }
        }
        if (rows.Count == 0) return [];

        var wordings = await WordingsAsync(conn, [.. rows.Select(r => r.FormVersionId).Distinct()], ct);
        var options = signing.Value;
        return [.. rows.Select(r => new ConsentForm(
            trustName, r.AcademyName, r.Logo, r.FirstName, r.PupilName, r.YearGroup, r.RegistrationGroup, r.Party,
            r.Party == PartyKind.Contact ? r.ContactName : null, r.Party == PartyKind.Contact ? r.Language : "en", r.FormLabel,
            wordings.For(r.FormVersionId, r.Party == PartyKind.Pupil ? Audience.Pupil : Audience.Parent, r.Party == PartyKind.Contact ? r.Language : "en"),
            r.ShortCode, options.ShortCodeUrlFor(r.ShortCode), options.ShortCodeUrl, r.Deadline, r.AlsoAskParent))];
    }

    private sealed record Row(
        Guid RequestId, string ShortCode, DateOnly? Deadline, PartyKind Party, Guid FormVersionId, string FormLabel, string FirstName,
        string PupilName, int YearGroup, string? RegistrationGroup, bool AlsoAskParent, string AcademyName, byte[]? Logo, string ContactName,
        string Language);

    private static async Task<Wordings> WordingsAsync(NpgsqlConnection conn, Guid[] formVersions, CancellationToken ct)
    {
        var all = new List<(Guid Version, Guid Purpose, string Key, string Name, int Order, Audience Audience, string Language, string Text)>();
        await using var cmd = new NpgsqlCommand("""
            SELECT w.form_version_id, p.id, p.key, p.name, p.sort_order, w.audience, w.language, w.text
            FROM consenthub.form_wordings w JOIN consenthub.purposes p ON p.id = w.purpose_id
            WHERE w.form_version_id = ANY(@versions) AND p.active
            """, conn);
        cmd.Parameters.AddWithValue("versions", formVersions);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            all.Add((reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4),
                Enum.Parse<Audience>(reader.GetString(5)), reader.GetString(6), reader.GetString(7)));
        return new Wordings(all);
    }

    /// <summary>Per form version, audience and language: each purpose with the best wording (that language, else English).</summary>
    private sealed class Wordings(List<(Guid Version, Guid Purpose, string Key, string Name, int Order, Audience Audience, string Language, string Text)> all)
    {
        private readonly Dictionary<(Guid, Audience, string), IReadOnlyList<FormPurpose>> _cache = [];

        public IReadOnlyList<FormPurpose> For(Guid version, Audience audience, string language)
        {
            if (_cache.TryGetValue((version, audience, language), out var cached)) return cached;
            var forVersion = all.Where(w => w.Version == version).ToList();
            var purposes = forVersion
                .GroupBy(w => w.Purpose)
                .Select(g =>
                {
                    var pick = g.FirstOrDefault(w => w.Audience == audience && w.Language == language);
                    if (pick == default) pick = g.FirstOrDefault(w => w.Audience == audience && w.Language == "en");
                    if (pick == default) pick = g.FirstOrDefault(w => w.Language == "en");
                    if (pick == default) pick = g.First();
                    return (pick.Order, Purpose: new FormPurpose(pick.Key, pick.Name, pick.Text));
                })
                .OrderBy(p => p.Order).ThenBy(p => p.Purpose.Name, StringComparer.Ordinal)
                .Select(p => p.Purpose)
                .ToList();
            _cache[(version, audience, language)] = purposes;
            return purposes;
        }
    }
}
