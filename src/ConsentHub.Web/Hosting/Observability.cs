using System.Diagnostics.Metrics;
using System.Net;
using ConsentHub.Data;
using Hangfire;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ConsentHub.Web.Hosting;

/// <summary>What operations may configure: who may scrape metrics, where traces go, which proxies to trust.</summary>
public sealed class ObservabilityOptions
{
    public const string Section = "Observability";

    /// <summary>Networks (CIDR) whose addresses may read /metrics besides loopback, e.g. the monitoring subnet.</summary>
    public List<string> MetricsAllowedNetworks { get; set; } = [];

    /// <summary>OTLP endpoint for traces; none = traces are not exported.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>How often the backlog gauges (outbox, Hangfire) are re-read from the database.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Addresses of the reverse proxies (nginx) whose X-Forwarded-For / -Proto are believed. Empty: forwarded
    /// headers are ignored, so a client cannot choose the address that rate limits and the audit see.
    /// </summary>
    public List<string> KnownProxies { get; set; } = [];

    internal IEnumerable<System.Net.IPNetwork> AllowedNetworks() =>
        MetricsAllowedNetworks.Select(n => System.Net.IPNetwork.Parse(n));
}

/// <summary>ConsentHub's own instruments, beside ASP.NET Core's, Npgsql's and the runtime's.</summary>
public sealed class ConsentHubMetrics : IDisposable
{
    public const string MeterName = "ConsentHub";

    private readonly Meter _meter = new(MeterName);
    private long _outboxBacklog;
    private double _outboxOldestSeconds;
    private long _hangfireEnqueued;
    private long _hangfireFailed;
    private long _hangfireServers;

    public ConsentHubMetrics()
    {
        CheckDuration = _meter.CreateHistogram<double>("consenthub.check.duration", "ms",
            "Time to answer a consent check (API single pupil, roster, summary)");
        SigningPosts = _meter.CreateCounter<long>("consenthub.signing.posts", "{post}",
            "Signing form POSTs (answers, date of birth), by outcome");
        _meter.CreateObservableGauge("consenthub.outbox.backlog", () => Volatile.Read(ref _outboxBacklog), "{message}",
            "Emails waiting to be sent (pending or being sent)");
        _meter.CreateObservableGauge("consenthub.outbox.oldest_age", () => Volatile.Read(ref _outboxOldestSeconds), "s",
            "Age of the oldest email still waiting");
        _meter.CreateObservableGauge("consenthub.hangfire.enqueued", () => Volatile.Read(ref _hangfireEnqueued), "{job}",
            "Background jobs waiting in Hangfire's queues");
        _meter.CreateObservableGauge("consenthub.hangfire.failed", () => Volatile.Read(ref _hangfireFailed), "{job}",
            "Background jobs in Hangfire's failed state");
        _meter.CreateObservableGauge("consenthub.hangfire.servers", () => Volatile.Read(ref _hangfireServers), "{server}",
            "Hangfire servers alive across every host");
    }

    public Histogram<double> CheckDuration { get; }
    public Counter<long> SigningPosts { get; }

    internal void SetOutbox(long backlog, double oldestSeconds)
    {
        Volatile.Write(ref _outboxBacklog, backlog);
        Volatile.Write(ref _outboxOldestSeconds, oldestSeconds);
    }

    internal void SetHangfire(long enqueued, long failed, long servers)
    {
        Volatile.Write(ref _hangfireEnqueued, enqueued);
        Volatile.Write(ref _hangfireFailed, failed);
        Volatile.Write(ref _hangfireServers, servers);
    }

    public void Dispose() => _meter.Dispose();
}

/// <summary>Re-reads the backlog gauges on a timer, so a scrape never waits for the database.</summary>
internal sealed partial class BacklogSampler(
    ConsentHubMetrics metrics,
    NpgsqlDataSource dataSource,
    JobStorage storage,
    IOptions<ObservabilityOptions> options,
    ILogger<BacklogSampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SampleInterval);
        do
        {
            await SampleAsync(stoppingToken);
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    internal async Task SampleAsync(CancellationToken ct)
    {
        try
        {
            await using var cmd = dataSource.CreateCommand("""
                SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8
                FROM consenthub.outbox_messages WHERE status IN ('Pending', 'Sending')
                """);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct)) metrics.SetOutbox(reader.GetInt64(0), reader.GetDouble(1));
            var stats = storage.GetMonitoringApi().GetStatistics();
            metrics.SetHangfire(stats.Enqueued, stats.Failed, stats.Servers);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            LogSampleFailed(logger, e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metrics sample failed ({Kind}); the gauges keep their last values")]
    private static partial void LogSampleFailed(ILogger logger, string kind);
}

/// <summary>Every migration in the assembly is applied: a host on an older schema must not take traffic.</summary>
internal sealed class MigrationsHealthCheck(IDbContextFactory<ConsentHubDbContext> factory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            return pending == 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy($"{pending} migrations not applied");
        }
        catch (NpgsqlException e)
        {
            return HealthCheckResult.Unhealthy("Database unreachable", e);
        }
    }
}

public static class ObservabilityExtensions
{
    public static IServiceCollection AddConsentHubObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ObservabilityOptions>().BindConfiguration(ObservabilityOptions.Section)
            .Validate(o => o.MetricsAllowedNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)), "Observability:MetricsAllowedNetworks holds a value that is not a CIDR network")
            .Validate(o => o.KnownProxies.All(p => IPAddress.TryParse(p, out _)), "Observability:KnownProxies holds a value that is not an IP address")
            .Validate(o => o.SampleInterval > TimeSpan.Zero, "Observability:SampleInterval must be positive")
            .ValidateOnStart();
        services.AddSingleton<ConsentHubMetrics>();
        services.AddHostedService<BacklogSampler>();
        services.AddHealthChecks().AddCheck<MigrationsHealthCheck>("migrations", tags: ["ready"]);

        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ObservabilityOptions>>((forwarded, o) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the configured proxies are believed; the framework's default (loopback) is dropped so a host
            // reached directly never trusts a header its client wrote.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in o.Value.KnownProxies) forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            forwarded.ForwardLimit = 1;
        });

        var otlp = configuration[$"{ObservabilityOptions.Section}:OtlpEndpoint"];
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("consenthub", serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}"))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentationMeters()
                .AddMeter(ConsentHubMetrics.MeterName, "Npgsql")
                .AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(otlp))
        {
            telemetry.WithTracing(t => t
                .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/metrics"))
                .AddNpgsql()
                .AddOtlpExporter(o => o.Endpoint = new Uri(otlp)));
        }
        return services;
    }

    private static MeterProviderBuilder AddRuntimeInstrumentationMeters(this MeterProviderBuilder builder) =>
        // .NET's built-in runtime and Kestrel/SignalR meters: no extra package needed.
        builder.AddMeter("System.Runtime", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections",
            "Microsoft.AspNetCore.Components.Server.Circuits");

    /// <summary>First in the pipeline: the client's address (through a trusted proxy) for everything after it.</summary>
    public static IApplicationBuilder UseConsentHubForwardedHeaders(this IApplicationBuilder app) => app.UseForwardedHeaders();

    /// <summary>Times the checks and counts the signing POSTs, by the endpoint's route, after routing chose it.</summary>
    public static IApplicationBuilder UseConsentHubRequestMetrics(this IApplicationBuilder app)
    {
        var metrics = app.ApplicationServices.GetRequiredService<ConsentHubMetrics>();
        return app.Use(async (context, next) =>
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
            var kind = Classify(context.Request.Method, route);
            if (kind == RequestKind.Other)
            {
                await next(context);
                return;
            }
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await next(context);
            if (kind == RequestKind.Check)
            {
                metrics.CheckDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                    new KeyValuePair<string, object?>("route", route),
                    new KeyValuePair<string, object?>("status", context.Response.StatusCode));
            }
            else
            {
                metrics.SigningPosts.Add(1, new KeyValuePair<string, object?>("outcome",
                    context.Response.StatusCode < 400 ? "ok" : context.Response.StatusCode == 429 ? "limited" : "rejected"));
            }
        });
    }

    internal enum RequestKind
    {
        Other,
        Check,
        SigningPost,
    }

    internal static RequestKind Classify(string method, string? route) => route switch
    {
        null => RequestKind.Other,
        _ when HttpMethods.IsPost(method) && (route.StartsWith("/s/", StringComparison.Ordinal) || route.StartsWith("/sign/change/", StringComparison.Ordinal)) => RequestKind.SigningPost,
        _ when HttpMethods.IsGet(method) && route.StartsWith("/api/v1/", StringComparison.Ordinal)
            && (route.EndsWith("/consent", StringComparison.Ordinal) || route.Contains("roster", StringComparison.Ordinal) || route.EndsWith("/summary", StringComparison.Ordinal)) => RequestKind.Check,
        _ => RequestKind.Other,
    };

    /// <summary>
    /// /metrics for Prometheus, answered only to loopback and the configured monitoring networks (404 to anyone
    /// else, as if it did not exist); /health/live (the process answers) and /health/ready (database, Hangfire
    /// storage, migrations) for the load balancer and the service manager.
    /// </summary>
    public static IEndpointRouteBuilder MapConsentHubObservability(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<ObservabilityOptions>>().Value;
        var allowed = options.AllowedNetworks().ToList();
        endpoints.MapPrometheusScrapingEndpoint("/metrics")
            .AddEndpointFilter(async (context, next) =>
                IsInternal(context.HttpContext.Connection.RemoteIpAddress, allowed) ? await next(context) : Results.NotFound());
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready"),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
        return endpoints;
    }

    internal static bool IsInternal(IPAddress? address, IReadOnlyList<System.Net.IPNetwork> allowed)
    {
        if (address is null) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return IPAddress.IsLoopback(address) || allowed.Any(n => n.Contains(address));
    }
}
