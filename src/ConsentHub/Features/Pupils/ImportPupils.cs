using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace ConsentHub.Pupils;

/// <summary>
/// Imports an academy's pupils and their contacts from the MIS (a checked CSV file or JSON body). Works out the
/// adds, changes and leavers first; a dry run reports them and writes nothing, and so does any input with a
/// rejected row. A commit is one transaction: COPY into temporary tables, then a few set-based statements that
/// write only rows that differ — so importing the same file again writes nothing. A full import marks pupils
/// missing from the file as left (never deletes them). The check read model is refreshed once, at the end, for
/// the pupils that changed: a new year group re-evaluates who must consent.
/// </summary>
public sealed class ImportPupils(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit, TimeProvider clock)
{
    /// <param name="Full">The file holds every pupil on roll: pupils not in it have left.</param>
    /// <param name="Source">"csv" or "api", for the audit entry.</param>
    /// <param name="ConfirmedLeavers">
    /// For a full import that would mark more than <see cref="LeaverWarningShare"/> of the academy as leavers: the
    /// number of leavers, typed by the person importing. Anything else and nothing is written.
    /// </param>
    public sealed record Request(Guid AcademyId, PupilImportData Data, bool Full, bool DryRun, string Source = "csv", int? ConfirmedLeavers = null);

    /// <summary>A full import marking more than this share of the pupils on roll as leavers must be confirmed.</summary>
    public const double LeaverWarningShare = 0.05;

    public sealed record PupilChange(int? Line, string MisId, string Name, IReadOnlyList<string> What);

    public abstract record Result
    {
        public sealed record NotFound : Result;

        /// <summary>The input cannot be imported as a whole (wrong file type, missing columns, empty file).</summary>
        public sealed record Invalid(string Problem) : Result;

        /// <summary>
        /// What the import does (or would do). <see cref="Committed"/> is false for a dry run, when rows were
        /// rejected, and when nothing differs.
        /// </summary>
        public sealed record Report(
            bool Committed,
            int PupilsInFile,
            int ContactRowsInFile,
            IReadOnlyList<PupilChange> Added,
            IReadOnlyList<PupilChange> Changed,
            IReadOnlyList<PupilChange> Leavers,
            IReadOnlyList<RejectedRow> Rejected) : Result
        {
            public bool NothingToChange => Added.Count == 0 && Changed.Count == 0 && Leavers.Count == 0;

            /// <summary>
            /// Open signature requests to contacts who may no longer be asked after this import (a no-contact order,
            /// parental responsibility removed, no longer linked): cancelled with the reason when the import commits.
            /// </summary>
            public int RequestsCancelled { get; init; }

            /// <summary>
            /// New pupils with the same name and date of birth as a pupil already on roll under another id: most
            /// likely a mistyped or changed id that would make a second copy of the child. A warning, not a rejection.
            /// </summary>
            public IReadOnlyList<PupilChange> PossibleDuplicates { get; init; } = [];

            /// <summary>Pupils on roll at the academy before the import.</summary>
            public int OnRoll { get; init; }

            /// <summary>
            /// A full import would mark more than 5 % of the academy as leavers (often a file of new starters imported
            /// as "every pupil on roll"): the number of leavers must be typed to go ahead.
            /// </summary>
            public bool LeaversNeedConfirmation { get; init; }
        }
    }

    public async Task<Result> HandleAsync(AccessScope scope, Request request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(request);
        await using var db = await factory.CreateDbContextAsync(ct);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(5));
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();

        if (!await AcademyVisibleAsync(conn, scope, request.AcademyId, ct)) return new Result.NotFound();
        if (request.Data.Problem is { } problem) return new Result.Invalid(problem);
        var data = request.Data;

        // One import per academy at a time: a second waits, then sees the first one's result.
        await ExecuteAsync(conn, "SELECT pg_advisory_xact_lock(hashtextextended('pupil-import:' || @a::text, 0))", ct, ("a", request.AcademyId));

        await StageAsync(conn, data, ct);
        await ResolveAsync(conn, request.AcademyId, data, ct);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var added = await ReadChangesAsync(conn, AddedSql, ct);
        var changed = await ReadChangesAsync(conn, ChangedSql, ct);
        var leavers = request.Full
            ? await ReadChangesAsync(conn, LeaversSql, ct, ("a", request.AcademyId))
            : [];

        var cancelled = await PlanCancellationsAsync(conn, data, ct);
        var duplicates = await ReadChangesAsync(conn, PossibleDuplicatesSql, ct, ("a", request.AcademyId), ("today", today));
        var onRoll = await OnRollAsync(conn, request.AcademyId, today, ct);
        var report = new Result.Report(false, data.Pupils.Count, data.ContactRows, added, changed, leavers, data.Rejected)
        {
            RequestsCancelled = cancelled,
            PossibleDuplicates = duplicates,
            OnRoll = onRoll,
            LeaversNeedConfirmation = leavers.Count > 0 && leavers.Count > onRoll * LeaverWarningShare,
        };
        if (request.DryRun || data.Rejected.Count > 0 || report.NothingToChange
            || (report.LeaversNeedConfirmation && request.ConfirmedLeavers != leavers.Count))
        {
            await tx.RollbackAsync(ct);
            return report;
        }

        await ApplyAsync(conn, request.AcademyId, data, request.Full, today, added.Count, ct);
        if (cancelled > 0) await CancelRequestsAsync(conn, clock.GetUtcNow(), ct);
        await audit.AppendAsync(db, new AuditEvent(request.AcademyId, scope.Actor, "pupils.imported", "Academy",
            request.AcademyId.ToString(), Data: new Dictionary<string, object?>
            {
                ["source"] = request.Source,
                ["full"] = request.Full,
                ["pupilsInFile"] = data.Pupils.Count,
                ["contactRowsInFile"] = data.ContactRows,
                ["added"] = added.Count,
                ["changed"] = changed.Count,
                ["left"] = leavers.Count,
                ["requestsCancelled"] = cancelled,
            }), ct);
        await tx.CommitAsync(ct);
        return report with { Committed = true };
    }

    private static async Task<int> OnRollAsync(NpgsqlConnection conn, Guid academyId, DateOnly today, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT count(*) FROM consenthub.pupils WHERE academy_id = @a AND (left_on IS NULL OR left_on > @today)", conn);
        cmd.Parameters.AddWithValue("a", academyId);
        cmd.Parameters.AddWithValue("today", today);
        return (int)(long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static async Task<bool> AcademyVisibleAsync(NpgsqlConnection conn, AccessScope scope, Guid academyId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            $"SELECT EXISTS (SELECT 1 FROM consenthub.academies a WHERE a.id = @id AND {AccessScope.Condition("a.id")})", conn);
        cmd.Parameters.AddWithValue("id", academyId);
        cmd.Parameters.AddScope(scope);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// The file, as three temporary tables: pupils, the distinct people among the contacts (siblings' shared
    /// parent once), and the links between them. New rows get their ids here; existing ones are matched next.
    /// </summary>
    private static async Task StageAsync(NpgsqlConnection conn, PupilImportData data, CancellationToken ct)
    {
        await ExecuteAsync(conn, """
            CREATE TEMP TABLE imp_pupils (
                line int, mis_id text, pupil_id uuid, is_new bool, legal_first_name text, legal_last_name text,
                preferred_first_name text, preferred_last_name text, date_of_birth date, year_group int,
                registration_group text, started_on date, school_email text) ON COMMIT DROP;
            CREATE TEMP TABLE imp_people (
                key int, contact_id uuid, is_new bool, title text, first_name text, last_name text, email text, phone text,
                preferred_language text) ON COMMIT DROP;
            CREATE TEMP TABLE imp_links (
                mis_id text, key int, relationship text, has_pr bool, no_contact_order bool, priority int) ON COMMIT DROP;
            """, ct);

        await using (var w = await conn.BeginBinaryImportAsync(
            "COPY imp_pupils (line, mis_id, pupil_id, is_new, legal_first_name, legal_last_name, preferred_first_name, preferred_last_name, " +
            "date_of_birth, year_group, registration_group, started_on, school_email) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var p in data.Pupils)
            {
                await w.StartRowAsync(ct);
                await w.WriteAsync(p.Line, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(p.MisId, NpgsqlDbType.Text, ct);
                await w.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, ct);
                await w.WriteAsync(true, NpgsqlDbType.Boolean, ct);
                await w.WriteAsync(p.LegalFirstName, NpgsqlDbType.Text, ct);
                await w.WriteAsync(p.LegalLastName, NpgsqlDbType.Text, ct);
                await TextAsync(w, p.PreferredFirstName, ct);
                await TextAsync(w, p.PreferredLastName, ct);
                await w.WriteAsync(p.DateOfBirth, NpgsqlDbType.Date, ct);
                await w.WriteAsync(p.YearGroup, NpgsqlDbType.Integer, ct);
                await TextAsync(w, p.RegistrationGroup, ct);
                if (p.StartedOn is { } s) await w.WriteAsync(s, NpgsqlDbType.Date, ct); else await w.WriteNullAsync(ct);
                await TextAsync(w, p.SchoolEmail, ct);
            }
            await w.CompleteAsync(ct);
        }

        if (!data.HasContacts) return;
        // The same person on several rows (siblings, or one pupil's two rows) is one contact: same name and the
        // same email or phone. Without either, a name alone is not enough to say two pupils share a parent.
        var people = new Dictionary<(string, string, string), (int Key, ImportedContact Contact)>();
        var links = new List<(string MisId, int Key, ImportedContact Contact)>();
        foreach (var p in data.Pupils)
        {
            foreach (var c in p.Contacts)
            {
                var reach = c.Email?.ToUpperInvariant() ?? c.Phone ?? "pupil:" + p.MisId;
                var id = (c.FirstName.ToUpperInvariant() + "\n" + c.LastName.ToUpperInvariant(), reach, "");
                if (!people.TryGetValue(id, out var person))
                {
                    person = (people.Count + 1, c);
                    people.Add(id, person);
                }
                links.Add((p.MisId, person.Key, c));
            }
        }

        await using (var w = await conn.BeginBinaryImportAsync(
            "COPY imp_people (key, contact_id, is_new, title, first_name, last_name, email, phone, preferred_language) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (key, c) in people.Values)
            {
                await w.StartRowAsync(ct);
                await w.WriteAsync(key, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, ct);
                await w.WriteAsync(true, NpgsqlDbType.Boolean, ct);
                await TextAsync(w, c.Title, ct);
                await w.WriteAsync(c.FirstName, NpgsqlDbType.Text, ct);
                await w.WriteAsync(c.LastName, NpgsqlDbType.Text, ct);
                await TextAsync(w, c.Email, ct);
                await TextAsync(w, c.Phone, ct);
                await TextAsync(w, c.Language, ct);
            }
            await w.CompleteAsync(ct);
        }

        await using (var w = await conn.BeginBinaryImportAsync(
            "COPY imp_links (mis_id, key, relationship, has_pr, no_contact_order, priority) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (misId, key, c) in links)
            {
                await w.StartRowAsync(ct);
                await w.WriteAsync(misId, NpgsqlDbType.Text, ct);
                await w.WriteAsync(key, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(c.Relationship, NpgsqlDbType.Text, ct);
                await w.WriteAsync(c.HasParentalResponsibility, NpgsqlDbType.Boolean, ct);
                if (c.NoContactOrder is { } nco) await w.WriteAsync(nco, NpgsqlDbType.Boolean, ct); else await w.WriteNullAsync(ct);
                await w.WriteAsync(c.Priority, NpgsqlDbType.Integer, ct);
            }
            await w.CompleteAsync(ct);
        }
    }

    /// <summary>
    /// Matches the file to what is stored: pupils by MIS id within the academy; a contact first to one already
    /// linked to the same pupil with the same name, then to one with the same name and email linked to another
    /// pupil of this academy (a sibling's parent). Columns the file does not have keep the stored values.
    /// </summary>
    private static async Task ResolveAsync(NpgsqlConnection conn, Guid academyId, PupilImportData data, CancellationToken ct)
    {
        var cols = data.Columns;
        await ExecuteAsync(conn, """
            CREATE INDEX ON imp_pupils (mis_id);
            ANALYZE imp_pupils;
            UPDATE imp_pupils i SET pupil_id = p.id, is_new = false
            FROM consenthub.pupils p WHERE p.academy_id = @a AND p.mis_id = i.mis_id;
            """, ct, ("a", academyId));

        var keep = new List<string>();
        if (!cols.Contains(ImportField.PreferredFirstName)) keep.Add("preferred_first_name = p.preferred_first_name");
        if (!cols.Contains(ImportField.PreferredLastName)) keep.Add("preferred_last_name = p.preferred_last_name");
        if (!cols.Contains(ImportField.RegistrationGroup)) keep.Add("registration_group = p.registration_group");
        if (!cols.Contains(ImportField.StartedOn)) keep.Add("started_on = p.started_on");
        if (!cols.Contains(ImportField.SchoolEmail)) keep.Add("school_email = p.school_email");
        if (keep.Count > 0)
        {
            await ExecuteAsync(conn, $"UPDATE imp_pupils i SET {string.Join(", ", keep)} FROM consenthub.pupils p WHERE p.id = i.pupil_id AND NOT i.is_new", ct);
        }

        if (!data.HasContacts)
        {
            await ExecuteAsync(conn, "CREATE TEMP TABLE imp_target_links (pupil_id uuid, contact_id uuid) ON COMMIT DROP", ct);
            await ExecuteAsync(conn, "CREATE TEMP TABLE imp_contact_changed (pupil_id uuid) ON COMMIT DROP", ct);
            return;
        }

        await ExecuteAsync(conn, """
            CREATE INDEX ON imp_people (key);
            CREATE INDEX ON imp_links (mis_id);
            ANALYZE imp_people, imp_links;

            -- 1. The same name among the pupil's own contacts (the one with the same email first). Two people in
            --    the file matched to one contact: the first keeps it, the others become new contacts.
            UPDATE imp_people s SET contact_id = m.contact_id, is_new = false
            FROM (SELECT DISTINCT ON (s2.key) s2.key, c.id AS contact_id
                  FROM imp_links l
                  JOIN imp_pupils i ON i.mis_id = l.mis_id AND NOT i.is_new
                  JOIN imp_people s2 ON s2.key = l.key
                  JOIN consenthub.pupil_contacts pc ON pc.pupil_id = i.pupil_id
                  JOIN consenthub.contacts c ON c.id = pc.contact_id
                  WHERE lower(c.first_name) = lower(s2.first_name) AND lower(c.last_name) = lower(s2.last_name)
                  ORDER BY s2.key, (c.email IS NOT DISTINCT FROM s2.email) DESC, c.id) m
            WHERE m.key = s.key;
            UPDATE imp_people s SET contact_id = gen_random_uuid(), is_new = true
            FROM (SELECT key, row_number() OVER (PARTITION BY contact_id ORDER BY key) AS n FROM imp_people WHERE NOT is_new) d
            WHERE d.key = s.key AND d.n > 1;
            ANALYZE imp_people;

            -- 2. The same name and email linked to another pupil of this academy.
            UPDATE imp_people s SET contact_id = m.contact_id, is_new = false
            FROM (SELECT DISTINCT ON (s2.key) s2.key, c.id AS contact_id
                  FROM imp_people s2
                  JOIN consenthub.contacts c ON c.email = s2.email
                  WHERE s2.is_new AND s2.email IS NOT NULL
                    AND lower(c.first_name) = lower(s2.first_name) AND lower(c.last_name) = lower(s2.last_name)
                    AND EXISTS (SELECT 1 FROM consenthub.pupil_contacts pc JOIN consenthub.pupils p ON p.id = pc.pupil_id
                                WHERE pc.contact_id = c.id AND p.academy_id = @a)
                    AND NOT EXISTS (SELECT 1 FROM imp_people o WHERE o.contact_id = c.id)
                  ORDER BY s2.key, c.id) m
            WHERE m.key = s.key;
            UPDATE imp_people s SET contact_id = gen_random_uuid(), is_new = true
            FROM (SELECT key, row_number() OVER (PARTITION BY contact_id ORDER BY key) AS n FROM imp_people WHERE NOT is_new) d
            WHERE d.key = s.key AND d.n > 1;
            ANALYZE imp_people;
            """, ct, ("a", academyId));

        var keepContact = new List<string>();
        if (!cols.Contains(ImportField.ContactTitle)) keepContact.Add("title = c.title");
        if (!cols.Contains(ImportField.ContactEmail)) keepContact.Add("email = c.email");
        if (!cols.Contains(ImportField.ContactPhone)) keepContact.Add("phone = c.phone");
        keepContact.Add(cols.Contains(ImportField.ContactLanguage)
            ? "preferred_language = coalesce(s.preferred_language, c.preferred_language)"
            : "preferred_language = c.preferred_language");
        await ExecuteAsync(conn, $"""
            UPDATE imp_people s SET {string.Join(", ", keepContact)} FROM consenthub.contacts c WHERE c.id = s.contact_id AND NOT s.is_new;
            UPDATE imp_people SET preferred_language = 'en' WHERE preferred_language IS NULL;

            -- The links as they should be; a no-contact order the file does not mention stays as recorded.
            CREATE TEMP TABLE imp_target_links ON COMMIT DROP AS
            SELECT i.pupil_id, s.contact_id, l.relationship, l.has_pr,
                   coalesce(l.no_contact_order, pc.no_contact_order, false) AS no_contact_order, l.priority
            FROM imp_links l
            JOIN imp_pupils i ON i.mis_id = l.mis_id
            JOIN imp_people s ON s.key = l.key
            LEFT JOIN consenthub.pupil_contacts pc ON pc.pupil_id = i.pupil_id AND pc.contact_id = s.contact_id;
            CREATE INDEX ON imp_target_links (pupil_id, contact_id);
            ANALYZE imp_target_links;

            -- Pupils whose contacts differ: a link added, changed or gone, or a contact's details changed.
            CREATE TEMP TABLE imp_contact_changed ON COMMIT DROP AS
            SELECT t.pupil_id FROM imp_target_links t
            LEFT JOIN consenthub.pupil_contacts pc ON pc.pupil_id = t.pupil_id AND pc.contact_id = t.contact_id
            WHERE pc.pupil_id IS NULL
               OR (pc.relationship, pc.has_parental_responsibility, pc.no_contact_order, pc.priority)
                  IS DISTINCT FROM (t.relationship, t.has_pr, t.no_contact_order, t.priority)
            UNION
            SELECT pc.pupil_id FROM consenthub.pupil_contacts pc JOIN imp_pupils i ON i.pupil_id = pc.pupil_id AND NOT i.is_new
            WHERE NOT EXISTS (SELECT 1 FROM imp_target_links t WHERE t.pupil_id = pc.pupil_id AND t.contact_id = pc.contact_id)
            UNION
            SELECT t.pupil_id FROM imp_target_links t
            JOIN imp_people s ON s.contact_id = t.contact_id AND NOT s.is_new
            JOIN consenthub.contacts c ON c.id = s.contact_id
            WHERE (c.title, c.first_name, c.last_name, c.email, c.phone, c.preferred_language)
                  IS DISTINCT FROM (s.title, s.first_name, s.last_name, s.email, s.phone, s.preferred_language);
            """, ct);
    }

    // The staging rows have no generated columns: their names are spelled by PupilNameSql, as the pupils table's are.
    private static readonly string AddedSql = $"""
        SELECT i.line, i.mis_id, {PupilNameSql.DisplayName("i")},
               ARRAY[CASE WHEN i.year_group < 0 THEN 'Nursery' WHEN i.year_group = 0 THEN 'Reception' ELSE 'Year ' || i.year_group END]
        FROM imp_pupils i WHERE i.is_new ORDER BY i.line
        """;

    private static readonly string ChangedSql = $"""
        SELECT line, mis_id, name, what FROM (
            SELECT i.line, i.mis_id,
                   {PupilNameSql.DisplayName("i")} AS name,
                   array_remove(ARRAY[
                       CASE WHEN p.left_on IS NOT NULL THEN 'back on roll' END,
                       CASE WHEN (p.legal_first_name, p.legal_last_name, p.preferred_first_name, p.preferred_last_name)
                                 IS DISTINCT FROM (i.legal_first_name, i.legal_last_name, i.preferred_first_name, i.preferred_last_name) THEN 'name' END,
                       CASE WHEN p.date_of_birth <> i.date_of_birth THEN 'date of birth' END,
                       CASE WHEN p.year_group <> i.year_group THEN 'year group' END,
                       CASE WHEN p.registration_group IS DISTINCT FROM i.registration_group THEN 'registration group' END,
                       CASE WHEN p.started_on IS DISTINCT FROM i.started_on THEN 'admission date' END,
                       CASE WHEN p.school_email IS DISTINCT FROM i.school_email THEN 'school email' END,
                       CASE WHEN EXISTS (SELECT 1 FROM imp_contact_changed cc WHERE cc.pupil_id = i.pupil_id) THEN 'contacts' END
                   ], NULL) AS what
            FROM imp_pupils i JOIN consenthub.pupils p ON p.id = i.pupil_id
            WHERE NOT i.is_new) x
        WHERE cardinality(what) > 0 ORDER BY line
        """;

    private static readonly string PossibleDuplicatesSql = $"""
        SELECT i.line, i.mis_id, {PupilNameSql.DisplayName("i")},
               array_agg('same name and date of birth as ' || p.mis_id || ', already on roll' ORDER BY p.mis_id)
        FROM imp_pupils i
        JOIN consenthub.pupils p ON p.academy_id = @a AND p.mis_id <> i.mis_id AND p.date_of_birth = i.date_of_birth
             AND (p.left_on IS NULL OR p.left_on > @today)
             AND consenthub.search_fold(p.legal_first_name) = consenthub.search_fold(i.legal_first_name)
             AND consenthub.search_fold(p.legal_last_name) = consenthub.search_fold(i.legal_last_name)
        WHERE i.is_new
        GROUP BY i.line, i.mis_id, i.preferred_first_name, i.legal_first_name, i.preferred_last_name, i.legal_last_name
        ORDER BY i.line
        """;

    private const string LeaversSql = """
        SELECT NULL::int, p.mis_id, p.display_name,
               ARRAY[CASE WHEN p.year_group < 0 THEN 'Nursery' WHEN p.year_group = 0 THEN 'Reception' ELSE 'Year ' || p.year_group END]
        FROM consenthub.pupils p
        WHERE p.academy_id = @a AND p.left_on IS NULL AND NOT EXISTS (SELECT 1 FROM imp_pupils i WHERE i.mis_id = p.mis_id)
        ORDER BY p.year_group, p.mis_id
        """;

    private static async Task<List<PupilChange>> ReadChangesAsync(NpgsqlConnection conn, string sql, CancellationToken ct, params (string, object)[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<PupilChange>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(new PupilChange(reader.IsDBNull(0) ? null : reader.GetInt32(0), reader.GetString(1), reader.GetString(2),
                reader.GetFieldValue<string[]>(3)));
        }
        return list;
    }

    private static async Task ApplyAsync(NpgsqlConnection conn, Guid academyId, PupilImportData data, bool full, DateOnly today, int added,
        CancellationToken ct)
    {
        // The read model is refreshed once at the end, for the pupils that changed, not by the triggers after every statement.
        await ExecuteAsync(conn, """
            SELECT set_config('consenthub.defer_consent_facts', 'on', true);

            CREATE TEMP TABLE imp_affected ON COMMIT DROP AS
            SELECT i.pupil_id FROM imp_pupils i WHERE i.is_new
            UNION
            SELECT i.pupil_id FROM imp_pupils i JOIN consenthub.pupils p ON p.id = i.pupil_id
            WHERE NOT i.is_new AND (p.legal_first_name, p.legal_last_name, p.preferred_first_name, p.preferred_last_name, p.date_of_birth,
                                    p.year_group, p.registration_group, p.started_on, p.school_email, p.left_on)
                  IS DISTINCT FROM (i.legal_first_name, i.legal_last_name, i.preferred_first_name, i.preferred_last_name, i.date_of_birth,
                                    i.year_group, i.registration_group, i.started_on, i.school_email, NULL::date)
            UNION
            SELECT pupil_id FROM imp_contact_changed;

            INSERT INTO consenthub.pupils (id, academy_id, mis_id, legal_first_name, legal_last_name, preferred_first_name, preferred_last_name,
                                           date_of_birth, year_group, registration_group, started_on, school_email, also_ask_parent)
            SELECT pupil_id, @a, mis_id, legal_first_name, legal_last_name, preferred_first_name, preferred_last_name,
                   date_of_birth, year_group, registration_group, started_on, school_email, false
            FROM imp_pupils WHERE is_new;

            UPDATE consenthub.pupils p
            SET legal_first_name = i.legal_first_name, legal_last_name = i.legal_last_name,
                preferred_first_name = i.preferred_first_name, preferred_last_name = i.preferred_last_name,
                date_of_birth = i.date_of_birth, year_group = i.year_group, registration_group = i.registration_group,
                started_on = i.started_on, school_email = i.school_email, left_on = NULL
            FROM imp_pupils i
            WHERE p.id = i.pupil_id AND NOT i.is_new
              AND (p.legal_first_name, p.legal_last_name, p.preferred_first_name, p.preferred_last_name, p.date_of_birth,
                   p.year_group, p.registration_group, p.started_on, p.school_email, p.left_on)
                  IS DISTINCT FROM (i.legal_first_name, i.legal_last_name, i.preferred_first_name, i.preferred_last_name, i.date_of_birth,
                                    i.year_group, i.registration_group, i.started_on, i.school_email, NULL::date);
            """, ct, ("a", academyId));

        if (full)
        {
            await ExecuteAsync(conn, """
                WITH gone AS (
                    UPDATE consenthub.pupils p SET left_on = @today
                    WHERE p.academy_id = @a AND p.left_on IS NULL AND NOT EXISTS (SELECT 1 FROM imp_pupils i WHERE i.mis_id = p.mis_id)
                    RETURNING p.id)
                INSERT INTO imp_affected SELECT id FROM gone;
                """, ct, ("a", academyId), ("today", today));
        }

        if (data.HasContacts)
        {
            await ExecuteAsync(conn, """
                INSERT INTO consenthub.contacts (id, title, first_name, last_name, email, phone, preferred_language)
                SELECT contact_id, title, first_name, last_name, email, phone, preferred_language FROM imp_people WHERE is_new;

                UPDATE consenthub.contacts c
                SET title = s.title, first_name = s.first_name, last_name = s.last_name, email = s.email, phone = s.phone,
                    preferred_language = s.preferred_language,
                    email_failing_since = CASE WHEN c.email IS DISTINCT FROM s.email THEN NULL ELSE c.email_failing_since END,
                    email_failing_reason = CASE WHEN c.email IS DISTINCT FROM s.email THEN NULL ELSE c.email_failing_reason END
                FROM imp_people s
                WHERE c.id = s.contact_id AND NOT s.is_new
                  AND (c.title, c.first_name, c.last_name, c.email, c.phone, c.preferred_language)
                      IS DISTINCT FROM (s.title, s.first_name, s.last_name, s.email, s.phone, s.preferred_language);

                DELETE FROM consenthub.pupil_contacts pc USING imp_pupils i
                WHERE pc.pupil_id = i.pupil_id AND NOT i.is_new
                  AND NOT EXISTS (SELECT 1 FROM imp_target_links t WHERE t.pupil_id = pc.pupil_id AND t.contact_id = pc.contact_id);

                INSERT INTO consenthub.pupil_contacts (pupil_id, contact_id, relationship, has_parental_responsibility, no_contact_order, priority)
                SELECT t.pupil_id, t.contact_id, t.relationship, t.has_pr, t.no_contact_order, t.priority FROM imp_target_links t
                WHERE NOT EXISTS (SELECT 1 FROM consenthub.pupil_contacts pc WHERE pc.pupil_id = t.pupil_id AND pc.contact_id = t.contact_id);

                UPDATE consenthub.pupil_contacts pc
                SET relationship = t.relationship, has_parental_responsibility = t.has_pr, no_contact_order = t.no_contact_order, priority = t.priority
                FROM imp_target_links t
                WHERE pc.pupil_id = t.pupil_id AND pc.contact_id = t.contact_id
                  AND (pc.relationship, pc.has_parental_responsibility, pc.no_contact_order, pc.priority)
                      IS DISTINCT FROM (t.relationship, t.has_pr, t.no_contact_order, t.priority);
                """, ct);
        }

        // After a large first import the planner still believes the tables are empty; the refresh joins them.
        if (added > 1000) await ExecuteAsync(conn, "ANALYZE consenthub.pupils, consenthub.contacts, consenthub.pupil_contacts", ct);
        await ExecuteAsync(conn, """
            SELECT consenthub.refresh_pupil_consent_facts(ARRAY(SELECT DISTINCT pupil_id FROM imp_affected));
            SELECT set_config('consenthub.defer_consent_facts', 'off', true);
            """, ct);
    }

    public const string NoContactOrderReason = "The MIS now records a no-contact order: this contact may not be asked (policy §6.2).";
    public const string NoParentalResponsibilityReason = "The MIS now records that this contact does not have parental responsibility, so they are not asked (policy §6.2).";
    public const string NoLongerLinkedReason = "The MIS no longer lists this contact for the pupil.";

    /// <summary>
    /// The open requests to contacts who, once the file is applied, may not be asked: the same rule the signing
    /// page and the reminders re-check, applied now so the office's lists are right. Works in a dry run too.
    /// </summary>
    private static async Task<int> PlanCancellationsAsync(NpgsqlConnection conn, PupilImportData data, CancellationToken ct)
    {
        if (!data.HasContacts) return 0;
        await ExecuteAsync(conn, $"""
            CREATE TEMP TABLE imp_cancel ON COMMIT DROP AS
            SELECT sr.id,
                   CASE WHEN t.contact_id IS NULL THEN '{NoLongerLinkedReason}'
                        WHEN t.no_contact_order THEN '{NoContactOrderReason}'
                        ELSE '{NoParentalResponsibilityReason}' END AS reason
            FROM consenthub.signature_requests sr
            JOIN imp_pupils i ON i.pupil_id = sr.pupil_id AND NOT i.is_new
            LEFT JOIN imp_target_links t ON t.pupil_id = sr.pupil_id AND t.contact_id = sr.contact_id
            WHERE sr.status = 'Open' AND sr.party_kind = 'Contact'
              AND (t.contact_id IS NULL OR t.no_contact_order OR NOT t.has_pr);
            """, ct);
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM imp_cancel", conn);
        return (int)(long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static Task CancelRequestsAsync(NpgsqlConnection conn, DateTimeOffset now, CancellationToken ct) =>
        ExecuteAsync(conn, """
            UPDATE consenthub.signature_requests sr SET status = 'Cancelled', cancelled_at = @now, cancel_reason = c.reason
            FROM imp_cancel c WHERE sr.id = c.id AND sr.status = 'Open';
            """, ct, ("now", now));

    private static Task TextAsync(NpgsqlBinaryImporter w, string? value, CancellationToken ct) =>
        value is null ? w.WriteNullAsync(ct) : w.WriteAsync(value, NpgsqlDbType.Text, ct);

    private static async Task ExecuteAsync(NpgsqlConnection conn, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 300 };
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
