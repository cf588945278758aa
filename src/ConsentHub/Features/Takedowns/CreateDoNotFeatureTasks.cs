using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ConsentHub.Takedowns;

/// <summary>
/// A new "never photograph or feature" (safeguarding) flag: one takedown task per open trust-affiliated account
/// that could feature the pupil (the academy's, its region's, the trust's) and per purpose that publishes there,
/// exactly as a withdrawal of every purpose would. The task records <see cref="TakedownTask.DoNotFeatureReason"/>,
/// never the DSL's reason, and the page and emails show neither: only "do not feature; remove any content".
/// Idempotent on the open-task index.
/// </summary>
public static class CreateDoNotFeatureTasks
{
    private const string Sql = """
        INSERT INTO consenthub.takedown_tasks (id, pupil_id, academy_id, purpose_id, account_id, reason, created_at)
        SELECT gen_random_uuid(), @pupil_id, @academy_id, p.id, a.id, @reason, @now
        FROM consenthub.purposes p
        JOIN consenthub.academies ac ON ac.id = @academy_id
        JOIN consenthub.affiliated_accounts a ON a.closed_at IS NULL AND (
                 a.scope = 'Trust'
              OR (a.scope = 'Region' AND a.scope_id = ac.region_id)
              OR (a.scope = 'Academy' AND a.scope_id = ac.id))
        WHERE p.publishes_on_trust_accounts AND p.active
        ON CONFLICT (account_id, pupil_id, purpose_id) WHERE done_at IS NULL AND post_id IS NULL DO NOTHING
        """;

    /// <summary>Inside the caller's transaction; returns how many tasks were new.</summary>
    public static Task<int> HandleAsync(ConsentHubDbContext db, Guid pupilId, Guid academyId, DateTimeOffset now, CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync(Sql, [
            new NpgsqlParameter<Guid>("pupil_id", pupilId),
            new NpgsqlParameter<Guid>("academy_id", academyId),
            new NpgsqlParameter<string>("reason", TakedownTask.DoNotFeatureReason),
            new NpgsqlParameter<DateTimeOffset>("now", now),
        ], ct);
}
