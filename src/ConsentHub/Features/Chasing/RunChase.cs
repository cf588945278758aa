using Hangfire;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ConsentHub.Chasing;

/// <summary>
/// The daily chase ("chase-run"): finds the academies with open requests and fans them out to at most
/// <see cref="MaxBatchJobs"/> <see cref="ChaseAcademies"/> jobs (several academies to a job when there are more),
/// never a job per pupil or per email. Running it twice enqueues the batches twice, which then write nothing new.
/// </summary>
public sealed partial class RunChase(NpgsqlDataSource dataSource, IBackgroundJobClient jobs, TimeProvider clock, ILogger<RunChase> logger)
{
    public const int MaxBatchJobs = 100;

    /// <returns>How many batch jobs were enqueued.</returns>
    [AutomaticRetry(Attempts = 0)] // tomorrow's run is the retry; the batches retry themselves
    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var academies = new List<Guid>();
        await using (var cmd = dataSource.CreateCommand("""
            SELECT DISTINCT academy_id FROM consenthub.signature_requests
            WHERE status = 'Open' AND expires_at > @now
            ORDER BY academy_id
            """))
        {
            cmd.Parameters.AddWithValue("now", clock.GetUtcNow());
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) academies.Add(reader.GetGuid(0));
        }
        var batches = Split(academies, MaxBatchJobs);
        foreach (var batch in batches)
            jobs.Enqueue<ChaseAcademies>(job => job.RunAsync(batch, CancellationToken.None));
        LogFannedOut(logger, academies.Count, batches.Count);
        return batches.Count;
    }

    /// <summary>Academies dealt round into at most <paramref name="maxBatches"/> groups of near-equal size.</summary>
    public static List<Guid[]> Split(IReadOnlyList<Guid> academies, int maxBatches)
    {
        ArgumentNullException.ThrowIfNull(academies);
        var count = Math.Min(academies.Count, maxBatches);
        var groups = Enumerable.Range(0, count).Select(_ => new List<Guid>()).ToList();
        for (var i = 0; i < academies.Count; i++) groups[i % count].Add(academies[i]);
        return [.. groups.Select(g => g.ToArray())];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Chase run: {Academies} academies with open requests in {Batches} batch job(s)")]
    private static partial void LogFannedOut(ILogger logger, int academies, int batches);
}
