using ConsentHub.Pupils;
using ConsentHub.Rollover;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;

namespace ConsentHub.Tests.Rollover;

/// <summary>An import asks for a rollover only when it committed a year-group change.</summary>
public sealed class RequestRolloverTests
{
    private sealed class RecordingJobs : IBackgroundJobClient
    {
        public List<Job> Jobs { get; } = [];

        public string Create(Job job, IState state)
        {
            Jobs.Add(job);
            return "1";
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }

    private static ImportPupils.Result.Report Report(bool committed, params string[] what) =>
        new(committed, 1, 1, [], [new ImportPupils.PupilChange(2, "M1", "Ravi Patel", what)], [], []);

    [Theory]
    [InlineData(true, new[] { "year group" }, true)]
    [InlineData(true, new[] { "registration group", "year group" }, true)]
    [InlineData(true, new[] { "registration group" }, false)]
    [InlineData(false, new[] { "year group" }, false)] // a dry run, or rejected rows: nothing was written
    public void AfterImport_EnqueuesTheAcademysRollover_OnlyForACommittedYearGroupChange(bool committed, string[] what, bool expected)
    {
        var jobs = new RecordingJobs();
        var academy = Guid.NewGuid();

        new RequestRollover(jobs).AfterImport(Report(committed, what), academy, "staff:office");

        Assert.Equal(expected ? 1 : 0, jobs.Jobs.Count);
        if (expected) Assert.Equal((academy, RolloverTrigger.Import), ((Guid)jobs.Jobs[0].Args[0]!, (RolloverTrigger)jobs.Jobs[0].Args[1]!));
    }
}
