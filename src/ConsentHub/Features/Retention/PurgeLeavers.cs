using ConsentHub.Audit;
using ConsentHub.Consent.Rules;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace ConsentHub.Retention;

/// <summary>
/// The retention purge (docs/RETENTION.md): pupils who left more than <see cref="RetentionOptions.YearsAfterLeaving"/>
/// years ago lose every record that holds their personal data — the pupil, their answers and current answers, online
/// submissions (receipts), signature requests, change links, paper scans, takedown tasks, safeguarding flags,
/// renewal records, the consent-facts row, and each contact no other pupil still links to — in one transaction per
/// batch of <see cref="RetentionOptions.BatchSize"/> pupils. Outbox messages (which quote names and addresses)
/// older than the same cut-off go too. The audit chain is not touched: its entries hold ids, never personal data,
/// so every chain still verifies and the ids simply stop resolving. A dry run writes nothing but its report.
/// One run at a time across app instances.
/// </summary>
public sealed class PurgeLeavers(
    IDbContextFactory<ConsentHubDbContext> factory,
    IAuditLog audit,
    IOptions<RetentionOptions> options,
    TimeProvider clock,
    ILogger<PurgeLeavers> logger)
{
    public const string SystemActor = "system:retention";

    /// <summary>The recurring job: a purge when <see cref="RetentionOptions.PurgeEnabled"/>, otherwise only the dry-run report.</summary>
    public async Task RunScheduledAsync(CancellationToken ct)
    {
        var run = await HandleAsync(dryRun: !options.Value.PurgeEnabled, SystemActor, ct);
        if (run is not null)
            logger.LogInformation("Retention {Kind}: {Pupils} leavers before {Cutoff}", run.DryRun ? "dry run" : "purge", run.Pupils, run.LeftBefore);
    }

    /// <summary>The first day a leaver is kept: anyone who left before it is purged.</summary>
    public DateOnly Cutoff(DateOnly today) => today.AddYears(-options.Value.YearsAfterLeaving);

    /// <returns>The stored report; null when another run holds the lock.</returns>
    public async Task<RetentionRun?> HandleAsync(bool dryRun, string actor, CancellationToken ct = default)
    {
        await using var lockDb = await factory.CreateDbContextAsync(ct);
        await lockDb.Database.OpenConnectionAsync(ct);
        var lockConn = (NpgsqlConnection)lockDb.Database.GetDbConnection();
        if (!await LockAsync(lockConn, "pg_try_advisory_lock", ct)) return null;
        try
        {
            return dryRun ? await DryRunAsync(actor, ct) : await PurgeAsync(actor, ct);
        }
        finally
        {
            await LockAsync(lockConn, "pg_advisory_unlock", CancellationToken.None);
        }
    }

    private static async Task<bool> LockAsync(NpgsqlConnection conn, string function, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"SELECT {function}(hashtextextended('retention', 0))", conn);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private async Task<RetentionRun> DryRunAsync(string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var cutoff = Cutoff(UkCalendar.DateOf(now));
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var ntx = (NpgsqlTransaction)tx.GetDbTransaction();
        var run = new RetentionRun { Id = Guid.CreateVersion7(now), DryRun = true, RunBy = actor, RanAt = now, LeftBefore = cutoff };
        await using (var cmd = new NpgsqlCommand("""
            SELECT p.academy_id, count(*)::int FROM consenthub.pupils p WHERE p.left_on < @cutoff GROUP BY p.academy_id
            """, conn, ntx))
        {
            cmd.Parameters.AddWithValue("cutoff", cutoff);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) run.PupilsByAcademy[reader.GetGuid(0).ToString()] = reader.GetInt32(1);
        }
        run.Pupils = run.PupilsByAcademy.Values.Sum();
        await using (var cmd = new NpgsqlCommand("""
            SELECT (SELECT count(*)::int FROM consenthub.consent_answers a JOIN consenthub.pupils p ON p.id = a.pupil_id WHERE p.left_on < @cutoff),
                   (SELECT count(DISTINCT pc.contact_id)::int FROM consenthub.pupil_contacts pc JOIN consenthub.pupils p ON p.id = pc.pupil_id
                    WHERE p.left_on < @cutoff
                      AND NOT EXISTS (SELECT 1 FROM consenthub.pupil_contacts o JOIN consenthub.pupils op ON op.id = o.pupil_id
                                      WHERE o.contact_id = pc.contact_id AND (op.left_on IS NULL OR op.left_on >= @cutoff)))
            """, conn, ntx))
        {
            cmd.Parameters.AddWithValue("cutoff", cutoff);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            run.Answers = reader.GetInt32(0);
            run.Contacts = reader.GetInt32(1);
        }
        db.RetentionRuns.Add(run);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, Event(run, actor, "retention.dry-run"), ct);
        await tx.CommitAsync(ct);
        return run;
    }

    private async Task<RetentionRun> PurgeAsync(string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var cutoff = Cutoff(UkCalendar.DateOf(now));
        var run = new RetentionRun { Id = Guid.CreateVersion7(now), DryRun = false, RunBy = actor, RanAt = now, LeftBefore = cutoff };
        await using var db = await factory.CreateDbContextAsync(ct);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(5));
        while (true)
        {
            var batch = await PurgeBatchAsync(db, cutoff, actor, ct);
            if (batch is null) break;
            run.Pupils += batch.Value.Pupils;
            run.Contacts += batch.Value.Contacts;
            run.Answers += batch.Value.Answers;
            foreach (var (academy, n) in batch.Value.ByAcademy)
                run.PupilsByAcademy[academy] = run.PupilsByAcademy.GetValueOrDefault(academy) + n;
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Mail quotes names and addresses: it goes after the same period, whoever it was about.
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            DELETE FROM consenthub.outbox_messages WHERE created_at < {UkCalendar.StartOf(cutoff)} AND status IN ('Sent', 'Failed')
            """, ct);
        db.RetentionRuns.Add(run);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, Event(run, actor, "retention.purged"), ct);
        await tx.CommitAsync(ct);
        return run;
    }

    private readonly record struct Batch(int Pupils, int Contacts, int Answers, Dictionary<string, int> ByAcademy);

    private async Task<Batch?> PurgeBatchAsync(ConsentHubDbContext db, DateOnly cutoff, string actor, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var ntx = (NpgsqlTransaction)tx.GetDbTransaction();
        // Only this transaction may delete answers (the append-only trigger lets the purge through), and the facts
        // rows of pupils about to go are not rebuilt.
        await Exec(conn, ntx, "SET LOCAL consenthub.retention_purge = 'on'; SET LOCAL consenthub.defer_consent_facts = 'on'", null, ct);

        var pupils = new List<(Guid Id, Guid Academy)>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT id, academy_id FROM consenthub.pupils WHERE left_on < @cutoff ORDER BY id LIMIT @batch FOR UPDATE SKIP LOCKED
            """, conn, ntx))
        {
            cmd.Parameters.AddWithValue("cutoff", cutoff);
            cmd.Parameters.AddWithValue("batch", options.Value.BatchSize);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) pupils.Add((reader.GetGuid(0), reader.GetGuid(1)));
        }
        if (pupils.Count == 0)
        {
            await tx.RollbackAsync(ct);
            return null;
        }
        var ids = pupils.Select(p => p.Id).ToArray();
        void Ids(NpgsqlParameterCollection p) => p.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids });

        await Exec(conn, ntx, """
            CREATE TEMP TABLE purge_contacts ON COMMIT DROP AS
            SELECT DISTINCT contact_id AS id FROM consenthub.pupil_contacts WHERE pupil_id = ANY(@ids)
            UNION SELECT DISTINCT contact_id FROM consenthub.consent_answers WHERE pupil_id = ANY(@ids) AND contact_id IS NOT NULL
            UNION SELECT DISTINCT contact_id FROM consenthub.signature_requests WHERE pupil_id = ANY(@ids) AND contact_id IS NOT NULL
            """, Ids, ct);
        var answers = await Exec(conn, ntx, "DELETE FROM consenthub.consent_answers WHERE pupil_id = ANY(@ids)", Ids, ct);
        await Exec(conn, ntx, "DELETE FROM consenthub.current_answers WHERE pupil_id = ANY(@ids)", Ids, ct);
        await Exec(conn, ntx, "DELETE FROM consenthub.online_submissions WHERE pupil_id = ANY(@ids)", Ids, ct);
        // The rest hangs off the pupil and goes with it (ON DELETE CASCADE): contacts links, requests, change links,
        // scans, takedown tasks, safeguarding flags, renewal records, the facts row.
        await Exec(conn, ntx, "DELETE FROM consenthub.pupils WHERE id = ANY(@ids)", Ids, ct);
        var contacts = await Exec(conn, ntx, """
            DELETE FROM consenthub.contacts c USING purge_contacts x
            WHERE c.id = x.id
              AND NOT EXISTS (SELECT 1 FROM consenthub.pupil_contacts pc WHERE pc.contact_id = c.id)
              AND NOT EXISTS (SELECT 1 FROM consenthub.consent_answers a WHERE a.contact_id = c.id)
              AND NOT EXISTS (SELECT 1 FROM consenthub.signature_requests r WHERE r.contact_id = c.id)
              AND NOT EXISTS (SELECT 1 FROM consenthub.signer_links l WHERE l.contact_id = c.id)
              AND NOT EXISTS (SELECT 1 FROM consenthub.online_submissions s WHERE s.contact_id = c.id)
            """, null, ct);

        var byAcademy = pupils.GroupBy(p => p.Academy).ToDictionary(g => g.Key.ToString(), g => g.Count());
        // One entry per batch on the trust's chain, ids of academies and counts only.
        await audit.AppendAsync(db, new AuditEvent(null, actor, "retention.batch-purged", Data: new Dictionary<string, object?>
        {
            ["leftBefore"] = cutoff,
            ["pupils"] = pupils.Count,
            ["contacts"] = contacts,
            ["answers"] = answers,
            ["pupilsByAcademy"] = byAcademy.ToDictionary(k => k.Key, k => (object?)k.Value),
        }), ct);
        await tx.CommitAsync(ct);
        return new Batch(pupils.Count, contacts, answers, byAcademy);
    }

    private static async Task<int> Exec(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, Action<NpgsqlParameterCollection>? parameters, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        parameters?.Invoke(cmd.Parameters);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    private static AuditEvent Event(RetentionRun run, string actor, string action) => new(null, actor, action, "RetentionRun", run.Id.ToString(),
        Data: new Dictionary<string, object?>
        {
            ["leftBefore"] = run.LeftBefore,
            ["pupils"] = run.Pupils,
            ["contacts"] = run.Contacts,
            ["answers"] = run.Answers,
            ["academies"] = run.PupilsByAcademy.Count,
        });
}
