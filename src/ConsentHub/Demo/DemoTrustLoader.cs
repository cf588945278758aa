using Npgsql;
using NpgsqlTypes;

namespace ConsentHub.Trust.Demo;

/// <summary>
/// Writes a generated trust with binary COPY, one table after another in one transaction: all of it or none.
/// EF's change tracker would take minutes for the large profile; COPY takes seconds. Column names and types
/// follow the baseline migration; enums are stored by name, as the entity configurations map them.
/// </summary>
public sealed class DemoTrustLoader(NpgsqlDataSource dataSource)
{
    /// <summary>Loads in a transaction of its own.</summary>
    public async Task<DemoTrustCounts> LoadAsync(DemoTrust trust, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        DemoTrustCounts counts;
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            counts = await LoadAsync(conn, trust, ct);
            await tx.CommitAsync(ct);
        }
        return counts;
    }

    /// <summary>
    /// Loads on the caller's connection, inside the transaction the caller has begun (and will commit). Parents
    /// before children, so every foreign key is checked as the rows arrive; then planner statistics and the check
    /// read model for the new pupils.
    /// </summary>
    public static async Task<DemoTrustCounts> LoadAsync(NpgsqlConnection conn, DemoTrust trust, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(conn);
        ArgumentNullException.ThrowIfNull(trust);

        // The check read model is built once at the end, from analysed tables, rather than by the triggers after
        // every COPY: mid-transaction the planner still believes the new tables are empty, and the refresh after
        // the pupil_contacts COPY alone would take minutes for the large profile.
        await ExecuteAsync(conn, "SELECT set_config('consenthub.defer_consent_facts', 'on', true)", ct);

        var regions = await CopyAsync(conn, "regions", ["id", "trust_id", "name"], trust.Regions, async (w, r) =>
        {
            await Uuid(w, r.Id, ct);
            await Uuid(w, r.TrustId, ct);
            await Text(w, r.Name, ct);
        }, ct);

        var academies = await CopyAsync(conn, "academies", ["id", "region_id", "code", "name", "phase", "lowest_year", "highest_year"], trust.Academies, async (w, a) =>
        {
            await Uuid(w, a.Id, ct);
            await Uuid(w, a.RegionId, ct);
            await Text(w, a.Code, ct);
            await Text(w, a.Name, ct);
            await Text(w, a.Phase.ToString(), ct);
            await Int(w, a.LowestYear, ct);
            await Int(w, a.HighestYear, ct);
        }, ct);

        var pupils = await CopyAsync(conn, "pupils",
            ["id", "academy_id", "mis_id", "legal_first_name", "legal_last_name", "preferred_first_name", "preferred_last_name", "date_of_birth",
             "year_group", "registration_group", "started_on", "left_on", "school_email", "also_ask_parent", "also_ask_parent_reason"],
            trust.Pupils, async (w, p) =>
            {
                await Uuid(w, p.Id, ct);
                await Uuid(w, p.AcademyId, ct);
                await Text(w, p.MisId, ct);
                await Text(w, p.LegalFirstName, ct);
                await Text(w, p.LegalLastName, ct);
                await Text(w, p.PreferredFirstName, ct);
                await Text(w, p.PreferredLastName, ct);
                await Date(w, p.DateOfBirth, ct);
                await Int(w, p.YearGroup, ct);
                await Text(w, p.RegistrationGroup, ct);
                await Date(w, p.StartedOn, ct);
                await Date(w, p.LeftOn, ct);
                await Text(w, p.SchoolEmail, ct);
                await Bool(w, p.AlsoAskParent, ct);
                await Text(w, p.AlsoAskParentReason, ct);
            }, ct);

        var contacts = await CopyAsync(conn, "contacts",
            ["id", "title", "first_name", "last_name", "email", "phone", "preferred_language", "email_failing_since"],
            trust.Contacts, async (w, c) =>
            {
                await Uuid(w, c.Id, ct);
                await Text(w, c.Title, ct);
                await Text(w, c.FirstName, ct);
                await Text(w, c.LastName, ct);
                await Text(w, c.Email, ct);
                await Text(w, c.Phone, ct);
                await Text(w, c.PreferredLanguage, ct);
                await Time(w, c.EmailFailingSince, ct);
            }, ct);

        var pupilContacts = await CopyAsync(conn, "pupil_contacts",
            ["pupil_id", "contact_id", "relationship", "has_parental_responsibility", "no_contact_order", "priority"],
            trust.PupilContacts, async (w, pc) =>
            {
                await Uuid(w, pc.PupilId, ct);
                await Uuid(w, pc.ContactId, ct);
                await Text(w, pc.Relationship, ct);
                await Bool(w, pc.HasParentalResponsibility, ct);
                await Bool(w, pc.NoContactOrder, ct);
                await Int(w, pc.Priority, ct);
            }, ct);

        var flags = await CopyAsync(conn, "safeguarding_flags",
            ["id", "pupil_id", "academy_id", "reason", "set_by", "set_at", "cleared_by", "cleared_at"],
            trust.SafeguardingFlags, async (w, f) =>
            {
                await Uuid(w, f.Id, ct);
                await Uuid(w, f.PupilId, ct);
                await Uuid(w, f.AcademyId, ct);
                await Text(w, f.Reason, ct);
                await Text(w, f.SetBy, ct);
                await Time(w, f.SetAt, ct);
                await Text(w, f.ClearedBy, ct);
                await Time(w, f.ClearedAt, ct);
            }, ct);

        var pauses = await CopyAsync(conn, "posting_pauses",
            ["id", "scope", "scope_id", "from", "until", "reason", "set_by", "set_at"],
            trust.PostingPauses, async (w, p) =>
            {
                await Uuid(w, p.Id, ct);
                await Text(w, p.Scope.ToString(), ct);
                await Uuid(w, p.ScopeId, ct);
                await Time(w, p.From, ct);
                await Time(w, p.Until, ct);
                await Text(w, p.Reason, ct);
                await Text(w, p.SetBy, ct);
                await Time(w, p.SetAt, ct);
            }, ct);

        var requests = await CopyAsync(conn, "signature_requests",
            ["id", "pupil_id", "academy_id", "form_version_id", "party_kind", "contact_id", "issued_at", "issued_by", "deadline", "status", "token_hash", "short_code", "expires_at"],
            trust.SignatureRequests, async (w, r) =>
            {
                await Uuid(w, r.Id, ct);
                await Uuid(w, r.PupilId, ct);
                await Uuid(w, r.AcademyId, ct);
                await Uuid(w, r.FormVersionId, ct);
                await Text(w, r.PartyKind.ToString(), ct);
                await Uuid(w, r.ContactId, ct);
                await Time(w, r.IssuedAt, ct);
                await Text(w, r.IssuedBy, ct);
                await Date(w, r.Deadline, ct);
                await Text(w, r.Status.ToString(), ct);
                await w.WriteAsync(r.TokenHash, NpgsqlTypes.NpgsqlDbType.Bytea, ct);
                await Text(w, r.ShortCode, ct);
                await Time(w, r.ExpiresAt, ct);
            }, ct);

        // No id column: it is GENERATED ALWAYS, numbered in the order the rows arrive. The projection trigger
        // fills current_answers row by row as they do, exactly as it would for answers recorded live.
        var answers = await CopyAsync(conn, "consent_answers",
            ["pupil_id", "academy_id", "purpose_id", "party_kind", "contact_id", "kind", "method", "form_version_id", "at", "recorded_at",
             "recorded_by", "signature_name", "ip_hash", "user_agent", "scan_reference", "attested", "note"],
            trust.ConsentAnswers, async (w, a) =>
            {
                await Uuid(w, a.PupilId, ct);
                await Uuid(w, a.AcademyId, ct);
                await Uuid(w, a.PurposeId, ct);
                await Text(w, a.PartyKind.ToString(), ct);
                await Uuid(w, a.ContactId, ct);
                await Text(w, a.Kind.ToString(), ct);
                await Text(w, a.Method.ToString(), ct);
                await Uuid(w, a.FormVersionId, ct);
                await Time(w, a.At, ct);
                await Time(w, a.RecordedAt, ct);
                await Text(w, a.RecordedBy, ct);
                await Text(w, a.SignatureName, ct);
                await Text(w, a.IpHash, ct);
                await Text(w, a.UserAgent, ct);
                await Text(w, a.ScanReference, ct);
                await Bool(w, a.Attested, ct);
                await Text(w, a.Note, ct);
            }, ct);

        await AnalyzeAsync(conn, ct);
        await using (var refresh = new NpgsqlCommand("SELECT consenthub.refresh_pupil_consent_facts($1)", conn))
        {
            refresh.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. trust.Pupils.Select(p => p.Id)] });
            refresh.CommandTimeout = 600;
            await refresh.ExecuteNonQueryAsync(ct);
        }
        await ExecuteAsync(conn, "SELECT set_config('consenthub.defer_consent_facts', 'off', true)", ct);

        return new DemoTrustCounts(regions, academies, pupils, contacts, pupilContacts, flags, pauses, requests, answers);
    }

    private static async Task ExecuteAsync(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Autovacuum would analyse the new rows eventually; until it does, the planner guesses from empty tables and
    /// the first roster queries after a load pick poor plans. Allowed inside a transaction.
    /// </summary>
    public static async Task AnalyzeAsync(NpgsqlConnection conn, CancellationToken ct = default)
    {
        await using var cmd = new NpgsqlCommand(
            "ANALYZE consenthub.regions, consenthub.academies, consenthub.pupils, consenthub.contacts, consenthub.pupil_contacts, " +
            "consenthub.safeguarding_flags, consenthub.posting_pauses, consenthub.signature_requests, consenthub.consent_answers, consenthub.current_answers, " +
            "consenthub.pupil_consent_facts",
            conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<int> CopyAsync<T>(NpgsqlConnection conn, string table, string[] columns, IEnumerable<T> rows,
        Func<NpgsqlBinaryImporter, T, Task> writeRow, CancellationToken ct)
    {
        var sql = $"COPY consenthub.{table} ({string.Join(", ", columns.Select(c => "\"" + c + "\""))}) FROM STDIN (FORMAT BINARY)";
        await using var importer = await conn.BeginBinaryImportAsync(sql, ct);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct);
            await writeRow(importer, row);
        }
        return checked((int)await importer.CompleteAsync(ct));
    }

    private static Task Uuid(NpgsqlBinaryImporter w, Guid? value, CancellationToken ct) =>
        value is { } v ? w.WriteAsync(v, NpgsqlDbType.Uuid, ct) : w.WriteNullAsync(ct);

    private static Task Text(NpgsqlBinaryImporter w, string? value, CancellationToken ct) =>
        value is null ? w.WriteNullAsync(ct) : w.WriteAsync(value, NpgsqlDbType.Varchar, ct);

    private static Task Int(NpgsqlBinaryImporter w, int value, CancellationToken ct) => w.WriteAsync(value, NpgsqlDbType.Integer, ct);

    private static Task Bool(NpgsqlBinaryImporter w, bool value, CancellationToken ct) => w.WriteAsync(value, NpgsqlDbType.Boolean, ct);

    private static Task Date(NpgsqlBinaryImporter w, DateOnly? value, CancellationToken ct) =>
        value is { } v ? w.WriteAsync(v, NpgsqlDbType.Date, ct) : w.WriteNullAsync(ct);

    /// <summary>timestamptz takes UTC only; the generator works in UTC, and this keeps any other offset from failing the load.</summary>
    private static Task Time(NpgsqlBinaryImporter w, DateTimeOffset? value, CancellationToken ct) =>
        value is { } v ? w.WriteAsync(v.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct) : w.WriteNullAsync(ct);
}
