using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Npgsql;
using NpgsqlTypes;

namespace ConsentHub.Email;

public sealed record DrainOutboxResult(int Sent, int Retrying, int Failed, int Released)
{
    public int Claimed => Sent + Retrying + Failed;
}

/// <summary>
/// Sends what the outbox holds: claims due Pending rows in batches (FOR UPDATE SKIP LOCKED, so any number of runs
/// on any number of hosts share the work without sending a row twice), sends each batch over one connection and
/// records the outcome. Transient failures come back later with exponential backoff until MaxAttempts; permanent
/// ones are Failed at once. While it sends a batch, a run holds an advisory lock named by the batch's claim key on
/// a database session of its own: when the process dies (kill -9, a crash), PostgreSQL ends that session and frees
/// the lock, and the next run (every minute, and on start) takes the rows back at once. ClaimTimeoutMinutes stays
/// as the backstop for a run that hangs while alive.
/// Runs every minute ("outbox-drain") and on demand through <see cref="RequestOutboxDrain"/>.
/// </summary>
public sealed partial class DrainOutbox(
    NpgsqlDataSource dataSource,
    IEmailSender sender,
    IOptions<EmailOptions> options,
    TimeProvider clock,
    ILogger<DrainOutbox> logger,
    IEnumerable<IDeliveryFailureObserver>? failureObservers = null,
    OutboxSecrets? secrets = null,
    IEnumerable<IOutboxAttachmentMaker>? attachmentMakers = null)
{
    private readonly IDeliveryFailureObserver[] _observers = [.. failureObservers ?? []];
    private readonly Dictionary<string, IOutboxAttachmentMaker> _makers =
        (attachmentMakers ?? []).ToDictionary(m => m.RecipeType, StringComparer.OrdinalIgnoreCase);
    private readonly OutboxSecrets _secrets = secrets ?? OutboxSecrets.Ephemeral;

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(6);

    // Oldest due first, on the (status, next_attempt_at) index. attempts counts claims, so it also identifies this
    // claim when the outcome is written back.
    private const string ClaimSql = """
        UPDATE consenthub.outbox_messages AS m
        SET status = 'Sending', claimed_at = @now, attempts = m.attempts + 1, claim_key = @claim_key
        WHERE m.id IN (
            SELECT o.id FROM consenthub.outbox_messages o
            WHERE o.status = 'Pending' AND o.next_attempt_at <= @now
              -- Mail about a request goes only while the request is open (see CancelSql).
              AND (o.signature_request_id IS NULL OR EXISTS (
                  SELECT 1 FROM consenthub.signature_requests r
                  WHERE r.id = o.signature_request_id AND r.status = 'Open' AND r.expires_at > @now))
            ORDER BY o.next_attempt_at, o.id
            LIMIT @batch_size
            FOR UPDATE OF o SKIP LOCKED)
        RETURNING m.id, m.message_id, m.to_address, m.to_name, m.subject, m.text_body, m.html_body, m.attempts, m.sealed_secrets
        """;

    private const string AttachmentsSql = """
        SELECT outbox_message_id, file_name, content_type, content
        FROM consenthub.outbox_attachments
        WHERE outbox_message_id = ANY(@ids)
        ORDER BY id
        """;

    // Only rows still held by this claim: a row released by the timeout and claimed again has more attempts.
    private const string RecordSql = """
        UPDATE consenthub.outbox_messages AS m
        SET status = u.status, sent_at = u.sent_at, next_attempt_at = coalesce(u.next_attempt_at, m.next_attempt_at),
            last_error = u.last_error, claimed_at = NULL, claim_key = NULL,
            -- The link has left (or never will): nothing of it stays behind.
            sealed_secrets = CASE WHEN u.status IN ('Sent', 'Failed') THEN NULL ELSE m.sealed_secrets END
        FROM unnest(@ids, @attempts, @statuses, @sent_at, @next_attempt_at, @errors)
            AS u(id, attempts, status, sent_at, next_attempt_at, last_error)
        WHERE m.id = u.id AND m.status = 'Sending' AND m.attempts = u.attempts
        RETURNING m.id, m.status
        """;

    // A reminder (or request email) still waiting when its request was answered, cancelled or expired never goes.
    private const string CancelSql = """
        UPDATE consenthub.outbox_messages AS m
        SET status = 'Cancelled', claimed_at = NULL, claim_key = NULL, sealed_secrets = NULL,
            last_error = 'Not sent: the request was answered, cancelled or expired before it was due.'
        FROM consenthub.signature_requests r
        WHERE m.status = 'Pending' AND m.signature_request_id = r.id AND (r.status <> 'Open' OR r.expires_at <= @now)
        """;

    private const string ReleaseSql = """
        UPDATE consenthub.outbox_messages
        SET status = CASE WHEN attempts >= @max_attempts THEN 'Failed' ELSE 'Pending' END,
            next_attempt_at = @now, claimed_at = NULL, claim_key = NULL,
            sealed_secrets = CASE WHEN attempts >= @max_attempts THEN NULL ELSE sealed_secrets END,
            last_error = 'The worker sending it stopped before recording the outcome; it may have been delivered.'
        WHERE status = 'Sending'
          -- The claiming run's session is gone (its lock is free), or it has hung past the timeout.
          AND (claimed_at < @cutoff OR (claim_key IS NOT NULL AND pg_try_advisory_xact_lock(claim_key)))
        RETURNING id, status
        """;

    /// <summary>Drains until nothing is due. Safe to run any number of times, in parallel, on several hosts.</summary>
    [AutomaticRetry(Attempts = 0)] // the next scheduled run is the retry
    public async Task<DrainOutboxResult> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var released = await ReleaseAbandonedClaimsAsync(settings, cancellationToken);
        await CancelForClosedRequestsAsync(cancellationToken);
        int sent = 0, retrying = 0, failed = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            // The lease: a session of this run's own, holding the batch's claim key until the outcome is recorded.
            await using var lease = await dataSource.OpenConnectionAsync(CancellationToken.None);
            var claimKey = Random.Shared.NextInt64(1, long.MaxValue);
            await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lease))
            {
                take.Parameters.Add(new NpgsqlParameter<long>("key", claimKey));
                await take.ExecuteNonQueryAsync(CancellationToken.None);
            }
            List<OutboxMessage> batch;
            try
            {
                batch = await ClaimAsync(lease, claimKey, settings.BatchSize);
                if (batch.Count > 0)
                {
                    var outcomes = await SendAsync(batch, settings, cancellationToken);
                    var (s, r, f) = await RecordAsync(batch, outcomes, settings);
                    sent += s;
                    retrying += r;
                    failed += f;
                }
            }
            finally
            {
                // A pooled session keeps session locks until it is reset: give it back clean.
                await using var free = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lease);
                free.Parameters.Add(new NpgsqlParameter<long>("key", claimKey));
                await free.ExecuteNonQueryAsync(CancellationToken.None);
            }
            if (batch.Count < settings.BatchSize) break;
        }
        var result = new DrainOutboxResult(sent, retrying, failed, released);
        if (result.Claimed > 0 || released > 0)
            LogDrained(logger, sent, retrying, failed, released);
        return result;
    }

    private async Task<int> ReleaseAbandonedClaimsAsync(EmailOptions settings, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand(ReleaseSql, connection, tx);
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", now));
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("cutoff", now - TimeSpan.FromMinutes(settings.ClaimTimeoutMinutes)));
        cmd.Parameters.Add(new NpgsqlParameter<int>("max_attempts", settings.MaxAttempts));
        var (count, failedIds) = await ReadOutcomesAsync(cmd, cancellationToken);
        await NotifyFailedAsync(connection, tx, failedIds, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return count;
    }

    private async Task CancelForClosedRequestsAsync(CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(CancelSql);
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", clock.GetUtcNow()));
        var cancelled = await cmd.ExecuteNonQueryAsync(cancellationToken);
        if (cancelled > 0) LogCancelled(logger, cancelled);
    }

    private static async Task<(int Count, List<long> FailedIds)> ReadOutcomesAsync(NpgsqlCommand cmd, CancellationToken cancellationToken)
    {
        var count = 0;
        var failed = new List<long>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            count++;
            if (reader.GetString(1) == nameof(OutboxStatus.Failed)) failed.Add(reader.GetInt64(0));
        }
        return (count, failed);
    }

    /// <summary>In the transaction that recorded the failures, so a failing address is never missed.</summary>
    private async Task NotifyFailedAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<long> failedIds, CancellationToken cancellationToken)
    {
        if (failedIds.Count == 0) return;
        foreach (var observer in _observers) await observer.OnFailedAsync(connection, tx, failedIds, cancellationToken);
    }

    private async Task<List<OutboxMessage>> ClaimAsync(NpgsqlConnection connection, long claimKey, int batchSize)
    {
        // No cancellation from here on: once rows are claimed, half-reading them would strand them in Sending.
        var batch = new List<OutboxMessage>(batchSize);
        await using (var claim = new NpgsqlCommand(ClaimSql, connection))
        {
            claim.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", clock.GetUtcNow()));
            claim.Parameters.Add(new NpgsqlParameter<long>("claim_key", claimKey));
            claim.Parameters.Add(new NpgsqlParameter<int>("batch_size", batchSize));
            await using var reader = await claim.ExecuteReaderAsync(CancellationToken.None);
            while (await reader.ReadAsync(CancellationToken.None))
            {
                batch.Add(new OutboxMessage
                {
                    Id = reader.GetInt64(0),
                    BusinessKey = "",
                    MessageId = reader.GetString(1),
                    ToAddress = reader.GetString(2),
                    ToName = reader.IsDBNull(3) ? null : reader.GetString(3),
                    Subject = reader.GetString(4),
                    TextBody = reader.GetString(5),
                    HtmlBody = reader.IsDBNull(6) ? null : reader.GetString(6),
                    Attempts = reader.GetInt32(7),
                    SealedSecrets = reader.IsDBNull(8) ? null : reader.GetString(8),
                    Status = OutboxStatus.Sending,
                });
            }
        }
        if (batch.Count == 0) return batch;
        batch.Sort((a, b) => a.Id.CompareTo(b.Id));

        var byId = batch.ToDictionary(m => m.Id);
        await using var attachments = new NpgsqlCommand(AttachmentsSql, connection);
        attachments.Parameters.Add(new NpgsqlParameter<long[]>("ids", [.. byId.Keys]));
        await using var rows = await attachments.ExecuteReaderAsync(CancellationToken.None);
        while (await rows.ReadAsync(CancellationToken.None))
        {
            byId[rows.GetInt64(0)].Attachments.Add(new OutboxAttachment
            {
                FileName = rows.GetString(1),
                ContentType = rows.GetString(2),
                Content = (byte[])rows.GetValue(3),
            });
        }
        return batch;
    }

    private async Task<IReadOnlyList<SendOutcome>> SendAsync(List<OutboxMessage> batch, EmailOptions settings, CancellationToken cancellationToken)
    {
        var outcomes = new SendOutcome?[batch.Count];
        var toSend = new List<(int Index, MimeMessage Message)>(batch.Count);
        var date = clock.GetUtcNow();
        for (var i = 0; i < batch.Count; i++)
        {
            try
            {
                // Claimed rows are not cancelled half way (see ClaimAsync).
                if (await MakeAttachmentsAsync(batch[i]) is { } notMade)
                {
                    outcomes[i] = notMade;
                    continue;
                }
                // The secrets go into the message here, in memory, and nowhere else.
                _secrets.Unseal(batch[i]);
                toSend.Add((i, OutboxMimeBuilder.Build(batch[i], settings, date)));
            }
            catch (Exception e) when (e is ParseException or FormatException or ArgumentException)
            {
                outcomes[i] = SendOutcome.Permanent($"The message could not be built: {e.Message}");
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                outcomes[i] = SendOutcome.Permanent("The message's link could not be unsealed: the key ring that sealed it is gone. Send a new link.");
            }
        }

        if (toSend.Count > 0)
        {
            var results = await sender.SendAsync([.. toSend.Select(m => m.Message)], cancellationToken);
            if (results.Count != toSend.Count)
                throw new InvalidOperationException($"{sender.GetType().Name} returned {results.Count} outcomes for {toSend.Count} messages.");
            for (var i = 0; i < toSend.Count; i++)
                outcomes[toSend[i].Index] = results[i];
        }
        foreach (var (_, message) in toSend) message.Dispose();
        return outcomes.Select(o => o!).ToList();
    }

    /// <summary>
    /// Puts the made file in place of each recipe attachment (<see cref="IOutboxAttachmentMaker"/>). A recipe that
    /// cannot be read fails the message for good; a recipe type this process has no maker for keeps it back to retry
    /// (a host of another version may be draining). A recipe is never sent as it is.
    /// </summary>
    private async Task<SendOutcome?> MakeAttachmentsAsync(OutboxMessage message)
    {
        foreach (var attachment in message.Attachments)
        {
            if (!OutboxRecipes.IsRecipe(attachment.ContentType)) continue;
            if (!_makers.TryGetValue(attachment.ContentType, out var maker))
                return SendOutcome.Transient($"Attachment '{attachment.FileName}' is made when sent, and this host cannot make '{attachment.ContentType}'.");
            try
            {
                var made = await maker.MakeAsync(attachment.Content, CancellationToken.None);
                attachment.ContentType = made.ContentType;
                attachment.Content = made.Content;
            }
            catch (FormatException e)
            {
                return SendOutcome.Permanent($"Attachment '{attachment.FileName}' could not be made: {e.Message}");
            }
#pragma warning disable CA1031 // one message's attachment must not strand the rest of the claimed batch
            catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
            {
                return SendOutcome.Transient($"Attachment '{attachment.FileName}' could not be made this time: {e.Message}");
            }
        }
        return null;
    }

    private async Task<(int Sent, int Retrying, int Failed)> RecordAsync(
        List<OutboxMessage> batch, IReadOnlyList<SendOutcome> outcomes, EmailOptions settings)
    {
        var now = clock.GetUtcNow();
        var statuses = new string[batch.Count];
        var sentAt = new DateTimeOffset?[batch.Count];
        var nextAttempt = new DateTimeOffset?[batch.Count];
        var errors = new string?[batch.Count];
        int sent = 0, retrying = 0, failed = 0;

        for (var i = 0; i < batch.Count; i++)
        {
            var row = batch[i];
            var outcome = outcomes[i];
            switch (outcome.Status)
            {
                case SendStatus.Sent:
                    statuses[i] = nameof(OutboxStatus.Sent);
                    sentAt[i] = now;
                    sent++;
                    break;
                case SendStatus.TransientFailure when row.Attempts < settings.MaxAttempts:
                    statuses[i] = nameof(OutboxStatus.Pending);
                    nextAttempt[i] = now + RetryDelay(row.Attempts, settings);
                    errors[i] = outcome.Error;
                    retrying++;
                    LogWillRetry(logger, row.Id, row.Attempts, nextAttempt[i]!.Value);
                    break;
                case SendStatus.TransientFailure:
                    statuses[i] = nameof(OutboxStatus.Failed);
                    errors[i] = $"Gave up after {row.Attempts} attempts. Last: {outcome.Error}";
                    failed++;
                    LogFailed(logger, row.Id, row.Attempts);
                    break;
                default:
                    statuses[i] = nameof(OutboxStatus.Failed);
                    errors[i] = outcome.Error;
                    failed++;
                    LogFailed(logger, row.Id, row.Attempts);
                    break;
            }
        }

        // Recorded even if the run is being cancelled: these messages have left, and must not go again.
        await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
        await using var tx = await connection.BeginTransactionAsync(CancellationToken.None);
        await using var cmd = new NpgsqlCommand(RecordSql, connection, tx);
        cmd.Parameters.Add(new NpgsqlParameter<long[]>("ids", [.. batch.Select(m => m.Id)]));
        cmd.Parameters.Add(new NpgsqlParameter<int[]>("attempts", [.. batch.Select(m => m.Attempts)]));
        cmd.Parameters.Add(new NpgsqlParameter("statuses", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = statuses });
        cmd.Parameters.Add(new NpgsqlParameter("sent_at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = sentAt });
        cmd.Parameters.Add(new NpgsqlParameter("next_attempt_at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = nextAttempt });
        cmd.Parameters.Add(new NpgsqlParameter("errors", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = errors });
        var (_, failedIds) = await ReadOutcomesAsync(cmd, CancellationToken.None);
        await NotifyFailedAsync(connection, tx, failedIds, CancellationToken.None);
        await tx.CommitAsync(CancellationToken.None);
        return (sent, retrying, failed);
    }

    /// <summary>RetryDelaySeconds × 2^(attempt − 1), at most six hours.</summary>
    internal static TimeSpan RetryDelay(int attempt, EmailOptions settings)
    {
        var seconds = settings.RetryDelaySeconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        return TimeSpan.FromSeconds(Math.Min(seconds, MaxRetryDelay.TotalSeconds));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox: {Count} message(s) cancelled because their request was closed first")]
    private static partial void LogCancelled(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox drained: {Sent} sent, {Retrying} to retry, {Failed} failed, {Released} abandoned claims released")]
    private static partial void LogDrained(ILogger logger, int sent, int retrying, int failed, int released);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {OutboxId} not sent on attempt {Attempt}; next try at {NextAttemptAt:u}")]
    private static partial void LogWillRetry(ILogger logger, long outboxId, int attempt, DateTimeOffset nextAttemptAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {OutboxId} failed for good after {Attempt} attempt(s); see its last_error")]
    private static partial void LogFailed(ILogger logger, long outboxId, int attempt);
}
