using ConsentHub.Data;
using ConsentHub.Email;
using ConsentHub.Web.Tests.Infrastructure;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Tests.Email;

/// <summary>The host schedules the outbox drain and runs it on demand (in process: see OutboxDrainWorker).</summary>
public sealed class OutboxJobTests(WebTestFixture fixture) : IClassFixture<WebTestFixture>
{
    [Fact]
    public void OutboxDrain_IsARecurringJobEveryMinute()
    {
        _ = fixture.Factory.Server; // start the host, which registers the recurring jobs
        using var connection = fixture.Factory.Services.GetRequiredService<JobStorage>().GetConnection();

        var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == "outbox-drain");

        Assert.Equal(Cron.Minutely(), job.Cron);
        Assert.Equal(typeof(DrainOutbox), job.Job.Type);
    }

    [Fact]
    public async Task RequestedDrain_RunsOnTheHost_AndSendsWhatWasWritten()
    {
        _ = fixture.Factory.Server;
        var services = fixture.Factory.Services;
        var dbFactory = services.GetRequiredService<IDbContextFactory<ConsentHubDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync())
            await services.GetRequiredService<OutboxWriter>().WriteAsync(db, new OutgoingEmail("requested-drain:1", "parent@home.example", "Hello", "Text"));

        services.GetRequiredService<RequestOutboxDrain>().Now();

        // Generous bound: this proves the job runs; it is no measure of how fast.
        var status = OutboxStatus.Pending;
        for (var i = 0; i < 300 && status != OutboxStatus.Sent; i++)
        {
            await Task.Delay(100);
            await using var db = await dbFactory.CreateDbContextAsync();
            status = await db.OutboxMessages.Where(m => m.BusinessKey == "requested-drain:1").Select(m => m.Status).SingleAsync();
        }
        Assert.Equal(OutboxStatus.Sent, status);
        Assert.Single(Directory.GetFiles(fixture.Factory.MailDropDirectory, "*.eml"));
    }

    [Fact]
    public async Task TwoHostsInOneProcess_EachRunsItsOwnJobsOnItsOwnDatabase()
    {
        var other = new WebTestFixture();
        await other.InitializeAsync();
        try
        {
            await RunOnOtherHostAsync(other);
        }
        finally
        {
            await other.DisposeAsync();
        }
    }

    private async Task RunOnOtherHostAsync(WebTestFixture other)
    {
        _ = fixture.Factory.Server;
        _ = other.Factory.Server;

        // Each host's storage is its own DI singleton. Hangfire's process-wide default is never set: hosts that
        // started at the same moment used to race on it and pick up each other's storage and job activator.
        Assert.NotSame(fixture.Factory.Services.GetRequiredService<JobStorage>(), other.Factory.Services.GetRequiredService<JobStorage>());
        Assert.Throws<InvalidOperationException>(() => JobStorage.Current);

        var services = other.Factory.Services;
        var dbFactory = services.GetRequiredService<IDbContextFactory<ConsentHubDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync())
            await services.GetRequiredService<OutboxWriter>().WriteAsync(db, new OutgoingEmail("other-host:1", "parent@home.example", "Hello", "Text"));
        services.GetRequiredService<RequestOutboxDrain>().Now();

        var status = OutboxStatus.Pending;
        for (var i = 0; i < 300 && status != OutboxStatus.Sent; i++)
        {
            await Task.Delay(100);
            await using var db = await dbFactory.CreateDbContextAsync();
            status = await db.OutboxMessages.Where(m => m.BusinessKey == "other-host:1").Select(m => m.Status).SingleAsync();
        }
        Assert.Equal(OutboxStatus.Sent, status);
        Assert.Single(Directory.GetFiles(other.Factory.MailDropDirectory, "*.eml"));
    }
}
