using ConsentHub.Consent;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace ConsentHub.Takedowns;

/// <summary>
/// After a withdrawal: one takedown task per open trust-affiliated account that could feature the pupil (the
/// academy's, its region's and the trust-wide accounts) for each withdrawn purpose that publishes on those
/// accounts. Idempotent: an open task for the same account, pupil and purpose is never added twice. Sending them
/// is the chasing work's job.
/// </summary>
public static class CreateTakedownTasks
{
    private const string Sql = """
        INSERT INTO consenthub.takedown_tasks (id, pupil_id, academy_id, purpose_id, account_id, reason, answer_id, created_at)
        SELECT gen_random_uuid(), @pupil_id, @academy_id, w.purpose_id, a.id, @reason, w.answer_id, @now
        FROM unnest(@purpose_ids, @answer_ids) AS w(purpose_id, answer_id)
        JOIN consenthub.purposes p ON p.id = w.purpose_id AND p.publishes_on_trust_accounts
        JOIN consenthub.academies ac ON ac.id = @academy_id
        JOIN consenthub.affiliated_accounts a ON a.closed_at IS NULL AND (
                 a.scope = 'Trust'
              OR (a.scope = 'Region' AND a.scope_id = ac.region_id)
              OR (a.scope = 'Academy' AND a.scope_id = ac.id))
        ON CONFLICT (account_id, pupil_id, purpose_id) WHERE done_at IS NULL AND post_id IS NULL DO NOTHING
        """;

    /// <summary>Inside the caller's transaction; returns how many tasks were new.</summary>
    public static async Task<int> HandleAsync(ConsentHubDbContext db, Guid pupilId, Guid academyId, IReadOnlyList<ConsentAnswer> withdrawals,
        DateTimeOffset now, CancellationToken ct)
    {
        if (withdrawals.Count == 0) return 0;
        return await db.Database.ExecuteSqlRawAsync(Sql, [
            new NpgsqlParameter<Guid>("pupil_id", pupilId),
            new NpgsqlParameter<Guid>("academy_id", academyId),
            new NpgsqlParameter<string>("reason", TakedownTask.WithdrawalReason),
            new NpgsqlParameter<DateTimeOffset>("now", now),
            new NpgsqlParameter("purpose_ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = withdrawals.Select(w => w.PurposeId).ToArray() },
            new NpgsqlParameter("answer_ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = withdrawals.Select(w => w.Id).ToArray() },
        ], ct);
    }
}
