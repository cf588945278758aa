using System.Globalization;
using ConsentHub.Email;
using ConsentHub.Web.Hosting;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.States;

namespace ConsentHub.Benchmarks.App;

/// <summary>
/// How long an enqueued job waits before a worker of the running host picks it up (Hangfire's own state history:
/// Enqueued → Processing). The job is the outbox drain, which is harmless to run any number of times.
/// </summary>
public static class JobPickupProbe
{
    public static async Task RunAsync(string connectionString, int samples, CancellationToken ct)
    {
        var storage = new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(connectionString, HangfireSetup.StorageOptions()), HangfireSetup.StorageOptions());
        var client = new BackgroundJobClient(storage);
        var monitoring = storage.GetMonitoringApi();
        var delays = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            var id = client.Enqueue<DrainOutbox>(job => job.RunAsync(CancellationToken.None));
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline)
            {
                var history = monitoring.JobDetails(id)?.History ?? [];
                var enqueued = history.FirstOrDefault(h => h.StateName == EnqueuedState.StateName);
                var processing = history.FirstOrDefault(h => h.StateName == ProcessingState.StateName);
                if (enqueued is not null && processing is not null)
                {
                    delays.Add((processing.CreatedAt - enqueued.CreatedAt).TotalMilliseconds);
                    break;
                }
                await Task.Delay(50, ct);
            }
            // Jobs arrive one at a time, as a user's "send now" would, not as a queue that is already full.
            await Task.Delay(300, ct);
        }
        if (delays.Count == 0)
        {
            Console.WriteLine("  hangfire pick-up: no job was picked up within 30 s");
            return;
        }
        delays.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  hangfire pick-up (enqueued → processing, {delays.Count}/{samples} jobs): p50 {delays[delays.Count / 2]:F0} ms, max {delays[^1]:F0} ms"));
    }
}
