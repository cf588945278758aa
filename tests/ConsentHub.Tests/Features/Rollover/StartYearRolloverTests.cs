using ConsentHub.Rollover;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Tests.Audit;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace ConsentHub.Tests.Rollover;

/// <summary>The daily trigger fans out one rollover per academy on the trust's academic-year start date (a UK date), and nothing otherwise.</summary>
public sealed class StartYearRolloverTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    /// <summary>Records what would be enqueued, as Hangfire's client would receive it.</summary>
    private sealed class RecordingJobs : IBackgroundJobClient
    {
        public List<Job> Jobs { get; } = [];

        public string Create(Job job, IState state)
        {
            Jobs.Add(job);
            return Jobs.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }

    [Theory]
    [InlineData("2026-08-31T23:30:00Z", true)] // 00:30 on 1 September in London (BST)
    [InlineData("2026-08-31T22:30:00Z", false)] // still 31 August in London
    [InlineData("2026-09-02T02:30:00Z", false)]
    public async Task OnTheStartDate_OneRunPerAcademy_OtherwiseNone(string utc, bool expected)
    {
        await using (var db = database.CreateDbContext())
        {
            await TestTrust.CreateAsync(db);
            await db.Trusts.ExecuteUpdateAsync(u => u.SetProperty(t => t.AcademicYearStartMonth, 9).SetProperty(t => t.AcademicYearStartDay, 1));
        }
        var jobs = new RecordingJobs();
        var clock = new FakeTimeProvider(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture));

        var enqueued = await new StartYearRollover(new AuditTestSupport.ContextFactory(database), jobs, clock).RunAsync(CancellationToken.None);

        await using var check = database.CreateDbContext();
        var academies = await check.Academies.CountAsync();
        Assert.Equal(expected ? academies : 0, enqueued);
        Assert.Equal(enqueued, jobs.Jobs.Count);
        Assert.All(jobs.Jobs, j => Assert.Equal((typeof(RunRollover), nameof(RunRollover.RunAsync), RolloverTrigger.YearStart), (j.Type, j.Method.Name, (RolloverTrigger)j.Args[1]!)));
        Assert.Equal(jobs.Jobs.Count, jobs.Jobs.Select(j => (Guid)j.Args[0]!).Distinct().Count());
    }
}
