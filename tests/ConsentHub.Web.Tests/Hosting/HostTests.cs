using System.Buffers.Binary;
using System.Net;
using System.Text.Json;
using ConsentHub.Access;
using ConsentHub.Testing.Database;
using ConsentHub.Web.Tests.Infrastructure;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Tests.Hosting;

public sealed class HostTests(WebTestFixture fixture) : IClassFixture<WebTestFixture>
{
    [Fact]
    public async Task HomePage_IsServed()
    {
        using var client = fixture.Factory.CreateClient();
        var html = await client.GetStringAsync("/");
        Assert.Contains("<h1>ConsentHub</h1>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_ReportsDatabaseAndHangfireStorage()
    {
        using var client = fixture.Factory.CreateClient();
        using var response = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var checks = json.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.NotEqual("Unhealthy", checks.GetProperty("hangfire").GetProperty("status").GetString());
    }

    [Fact]
    public async Task HangfireDashboard_SendsAnonymousVisitorsToSignIn()
    {
        using var client = fixture.Factory.CreateClient(new() { AllowAutoRedirect = false });
        using var response = await client.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/sign-in", response.Headers.Location?.AbsolutePath);
    }

    [Fact]
    public async Task AnEnqueuedJob_RunsOnTheHostsHangfireServer()
    {
        _ = fixture.Factory.Server; // start the host and its Hangfire server
        var jobs = fixture.Factory.Services.GetRequiredService<IBackgroundJobClient>();
        var marker = Guid.NewGuid().ToString("N");

        jobs.Enqueue(() => ProbeJob.Run(marker));

        // Generous bound: this proves the job runs, the ~1 s pick-up is measured by the benchmark harness.
        Assert.True(await ProbeJob.WaitForAsync(marker, TimeSpan.FromSeconds(30)), "The job never ran.");
    }

    [Fact]
    public async Task AStaffPassword_IsStoredAsAPbkdf2HashOfAtLeast100000Rounds()
    {
        // As the app runs: without the test hosts' cheaper hashing (ConsentHubWebFactory.TestPasswordIterations).
        var database = new DatabaseFixture();
        await database.InitializeAsync();
        try
        {
            await using var factory = new ConsentHubWebFactory(database) { ProductionPasswordHashing = true };
            var user = await StaffAccounts.CreateAsync(factory.Services, StaffRoles.TrustAdmin);

            await using var db = database.CreateDbContext();
            var stored = await db.Users.Where(u => u.Id == user.Id).Select(u => u.PasswordHash).SingleAsync();
            var hash = Convert.FromBase64String(stored!);
            // Identity's v3 format: 0x01, the PRF, the round count, the salt length (big-endian), the salt, the subkey.
            Assert.Equal(0x01, hash[0]);
            Assert.True(BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(5)) >= 100_000, "Staff passwords are hashed with fewer than 100,000 rounds.");
            using var client = await StaffAccounts.SignedInClientAsync(factory, user);
        }
        finally
        {
            await database.DisposeAsync();
        }
    }
}

public static class ProbeJob
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource> Seen = new();

    public static void Run(string marker) => Seen.GetOrAdd(marker, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public static async Task<bool> WaitForAsync(string marker, TimeSpan timeout)
    {
        var tcs = Seen.GetOrAdd(marker, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
        return await Task.WhenAny(tcs.Task, Task.Delay(timeout)) == tcs.Task;
    }
}
