using ConsentHub.Consent;
using ConsentHub.Hosting;
using ConsentHub.Staff;
using ConsentHub.Trust;
using ConsentHub.Trust.Demo;
using ConsentHub.Web.Api;
using ConsentHub.Web.Components;
using ConsentHub.Web.Components.Pages.Forms;
using ConsentHub.Web.Components.Pages.Monitoring;
using ConsentHub.Web.Components.Pages.Overview;
using ConsentHub.Web.Components.Pages.Photos;
using ConsentHub.Web.Components.Pages.Pupils;
using ConsentHub.Web.Components.Pages.Signing;
using ConsentHub.Web.Hosting;
using ConsentHub.Web.Security;
using Hangfire;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

// "--migrate" is a flag, not a key=value setting; take it out before configuration reads the arguments.
var migrateRequested = args.Contains("--migrate");
args = [.. args.Where(a => a != "--migrate")];

var builder = WebApplication.CreateBuilder(args);

DatabaseBootstrap database;
try
{
    database = DatabaseBootstrap.Prepare(builder.Configuration, migrateRequested);
}
catch (PostgresNotAvailableException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}

using (database)
{
    builder.Services.AddConsentHubWeb(builder.Configuration, database.ConnectionString);
    builder.Services.AddConsentHubObservability(builder.Configuration);

    var app = builder.Build();

    if (database.Migrate)
        await DatabaseBootstrap.MigrateAsync(app.Services);
    // Purposes, the first form version and the trust row: added when missing, never overwritten.
    await app.Services.GetRequiredService<SeedReferenceData>().HandleAsync();
    // Development fills an empty database with the demo trust and its staff; "Demo:Seed": false keeps it empty.
    if (app.Environment.IsDevelopment() && app.Configuration.GetValue("Demo:Seed", defaultValue: true))
    {
        var demo = await app.Services.GetRequiredService<SeedDemoTrust>().HandleAsync();
        if (demo.Created)
        {
            Console.WriteLine($"Loaded the demo trust: {demo.Counts}.");
            Console.WriteLine($"Demo API key (trust-wide, shown once): {demo.ApiKey}");
        }
        // A few photos at one demo academy (faces found, two tagged, one post recorded); once, and only on the demo trust.
        var photos = await app.Services.GetRequiredService<SeedDemoPhotos>().HandleAsync();
        if (photos.Photos > 0)
            Console.WriteLine($"Loaded {photos.Photos} demo photos ({photos.Faces} faces, {photos.TaggedFaces} tagged, {photos.Posts} post).");
        await using var seedScope = app.Services.CreateAsyncScope();
        var staff = await seedScope.ServiceProvider.GetRequiredService<SeedDemoStaff>().HandleAsync();
        if (staff.Count > 0)
            Console.WriteLine($"Demo staff sign-ins (Development only), password '{SeedDemoStaff.DevelopmentPassword}': {string.Join(", ", staff)}");
    }

    // The client's address through a trusted proxy (nginx), for rate limits, audit and the metrics allow-list.
    app.UseConsentHubForwardedHeaders();
    // First, so every response carries them: static files, errors, redirects, the API.
    app.UseConsentHubSecurityHeaders(app.Environment.IsDevelopment());
    // Routing stated where it runs (the metrics read the chosen route), and again after the status-code pages below.
    app.UseRouting();
    // Before anything does work for a request: a burst on the signing pages is turned away cheaply.
    app.UseConsentHubRequestMetrics();
    app.UseRateLimiter();
    // Then input no handler should see (NUL, lone surrogates, oversized forms): a clear 400/413, never a 500.
    app.UseConsentHubInputGuard();
    if (!app.Environment.IsDevelopment())
    {
        app.UseExceptionHandler("/Error", createScopeForErrors: true);
        app.UseHttpsRedirection();
    }
    // A database that cannot be reached is a 503 with Retry-After, in every environment (the drill runs in Development).
    app.UseConsentHubDatabaseUnavailable();
    // Pages get the friendly not-found page; the API answers with problem details instead.
    app.UseWhen(ctx => !ctx.Request.Path.StartsWithSegments("/api"),
        branch => branch.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
    app.UseWhen(ctx => ctx.Request.Path.StartsWithSegments("/api"), branch => branch.UseStatusCodePages());
    // A re-executed status page (/not-found for a 404 or a 403) has no endpoint yet: route it again here, or the
    // page would be an empty 404. Routing skips a request whose endpoint is already chosen.
    app.UseRouting();
    app.UseAuthentication();
    app.UseDenialAuditing();
    app.UseAuthorization();
    app.UseAntiforgery();

    app.MapStaticAssets();
    app.MapConsentHubHealth();
    app.MapConsentHubObservability();
    app.MapOpenApi();
    app.MapConsentApi();
    app.MapPupilImportApi();
    app.MapOverviewExport();
    app.MapMonitoringExport();
    app.MapFormDownloads();
    app.MapPrintedLists();
    app.MapPhotos();
    app.MapPaperScans();
    app.MapConsentHubAccount();
    app.MapConsentHubExternalSignIn(app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ExternalSignInOptions>>().Value);
    app.MapConsentHubJobsDashboard();
    app.MapSigning();
    app.MapRazorComponents<App>()
        .AddInteractiveServerRenderMode();

    app.Lifetime.ApplicationStarted.Register(() =>
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var where = database.Cluster is null ? "the configured server" : $"private cluster in {database.Cluster.DataDirectory}";
        foreach (var address in addresses)
            Console.WriteLine($"ConsentHub is running at {address} (database: {where}). Press Ctrl+C to stop.");
    });

    await app.RunAsync();
    return 0;
}

/// <summary>Lets test hosts (WebApplicationFactory) find the entry point.</summary>
public partial class Program;
