using Hangfire;

namespace ConsentHub.Web.Hosting;

/// <summary>The background jobs' figures for the trust admin's home page, from this host's own job storage.</summary>
public sealed class JobFigures(JobStorage storage)
{
    public sealed record Figures(long Failed, long Processing, long Enqueued, long Recurring);

    public Figures Read()
    {
        var stats = storage.GetMonitoringApi().GetStatistics();
        return new Figures(stats.Failed, stats.Processing, stats.Enqueued, stats.Recurring);
    }
}
