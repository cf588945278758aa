using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Checks;
using ConsentHub.Dashboards;
using ConsentHub.Data;
using ConsentHub.Testing.Database;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ConsentHub.Web.Tests.Infrastructure;

/// <summary>
/// Base for component tests: a fixed clock (1 Sep 2026, 08:00 UK time), a signed-out user that a test can sign
/// in with roles, loose JS interop, and a host environment a test can switch.
/// </summary>
public abstract class ConsentHubComponentTest : BunitContext
{
    static ConsentHubComponentTest()
    {
        // Component tests that read a real database wait for renders; one second is too short on a busy CI machine,
        // and a wait ends as soon as its condition holds, so a generous limit costs nothing when tests pass.
        DefaultWaitTimeout = TimeSpan.FromSeconds(30);
    }

    protected ConsentHubComponentTest()
    {
        Clock = new FakeTimeProvider(new DateTimeOffset(2026, 9, 1, 7, 0, 0, TimeSpan.Zero));
        Environment = new FakeWebHostEnvironment { EnvironmentName = Environments.Production };
        Services.AddSingleton<TimeProvider>(Clock);
        Services.AddSingleton<IWebHostEnvironment>(Environment);
        Services.AddSingleton<IHostEnvironment>(Environment);
        Auth = AddAuthorization();
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddSingleton<Hangfire.IBackgroundJobClient>(Jobs);
        Services.AddSingleton<ConsentHub.Rollover.RequestRollover>();
    }

    /// <summary>Jobs the component enqueued (a test may register its own client instead).</summary>
    protected RecordingJobClient Jobs { get; } = new();

    /// <summary>
    /// For components that read a real database: the context factory, data source, audit log and the check
    /// reader over <paramref name="database"/>, the current-staff reader, and the clock set to now (data the
    /// builders write is stamped with the real time).
    /// </summary>
    protected void UseDatabase(DatabaseFixture database)
    {
        ArgumentNullException.ThrowIfNull(database);
        Clock.SetUtcNow(DateTimeOffset.UtcNow);
        Services.AddSingleton<IDbContextFactory<ConsentHubDbContext>>(new FixtureContextFactory(database));
        Services.AddSingleton(database.DataSource);
        Services.AddSingleton<IAuditLog>(new AuditLog(database.DataSource, Clock, Options.Create(new AuditOptions()), NullLogger<AuditLog>.Instance));
        Services.AddSingleton(Options.Create(new AccessDenialOptions()));
        Services.AddSingleton<AccessDenials>();
        Services.AddSingleton<ConsentReferenceCache>();
        Services.AddSingleton<ConsentStatusReader>();
        Services.AddScoped<CurrentStaff>();
        Services.AddMemoryCache();
        Services.AddSingleton<ConsentHub.Trust.ReadSchoolName>();
        Services.AddSingleton<ConsentHub.Trust.ReadSchoolIdentity>();
        Services.AddSingleton<ConsentHub.Consent.FormVersions.ReadTranslationReviews>();
        Services.AddConsentHubDashboards();
        Services.AddSingleton<ConsentHub.PaperReturns.ListPaperScans>();
    }

    /// <summary>Signs in a member of staff with one role assignment, carrying the claims real sign-in writes.</summary>
    protected void SignInStaff(string actor, string role, ScopeLevel level, Guid? scopeId) =>
        Auth.SetAuthorized(actor).SetRoles(role).SetClaims(new Claim(StaffClaims.Scope, StaffClaims.Format(role, level, scopeId)));

    private sealed class FixtureContextFactory(DatabaseFixture database) : IDbContextFactory<ConsentHubDbContext>
    {
        public ConsentHubDbContext CreateDbContext() => database.CreateDbContext();
    }

    protected FakeTimeProvider Clock { get; }
    protected FakeWebHostEnvironment Environment { get; }
    protected BunitAuthorizationContext Auth { get; }

    protected sealed class FakeWebHostEnvironment : IWebHostEnvironment
    {
        public string WebRootPath { get; set; } = "";
        public IFileProvider WebRootFileProvider { get; set; } = new NullFileProvider();
        public string ApplicationName { get; set; } = "ConsentHub.Web";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
        public string ContentRootPath { get; set; } = "";
        public string EnvironmentName { get; set; } = Environments.Production;
    }
}
