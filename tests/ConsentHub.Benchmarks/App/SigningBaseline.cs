using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace ConsentHub.Benchmarks.App;

/// <summary>
/// The in-run floor of the signing POST: raw Npgsql writing the rows a signing writes, in one transaction, at the
/// same concurrency, against copies of the same tables (same columns and indexes, no triggers, no foreign keys):
/// lock the request, the submission, one answer per purpose, the request marked answered, a change link, the
/// receipt email with its PDF in the outbox, and one hash-chained audit entry on the academy's chain (head locked,
/// entry linked to it, head moved). What it leaves out is what ConsentHub adds: the check read model and current
/// answers kept by triggers, foreign keys, validation, EF Core, the page, antiforgery, data protection.
/// </summary>
public static partial class SigningBenchmark
{
    private const string BaselineSetupSql = """
        DROP SCHEMA IF EXISTS raw_signing CASCADE;
        CREATE SCHEMA raw_signing;
        CREATE TABLE raw_signing.signature_requests (LIKE consenthub.signature_requests INCLUDING ALL);
        CREATE TABLE raw_signing.online_submissions (LIKE consenthub.online_submissions INCLUDING ALL);
        CREATE TABLE raw_signing.consent_answers (LIKE consenthub.consent_answers INCLUDING ALL);
        CREATE TABLE raw_signing.signer_links (LIKE consenthub.signer_links INCLUDING ALL);
        CREATE TABLE raw_signing.outbox_messages (LIKE consenthub.outbox_messages INCLUDING ALL);
        CREATE TABLE raw_signing.outbox_attachments (LIKE consenthub.outbox_attachments INCLUDING ALL);
        CREATE TABLE raw_signing.audit_entries (LIKE consenthub.audit_entries INCLUDING ALL);
        CREATE TABLE raw_signing.audit_chain_heads (LIKE consenthub.audit_chain_heads INCLUDING ALL);
        INSERT INTO raw_signing.signature_requests SELECT * FROM consenthub.signature_requests WHERE issued_by = 'benchmark';
        INSERT INTO raw_signing.audit_chain_heads (chain_id, last_sequence, last_hash)
            SELECT DISTINCT academy_id, 0, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea
            FROM raw_signing.signature_requests;
        """;

    // One round trip: lock the request, write the rows, lock the chain head and read its hash.
    private const string BaselineWriteSql = """
        SELECT 1 FROM raw_signing.signature_requests WHERE id = $1 AND status = 'Open' FOR UPDATE;
        INSERT INTO raw_signing.online_submissions (id, receipt_number, pupil_id, academy_id, party_kind, contact_id, kind,
            signature_request_id, form_version_id, signature_name, language, submitted_at)
        SELECT $2, $3, r.pupil_id, r.academy_id, r.party_kind, r.contact_id, 'Answer', r.id, r.form_version_id, $4, 'en', now()
        FROM raw_signing.signature_requests r WHERE r.id = $1;
        INSERT INTO raw_signing.consent_answers (pupil_id, academy_id, purpose_id, party_kind, contact_id, kind, method, form_version_id,
            at, recorded_at, recorded_by, signature_name, user_agent, attested, note, signature_request_id, online_submission_id)
        SELECT r.pupil_id, r.academy_id, c.purpose_id, r.party_kind, r.contact_id, c.kind, 'Online', r.form_version_id,
            now(), now(), $4, $4, 'ConsentHub-Benchmark/1.0', false, NULL, r.id, $2
        FROM raw_signing.signature_requests r, unnest($5::uuid[], $6::text[]) AS c(purpose_id, kind) WHERE r.id = $1;
        UPDATE raw_signing.signature_requests SET status = 'Answered' WHERE id = $1;
        UPDATE raw_signing.signer_links l SET revoked_at = now() FROM raw_signing.signature_requests r
            WHERE r.id = $1 AND l.pupil_id = r.pupil_id AND l.contact_id = r.contact_id AND l.revoked_at IS NULL;
        INSERT INTO raw_signing.signer_links (id, token_hash, pupil_id, academy_id, party_kind, contact_id, created_at, expires_at)
        SELECT $7, $8, r.pupil_id, r.academy_id, r.party_kind, r.contact_id, now(), now() + interval '1 year'
        FROM raw_signing.signature_requests r WHERE r.id = $1;
        WITH m AS (
            INSERT INTO raw_signing.outbox_messages (business_key, message_id, to_address, to_name, subject, text_body, html_body,
                academy_id, status, attempts, created_at, next_attempt_at, signature_request_id, sealed_secrets)
            SELECT 'signing-receipt:' || $2::text, $2::text || '@consenthub', 'parent@example.org', $4, 'Your consent receipt', $9, $10,
                r.academy_id, 'Pending', 0, now(), now(), NULL, $11
            FROM raw_signing.signature_requests r WHERE r.id = $1
            RETURNING id)
        INSERT INTO raw_signing.outbox_attachments (outbox_message_id, file_name, content_type, content)
        SELECT m.id, 'consent-receipt.pdf', 'application/pdf', $12 FROM m;
        INSERT INTO raw_signing.audit_chain_heads (chain_id, last_sequence, last_hash) VALUES ($13, 0, $14) ON CONFLICT (chain_id) DO NOTHING;
        SELECT last_sequence, last_hash FROM raw_signing.audit_chain_heads WHERE chain_id = $13 FOR UPDATE;
        """;

    // Second round trip: the entry linked to the head, the head moved; then the commit.
    private const string BaselineAuditSql = """
        INSERT INTO raw_signing.audit_entries (chain_id, sequence, at, actor, action, entity_type, entity_id, pupil_id, payload, previous_hash, hash)
        VALUES ($1, $2, now(), 'signer', 'signing.answered', 'OnlineSubmission', $3, NULL, $4, $5, $6);
        UPDATE raw_signing.audit_chain_heads SET last_sequence = $2, last_hash = $6 WHERE chain_id = $1;
        """;

    /// <summary>What a receipt looks like in the outbox of this run (sizes of the bodies and the PDF), for the baseline to write the same.</summary>
    private sealed record ReceiptShape(int TextLength, int HtmlLength, int SecretsLength, int PdfLength, Guid[] Purposes);

    private static async Task<ReceiptShape> ReceiptShapeAsync(string connectionString, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            SELECT coalesce(avg(length(m.text_body)), 1500)::int, coalesce(avg(length(m.html_body)), 6000)::int,
                   coalesce(avg(length(m.sealed_secrets)), 200)::int,
                   coalesce((SELECT avg(length(a.content)) FROM consenthub.outbox_attachments a
                             JOIN consenthub.outbox_messages m2 ON m2.id = a.outbox_message_id WHERE m2.business_key LIKE 'signing-receipt:%'), 30000)::int,
                   ARRAY(SELECT DISTINCT a.purpose_id FROM consenthub.consent_answers a WHERE a.recorded_by = 'Benchmark Parent' LIMIT 7)
            FROM consenthub.outbox_messages m WHERE m.business_key LIKE 'signing-receipt:%'
            """, conn);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new ReceiptShape(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetFieldValue<Guid[]>(4));
    }

    private static async Task PrepareBaselineAsync(string connectionString, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        await using (var cmd = new NpgsqlCommand(BaselineSetupSql, conn) { CommandTimeout = 600 })
            await cmd.ExecuteNonQueryAsync(ct);
        // Not in the batch above: VACUUM refuses to run inside one.
        await using (var settle = new NpgsqlCommand("VACUUM (ANALYZE) raw_signing.signature_requests", conn) { CommandTimeout = 600 })
            await settle.ExecuteNonQueryAsync(ct);
    }

    /// <summary><paramref name="signers"/> writers at once, one transaction per prepared request, until all are written.</summary>
    private static async Task RunBaselineAsync(NpgsqlDataSource dataSource, List<PreparedRequest> requests, int signers,
        ReceiptShape shape, PhaseResult result, CancellationToken ct)
    {
        var text = new string('t', shape.TextLength);
        var html = new string('h', shape.HtmlLength);
        var secrets = new string('s', shape.SecretsLength);
        var pdf = RandomNumberGenerator.GetBytes(shape.PdfLength);
        var next = -1;
        await Parallel.ForAsync(0, signers, new ParallelOptions { MaxDegreeOfParallelism = signers, CancellationToken = ct }, async (_, token) =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests.Count)
            {
                var request = requests[i];
                var start = Stopwatch.GetTimestamp();
                try
                {
                    await WriteBaselineAsync(dataSource, request, shape.Purposes, text, html, secrets, pdf, token);
                    result.Post.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    result.Answered.Add((request.Id, shape.Purposes.Length));
                }
                catch (NpgsqlException e)
                {
                    result.Errors.Add("baseline: " + e.Message);
                }
            }
        });
    }

    private static async Task WriteBaselineAsync(NpgsqlDataSource dataSource, PreparedRequest request, Guid[] purposes,
        string text, string html, string secrets, byte[] pdf, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var submissionId = Guid.CreateVersion7();
        var kinds = purposes.Select((_, i) => i % 4 == 0 ? "Refuse" : "Grant").ToArray();
        long lastSequence = -1;
        byte[] lastHash = [];
        await using (var batch = new NpgsqlBatch(conn, tx))
        {
            // A multi-statement command with positional parameters is not allowed; split it into the batch's commands.
            foreach (var statement in BaselineWriteSql.Split(";\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                batch.BatchCommands.Add(new NpgsqlBatchCommand(statement.TrimEnd(';')));
            object[] values =
            [
                request.Id, submissionId, "R-" + submissionId.ToString("N")[^12..], "Benchmark Parent", purposes, kinds,
                Guid.CreateVersion7(), SHA256.HashData(submissionId.ToByteArray()), text, html, secrets, pdf,
                request.AcademyId, new byte[32],
            ];
            foreach (var command in batch.BatchCommands)
            {
                // Each statement gets the parameters it names ($1…$14), in order.
                for (var n = 1; n <= values.Length; n++)
                {
                    if (!command.CommandText.Contains("$" + n.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)) continue;
                    while (command.Parameters.Count < n - 1) command.Parameters.Add(new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
                    command.Parameters.Add(new NpgsqlParameter { Value = values[n - 1] });
                }
            }
            await using var reader = await batch.ExecuteReaderAsync(ct);
            // The request's lock returns a row; the other statements none; the head's lock returns the chain's head.
            do
            {
                if (reader.FieldCount == 2 && await reader.ReadAsync(ct))
                {
                    lastSequence = reader.GetInt64(0);
                    lastHash = reader.GetFieldValue<byte[]>(1);
                }
            }
            while (await reader.NextResultAsync(ct));
        }
        if (lastSequence < 0) throw new InvalidOperationException("The baseline's chain head was not returned.");
        var sequence = lastSequence + 1;
        var payload = $"{{\"action\":\"signing.answered\",\"chain\":\"{request.AcademyId}\",\"entityId\":\"{submissionId}\",\"seq\":{sequence}}}";
        var hash = SHA256.HashData([.. lastHash, .. Encoding.UTF8.GetBytes(payload)]);
        await using (var audit = new NpgsqlBatch(conn, tx))
        {
            var insert = new NpgsqlBatchCommand(BaselineAuditSql.Split(";\n")[0].Trim());
            insert.Parameters.Add(new NpgsqlParameter { Value = request.AcademyId });
            insert.Parameters.Add(new NpgsqlParameter { Value = sequence });
            insert.Parameters.Add(new NpgsqlParameter { Value = submissionId.ToString() });
            insert.Parameters.Add(new NpgsqlParameter { Value = payload });
            insert.Parameters.Add(new NpgsqlParameter { Value = lastHash });
            insert.Parameters.Add(new NpgsqlParameter { Value = hash });
            var move = new NpgsqlBatchCommand(BaselineAuditSql.Split(";\n")[1].Trim().TrimEnd(';'));
            move.Parameters.Add(new NpgsqlParameter { Value = request.AcademyId });
            move.Parameters.Add(new NpgsqlParameter { Value = sequence });
            move.Parameters.Add(new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
            move.Parameters.Add(new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
            move.Parameters.Add(new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
            move.Parameters.Add(new NpgsqlParameter { Value = hash });
            audit.BatchCommands.Add(insert);
            audit.BatchCommands.Add(move);
            await audit.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>Every baseline signing wrote one submission, its answers, one receipt and one audit entry; each academy's chain is gap-free.</summary>
    private static async Task<bool> VerifyBaselineAsync(string connectionString, PhaseResult result, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM raw_signing.signature_requests WHERE status = 'Answered'),
                   (SELECT count(*) FROM raw_signing.online_submissions),
                   (SELECT count(*) FROM raw_signing.consent_answers),
                   (SELECT count(*) FROM raw_signing.outbox_attachments),
                   (SELECT count(*) FROM raw_signing.audit_entries),
                   (SELECT coalesce(sum(last_sequence), 0) FROM raw_signing.audit_chain_heads)
            """, conn);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var (answered, submissions, answers, receipts, entries, sequences) =
            (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5));
        var expectedAnswers = result.Answered.Sum(a => (long)a.Purposes);
        var n = result.Answered.Count;
        var ok = answered == n && submissions == n && answers == expectedAnswers && receipts == n && entries == n && sequences == n;
        Console.WriteLine($"  baseline database: {answered:N0} answered, {submissions:N0} submissions, {answers:N0} answers, {receipts:N0} receipts, {entries:N0} audit entries (chains at {sequences:N0}) for {n:N0} successful writes: {(ok ? "OK" : "MISMATCH")}");
        return ok;
    }

    /// <summary>The statements PostgreSQL spent its time on during a phase (pg_stat_statements, nested ones included).</summary>
    private static async Task ResetStatementStatisticsAsync(string connectionString, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset(); SELECT pg_stat_reset();", conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task PrintStatementStatisticsAsync(string connectionString, int posts, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        Console.WriteLine();
        Console.WriteLine(FormattableString.Invariant($"PostgreSQL statements during the phase ({posts:N0} signing POSTs; top level and nested: a trigger's statements are counted inside the statement that fired it too):"));
        Console.WriteLine("| calls per POST | ms per POST | mean ms | top | statement |");
        Console.WriteLine("|---:|---:|---:|:---|:---|");
        await using (var cmd = new NpgsqlCommand("""
            SELECT calls, total_exec_time, mean_exec_time, toplevel, regexp_replace(query, '\s+', ' ', 'g')
            FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 25
            """, conn))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var query = reader.GetString(4);
                Console.WriteLine(FormattableString.Invariant(
                    $"| {reader.GetInt64(0) / (double)posts:F2} | {reader.GetDouble(1) / posts:F3} | {reader.GetDouble(2):F3} | {(reader.GetBoolean(3) ? "yes" : "nested")} | {(query.Length > 140 ? query[..140] + "…" : query)} |"));
            }
        }
        Console.WriteLine();
        Console.WriteLine("Functions (self time), ms per POST:");
        await using (var cmd = new NpgsqlCommand("SELECT funcname, calls, total_time, self_time FROM pg_stat_user_functions ORDER BY total_time DESC LIMIT 8", conn))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                Console.WriteLine(FormattableString.Invariant(
                    $"  {reader.GetString(0)}: {reader.GetInt64(1) / (double)posts:F2} calls, total {reader.GetDouble(2) / posts:F3}, self {reader.GetDouble(3) / posts:F3}"));
            }
        }
    }
}
