using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Data;
using ConsentHub.Email;
using ConsentHub.Requests;
using ConsentHub.Trust;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace ConsentHub.Chasing;

/// <summary>What one batch job did.</summary>
public sealed record ChaseBatchResult(int Requests, int RemindersWritten, int FollowUpsAdded)
{
    public static ChaseBatchResult Empty { get; } = new(0, 0, 0);

    public ChaseBatchResult Add(ChaseBatchResult other) =>
        new(Requests + other.Requests, RemindersWritten + other.RemindersWritten, FollowUpsAdded + other.FollowUpsAdded);
}

/// <summary>
/// The batch job of a chase run: for each academy given, walks its open requests in chunks (by id) and, per chunk,
/// in one transaction: reads what each party has had, writes the reminders now due into the outbox in one
/// statement (business key <c>reminder:{requestId}:{n}</c>, NotBefore moved out of quiet hours and weekends),
/// and adds the parties to chase another way to the follow-up list in one statement. Safe to run twice, at once,
/// on several hosts: chunks of one academy take turns on an advisory lock, and the business keys and the
/// follow-up list's unique index turn a repeat into nothing. A run cancelled part-way has committed whole chunks;
/// running it again carries on.
/// </summary>
public sealed partial class ChaseAcademies(
    IDbContextFactory<ConsentHubDbContext> factory,
    ReadChaseSettings readSettings,
    ReminderEmails emails,
    OutboxWriter outbox,
    IAuditLog audit,
    TimeProvider clock,
    ILogger<ChaseAcademies> logger,
    RequestOutboxDrain? drain = null)
{
    public const string Actor = "job:chase";

    /// <summary>Requests per transaction: keeps each statement's parameters to a few megabytes.</summary>
    public const int ChunkSize = 500;

    private const string CandidatesSql = """
        SELECT r.id, r.pupil_id, r.party_kind, r.contact_id, r.issued_at, r.deadline, r.short_code,
               p.display_first_name,
               p.school_email,
               concat_ws(' ', nullif(btrim(c.title), ''), c.first_name, c.last_name), c.email, c.email_failing_since IS NOT NULL,
               c.preferred_language,
               (SELECT coalesce(max(split_part(m.business_key, ':', 3)::int), 0) FROM consenthub.outbox_messages m
                WHERE m.signature_request_id = r.id AND m.business_key LIKE 'reminder:%'),
               EXISTS (SELECT 1 FROM consenthub.follow_ups f WHERE f.signature_request_id = r.id),
               c.title, c.first_name, c.last_name
        FROM consenthub.signature_requests r
        JOIN consenthub.pupils p ON p.id = r.pupil_id
        LEFT JOIN consenthub.contacts c ON c.id = r.contact_id
        LEFT JOIN consenthub.pupil_contacts pc ON pc.pupil_id = r.pupil_id AND pc.contact_id = r.contact_id
        WHERE r.academy_id = @academy AND r.status = 'Open' AND r.expires_at > @now AND r.id > @after
          -- Still entitled: a pupil who left, or a parent who lost parental responsibility or gained a no-contact
          -- order, is never chased.
          AND consenthub.may_answer(r.party_kind, p.year_group, p.left_on, pc.has_parental_responsibility, pc.no_contact_order, @today)
        ORDER BY r.id
        LIMIT @limit
        """;

    private const string FollowUpsSql = """
        INSERT INTO consenthub.follow_ups (id, academy_id, signature_request_id, pupil_id, party_kind, contact_id, reason, created_at)
        SELECT t.id, @academy, t.request_id, t.pupil_id, t.party_kind, t.contact_id, t.reason, @now
        FROM unnest(@ids, @requests, @pupils, @kinds, @contacts, @reasons) AS t(id, request_id, pupil_id, party_kind, contact_id, reason)
        ON CONFLICT (signature_request_id) DO NOTHING
        """;

    [AutomaticRetry(Attempts = 3)]
    public async Task<ChaseBatchResult> RunAsync(Guid[] academyIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(academyIds);
        var settings = await readSettings.HandleAsync(cancellationToken);
        var total = ChaseBatchResult.Empty;
        foreach (var academyId in academyIds)
        {
            var after = Guid.Empty;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (result, last) = await ChunkAsync(academyId, after, settings, cancellationToken);
                total = total.Add(result);
                if (last is null) break;
                after = last.Value;
            }
        }
        LogChased(logger, academyIds.Length, total.Requests, total.RemindersWritten, total.FollowUpsAdded);
        // Reminders due now go at once rather than at the next minute; those held for quiet hours wait regardless.
        if (total.RemindersWritten > 0) drain?.Now();
        return total;
    }

    private sealed record Candidate(Guid Id, Guid PupilId, PartyKind Kind, Guid? ContactId, DateTimeOffset IssuedAt, DateOnly? Deadline, string ShortCode,
        string PupilFirstName, string? Email, bool EmailFailing, string RecipientName, string? Language, int RemindersHad, bool OnFollowUpList)
    {
        /// <summary>A parent's name in parts, for the greeting.</summary>
        public ConsentHub.Pupils.ContactName? Names { get; init; }
    }

    private sealed record NewFollowUp(Candidate Request, FollowUpReason Reason);

    /// <returns>The chunk's result, and the last request id read (null when the academy is done).</returns>
    private async Task<(ChaseBatchResult Result, Guid? Last)> ChunkAsync(Guid academyId, Guid after, ChaseSettings settings, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var ntx = (NpgsqlTransaction)tx.GetDbTransaction();
        var now = clock.GetUtcNow();

        // Two runs of one academy (the daily run and a button, or two hosts) take turns chunk by chunk; the second
        // then sees what the first wrote.
        await using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('chase:' || @a::text, 0))", conn, ntx))
        {
            lockCmd.Parameters.AddWithValue("a", academyId);
            await lockCmd.ExecuteNonQueryAsync(ct);
        }

        var academyName = await db.Academies.Where(a => a.Id == academyId).Select(a => a.Name).FirstOrDefaultAsync(ct);
        if (academyName is null) return (ChaseBatchResult.Empty, null);

        var candidates = new List<Candidate>(ChunkSize);
        await using (var cmd = new NpgsqlCommand(CandidatesSql, conn, ntx))
        {
            cmd.Parameters.AddWithValue("academy", academyId);
            cmd.Parameters.AddWithValue("now", now);
            cmd.Parameters.AddWithValue("after", after);
            cmd.Parameters.AddWithValue("today", UkCalendar.DateOf(now));
            cmd.Parameters.AddWithValue("limit", ChunkSize);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var kind = Enum.Parse<PartyKind>(reader.GetString(2));
                candidates.Add(new Candidate(
                    reader.GetGuid(0), reader.GetGuid(1), kind, reader.IsDBNull(3) ? null : reader.GetGuid(3),
                    reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateOnly>(5), reader.GetString(6).Trim(),
                    reader.GetString(7),
                    kind == PartyKind.Pupil ? (reader.IsDBNull(8) ? null : reader.GetString(8)) : (reader.IsDBNull(10) ? null : reader.GetString(10)),
                    kind != PartyKind.Pupil && reader.GetBoolean(11),
                    kind == PartyKind.Pupil ? reader.GetString(7) : reader.GetString(9),
                    reader.IsDBNull(12) ? null : reader.GetString(12),
                    reader.GetInt32(13), reader.GetBoolean(14))
                {
                    Names = kind == PartyKind.Pupil ? null
                        : new ConsentHub.Pupils.ContactName(reader.IsDBNull(15) ? null : reader.GetString(15), reader.GetString(16), reader.GetString(17)),
                });
            }
        }
        if (candidates.Count == 0) return (ChaseBatchResult.Empty, null);

        var reminders = new List<OutgoingEmail>();
        var followUps = new List<NewFollowUp>();
        var sendAt = ChaseSchedule.NextSendTime(now, settings);
        foreach (var c in candidates)
        {
            var plan = ChaseSchedule.For(settings, c.IssuedAt, c.Deadline);
            var due = plan.DueAt(now);
            var canEmail = !c.EmailFailing && RequestEmails.IsUsable(c.Email);
            if (!canEmail)
            {
                // Nothing to email: when the first reminder would have gone, the office reaches them another way.
                if (!c.OnFollowUpList && (due > 0 || now >= plan.FollowUpAt))
                    followUps.Add(new NewFollowUp(c, c.EmailFailing ? FollowUpReason.EmailFailing : FollowUpReason.NoEmail));
                continue;
            }
            if (due > c.RemindersHad)
            {
                // Only the latest one due: a run missed for a few days does not send two reminders at once.
                reminders.Add(emails.Build(new ReminderEmails.Message(c.Id, due, due == plan.Reminders.Count, c.Kind, c.Email!, c.RecipientName,
                    c.Language, c.PupilFirstName, academyName, academyId, c.Deadline, c.ShortCode, sendAt)
                { Names = c.Names }));
            }
            else if (!c.OnFollowUpList && c.RemindersHad >= plan.Reminders.Count && now >= plan.FollowUpAt)
            {
                followUps.Add(new NewFollowUp(c, FollowUpReason.NoAnswer));
            }
        }

        var written = reminders.Count == 0 ? 0 : await outbox.WriteAsync(db, reminders, ct);
        var added = followUps.Count == 0 ? 0 : await AddFollowUpsAsync(conn, ntx, academyId, followUps, now, ct);
        if (written > 0 || added > 0)
        {
            await audit.AppendAsync(db, new AuditEvent(academyId, Actor, "chase.chunk", "Academy", academyId.ToString(),
                Data: new Dictionary<string, object?>
                {
                    ["requests"] = candidates.Count,
                    ["reminders"] = written,
                    ["followUps"] = added,
                    ["sendFrom"] = sendAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                }), ct);
        }
        // Once written, a chunk commits even if the run is being stopped: the next run carries on after it.
        await tx.CommitAsync(CancellationToken.None);
        var last = candidates.Count < ChunkSize ? (Guid?)null : candidates[^1].Id;
        return (new ChaseBatchResult(candidates.Count, written, added), last);
    }

    private static async Task<int> AddFollowUpsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid academyId, List<NewFollowUp> rows, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(FollowUpsSql, conn, tx);
        cmd.Parameters.AddWithValue("academy", academyId);
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = rows.Select(_ => Guid.CreateVersion7(now)).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("requests", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = rows.Select(r => r.Request.Id).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("pupils", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = rows.Select(r => r.Request.PupilId).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("kinds", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Request.Kind.ToString()).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("contacts", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = rows.Select(r => r.Request.ContactId).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("reasons", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Reason.ToString()).ToArray() });
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Chase batch: {Academies} academies, {Requests} open requests read, {Reminders} reminders written, {FollowUps} added to the follow-up list")]
    private static partial void LogChased(ILogger logger, int academies, int requests, int reminders, int followUps);
}
