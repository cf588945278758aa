using System.Net;
using System.Text.Json;
using ConsentHub.Web.Tests.Infrastructure;
using Hangfire;
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
