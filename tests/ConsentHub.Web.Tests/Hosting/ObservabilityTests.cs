using System.Net;
using ConsentHub.Testing.Database;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Tests.Hosting;

/// <summary>
/// The operations surface of a host behind nginx: Prometheus metrics for the internal network only, liveness
/// and readiness for the load balancer, and forwarded headers believed from the configured proxy alone.
/// The test server has no socket, so each request says which address it comes from in a test-only header.
/// </summary>
public sealed class ObservabilityTests : IAsyncLifetime
{
    private const string Proxy = "10.0.0.5";
    private readonly DatabaseFixture _database = new();
    private ConsentHubWebFactory Factory { get; set; } = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        Factory = new ConsentHubWebFactory(_database);
        Factory.Settings["Observability:KnownProxies:0"] = Proxy;
        Factory.Settings["Observability:MetricsAllowedNetworks:0"] = "10.20.0.0/16";
        Factory.TestServices = services => services.AddTransient<IStartupFilter, RemoteAddressFromTestHeader>();
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task<HttpResponseMessage> GetFromAsync(string path, string remote, string? forwardedFor = null)
    {
        using var client = Factory.CreateClient(new() { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(RemoteAddressFromTestHeader.Header, remote);
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Metrics_FromLoopbackOrTheMonitoringNetwork_ShowConsentHubsOwnInstruments()
    {
        // A check first, so the HTTP instruments have something to show.
        using (await GetFromAsync("/health/ready", "127.0.0.1")) { }

        using var local = await GetFromAsync("/metrics", "127.0.0.1");
        Assert.Equal(HttpStatusCode.OK, local.StatusCode);
        var text = await local.Content.ReadAsStringAsync();
        Assert.Contains("consenthub_outbox_backlog", text, StringComparison.Ordinal);
        Assert.Contains("consenthub_hangfire_enqueued", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);

        using var monitoring = await GetFromAsync("/metrics", "10.20.3.4");
        Assert.Equal(HttpStatusCode.OK, monitoring.StatusCode);
    }

    [Fact]
    public async Task Metrics_FromOutside_AreNotThere_EvenWhenTheClientClaimsToBeLocal()
    {
        using var outside = await GetFromAsync("/metrics", "203.0.113.9");
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);

        // A client that is not the proxy cannot choose its address with a header.
        using var forged = await GetFromAsync("/metrics", "203.0.113.9", forwardedFor: "127.0.0.1");
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);

        // Through the proxy, the client's own address counts: an outside client is still refused.
        using var proxied = await GetFromAsync("/metrics", Proxy, forwardedFor: "203.0.113.9");
        Assert.Equal(HttpStatusCode.NotFound, proxied.StatusCode);
    }

    [Fact]
    public async Task HealthEndpoints_LiveAnswers_ReadyChecksDatabaseHangfireAndMigrations()
    {
        using var live = await GetFromAsync("/health/live", "203.0.113.9");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        using var ready = await GetFromAsync("/health/ready", "203.0.113.9");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("Healthy", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadyIsUnhealthy_WhenAMigrationIsMissing()
    {
        // Forget the newest migration: this host's schema is now "older" than its code.
        await using (var conn = new Npgsql.NpgsqlConnection(_database.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new Npgsql.NpgsqlCommand(
                "DELETE FROM consenthub.__ef_migrations_history WHERE migration_id = (SELECT max(migration_id) FROM consenthub.__ef_migrations_history)", conn);
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        }
        using var ready = await GetFromAsync("/health/ready", "127.0.0.1");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }

    /// <summary>Sets the connection's remote address from a test header, before the app's own pipeline.</summary>
    private sealed class RemoteAddressFromTestHeader : IStartupFilter
    {
        public const string Header = "X-Test-Remote-Address";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, RequestDelegate nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(Header, out var value))
                    context.Connection.RemoteIpAddress = IPAddress.Parse(value.ToString());
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
