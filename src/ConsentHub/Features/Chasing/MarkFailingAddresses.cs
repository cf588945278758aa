using ConsentHub.Email;
using Npgsql;

namespace ConsentHub.Chasing;

/// <summary>
/// When the drain gives up on a message (5xx, or still failing at MaxAttempts): every contact with that address is
/// marked failing (when, and the server's reply with addresses masked), and the parties of open requests behind
/// it (the message's own request, and any open request of those contacts) go on the office follow-up list. Runs in
/// the drain's transaction. An import or a contact update that changes the address clears the mark.
/// </summary>
public sealed class MarkFailingAddresses(TimeProvider clock) : IDeliveryFailureObserver
{
    private const string Sql = """
        WITH failed AS (
            SELECT id, lower(to_address) AS address, signature_request_id, left(coalesce(last_error, ''), 500) AS reason
            FROM consenthub.outbox_messages WHERE id = ANY(@ids) AND status = 'Failed'
        ), hit AS (
            SELECT c.id, min(f.reason) AS reason, c.email_failing_since
            FROM consenthub.contacts c JOIN failed f ON lower(btrim(c.email)) = f.address
            GROUP BY c.id, c.email_failing_since
        ), marked AS (
            UPDATE consenthub.contacts c SET email_failing_since = @now, email_failing_reason = h.reason
            FROM hit h WHERE c.id = h.id AND h.email_failing_since IS NULL
            RETURNING c.id
        )
        INSERT INTO consenthub.follow_ups (id, academy_id, signature_request_id, pupil_id, party_kind, contact_id, reason, created_at)
        SELECT gen_random_uuid(), r.academy_id, r.id, r.pupil_id, r.party_kind, r.contact_id, 'EmailFailing', @now
        FROM consenthub.signature_requests r
        WHERE r.status = 'Open' AND r.expires_at > @now
          AND (r.id IN (SELECT signature_request_id FROM failed WHERE signature_request_id IS NOT NULL)
               OR r.contact_id IN (SELECT id FROM hit))
        ON CONFLICT (signature_request_id) DO NOTHING
        """;

    public async Task OnFailedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<long> outboxIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outboxIds);
        await using var cmd = new NpgsqlCommand(Sql, connection, transaction);
        cmd.Parameters.Add(new NpgsqlParameter<long[]>("ids", [.. outboxIds]));
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", clock.GetUtcNow()));
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
