using System.Text.Json.Serialization;
using ConsentHub.Api;
using ConsentHub.Audit;
using ConsentHub.Chasing;
using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Dashboards;
using ConsentHub.Data;
using ConsentHub.Email;
using ConsentHub.Forms;
using ConsentHub.Monitoring;
using ConsentHub.Pauses;
using ConsentHub.Photos;
using ConsentHub.Pupils;
using ConsentHub.Renewals;
using ConsentHub.Requests;
using ConsentHub.Retention;
using ConsentHub.Rollover;
using ConsentHub.Signing;
using ConsentHub.Staff;
using ConsentHub.Takedowns;
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
        services.AddConsentHubData(connectionString);
        services.AddSingleton(TimeProvider.System);
        services.AddConsentHubEmail();
        services.AddConsentHubHangfire(connectionString);
        services.AddHangfireServer(o =>
        {
            o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            o.WorkerCount = Math.Max(4, Environment.ProcessorCount * 2);
            o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
        });
        services.AddHostedService<RecurringJobs>();
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<HangfireHealthCheck>("hangfire", tags: ["ready"]);
        services.AddRazorComponents().AddInteractiveServerComponents();

        // Consent core: checks, answers, API keys.
        services.AddMemoryCache();
        services.AddConsentHubAudit();
        services.AddHostedService<AccessDenialSweep>();
        services.AddSingleton<ConsentReferenceCache>();
        services.AddSingleton<ConsentStatusReader>();
        services.AddConsentHubChecks(connectionString);
        services.AddScoped<Components.Pages.Checks.CheckMemory>();
        services.AddSingleton<CountConsentByAcademy>();
        services.AddSingleton<RecordConsentAnswer>();
        services.AddSingleton<ImportPupils>();
        services.AddSingleton<ListImportAcademies>();
        services.AddConsentHubApiKeys();
        services.AddSingleton<ApiKeyCache>();
        services.AddConsentHubSeeding();
        services.AddConsentHubSigning();
        services.AddConsentHubRequests();
        services.AddConsentHubChasing();
        services.AddConsentHubForms();
        // Background jobs of issue 7: rollover, renewals, takedowns, retention.
        services.AddConsentHubRollover();
        services.AddConsentHubRenewals();
        services.AddConsentHubTakedowns();
        services.AddConsentHubRetention();
        services.AddConsentHubPauses();
        services.AddConsentHubPhotos();
        services.AddConsentHubMonitoring();
        services.AddConsentHubDashboards();
        services.AddSingleton<JobFigures>();
        services.AddSingleton<Components.Pages.Signing.SigningSession>();
        services.AddSingleton<Components.Pages.Signing.SigningEndpoints.SigningServices>();
        services.AddSigningRateLimits();
        services.AddLogging(logging => logging.KeepTokensOutOfLogs());
        services.AddSingleton<ListStaffAccounts>();
        services.AddSingleton<GetStaffAccount>();
        services.AddSingleton<SetStaffAccountDisabled>();
        services.AddSingleton<GrantStaffRole>();
        services.AddSingleton<RevokeStaffRole>();
        services.AddSingleton<SignOutStaffEverywhere>();
        services.AddScoped<SeedDemoStaff>();
        services.AddScoped<InviteStaff>();
        services.AddScoped<RequestPasswordReset>();

        // Staff sign-in: the default scheme for pages. The API keeps its own key scheme below.
        services.AddConsentHubStaffSignIn(configuration);

        // Pupils: search, the pupil page, the sixth-form and safeguarding flags.
        services.AddSingleton<ConsentHub.Pupils.SearchPupils>();
        services.AddSingleton<ConsentHub.Pupils.GetPupilRecord>();
        services.AddSingleton<ConsentHub.Pupils.SetAlsoAskParent>();
        services.AddSingleton<ConsentHub.Pupils.SetSafeguardingFlag>();
        services.AddSingleton<ConsentHub.Pupils.UpdatePupilContact>();
        services.AddSingleton<ConsentHub.Consent.Purposes.SavePurpose>();
        services.AddSingleton<ConsentHub.Consent.Purposes.ListPurposes>();
        services.AddSingleton<ConsentHub.Trust.ListAcademies>();
        services.AddSingleton<ConsentHub.Trust.ReadSchoolName>();
        services.AddSingleton<ConsentHub.Trust.SaveAcademy>();
        services.AddSingleton<ConsentHub.Trust.SaveAcademyLogo>();
        services.AddScoped<Security.CurrentStaff>();
        services.AddSingleton<ListPupilsNeedingFollowUp>();

        // Trust set-up: structure, the register of trust-affiliated accounts, form versions.
        services.AddSingleton<ConsentHub.Trust.ListTrustStructure>();
        services.AddSingleton<ConsentHub.Trust.PreviewEveryParentSetting>();
        services.AddSingleton<ConsentHub.Trust.SaveEveryParentSetting>();
        services.AddSingleton<ConsentHub.Consent.FormVersions.ListFormVersions>();
        services.AddSingleton<ConsentHub.Consent.FormVersions.StartFormVersion>();
        services.AddSingleton<ConsentHub.Consent.FormVersions.SaveFormWording>();
        services.AddSingleton<ConsentHub.Consent.FormVersions.PublishFormVersion>();
        services.AddSingleton<ConsentHub.Trust.Accounts.ListAffiliatedAccounts>();
        services.AddSingleton<ConsentHub.Trust.Accounts.RegisterAffiliatedAccount>();
        services.AddSingleton<ConsentHub.Trust.Accounts.CloseAffiliatedAccount>();

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
