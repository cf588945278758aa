using System.Text.Json.Serialization;
using ConsentHub.Hosting;
using ConsentHub.Web.Api;
using ConsentHub.Web.Components.Pages.Signing;
using ConsentHub.Web.Security;
using Hangfire;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ConsentHub.Web.Hosting;

public static class WebServiceCollectionExtensions
{
    public static IServiceCollection AddConsentHubWeb(this IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        // The core: platform, audit and every feature, each registering itself.
        services.AddConsentHubCore(connectionString);

        // Web-only: background job storage and server, health, components, page state, sign-in, the API's key scheme.
        services.AddConsentHubHangfire(connectionString);
        services.AddHangfireServer(o =>
        {
            o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            o.WorkerCount = Math.Max(4, Environment.ProcessorCount * 2);
            o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
        });
        services.AddHostedService<RecurringJobs>();
        // Where jobs run, a requested outbox drain runs in process (a signal, not a Hangfire job per signing).
        services.AddHostedService<ConsentHub.Email.OutboxDrainWorker>();
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<HangfireHealthCheck>("hangfire", tags: ["ready"]);
        // Staff circuits (docs/OPERATIONS.md, "Circuits"): one per open staff tab; their memory is measured by the
        // "circuits" benchmark (docs/BENCHMARKS.md). A phone that loses signal (a lift, a corridor) gets its page back within
        // two minutes; after that, or when a host dies, the page reloads on a live host and reads current data.
        // Disconnected circuits kept per host are capped so a wave of dropped phones cannot hold memory.
        services.AddRazorComponents().AddInteractiveServerComponents(circuits =>
        {
            circuits.DisconnectedCircuitRetentionPeriod = TimeSpan.FromMinutes(2);
            circuits.DisconnectedCircuitMaxRetained = 200;
            circuits.MaxBufferedUnacknowledgedRenderBatches = 10;
            circuits.JSInteropDefaultCallTimeout = TimeSpan.FromSeconds(30);
        });
        services.AddScoped<Components.Pages.Checks.CheckMemory>();
        services.AddSingleton<ApiKeyCache>();
        services.AddSingleton<JobFigures>();
        services.AddSingleton<Components.Pages.Signing.SigningSession>();
        services.AddSigningRateLimits();
        services.AddLogging(logging => logging.KeepTokensOutOfLogs());

        // Staff sign-in: the default scheme for pages. The API keeps its own key scheme below.
        services.AddConsentHubStaffSignIn(configuration);
        services.AddScoped<Security.CurrentStaff>();
        services.AddSingleton<PasswordResetAsks>();
        services.AddHostedService<PasswordResetWorker>();

        // JSON API v1: API keys, problem details naming the field, OpenAPI at /openapi/v1.json.
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ConsentApi.Policy, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser());
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.Converters.Add(new ConsentHub.Web.Security.StrictStringConverter());
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ConsentApiJson.Default);
        });
        services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "ConsentHub API";
            doc.Info.Description = "Photography and video consent checks for the trust's pupils. Authenticate with an API key: header X-Api-Key.";
            return Task.CompletedTask;
        }));
        return services;
    }

    public static IEndpointRouteBuilder MapConsentHubHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResponseWriter = WriteJson,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
        return endpoints;
    }

    private static Task WriteJson(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        // Names and statuses only: exception text can carry connection details.
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        });
    }
}
