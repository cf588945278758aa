using Hangfire;
using Hangfire.Common;
using Hangfire.States;

namespace ConsentHub.Web.Tests.Infrastructure;

/// <summary>Records the background jobs a component enqueues (a rollover after an import, a drain after an issue) without running them.</summary>
public sealed class RecordingJobClient : IBackgroundJobClient
{
    private readonly List<Job> _jobs = [];

    public IReadOnlyList<Job> Jobs
    {
        get
        {
            lock (_jobs) return [.. _jobs];
        }
    }

    public string Create(Job job, IState state)
    {
        lock (_jobs)
        {
            _jobs.Add(job);
            return _jobs.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public bool ChangeState(string jobId, IState state, string expectedState) => true;
}
