using ConsentHub.Hosting;
using ConsentHub.Web.Components;
using ConsentHub.Web.Hosting;
using Hangfire;
using Hangfire.Dashboard;
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

    var app = builder.Build();

    if (database.Migrate)
        await DatabaseBootstrap.MigrateAsync(app.Services);

    if (!app.Environment.IsDevelopment())
    {
        app.UseExceptionHandler("/Error", createScopeForErrors: true);
        app.UseHsts();
        app.UseHttpsRedirection();
    }
    app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
    app.UseAntiforgery();

    app.MapStaticAssets();
    app.MapConsentHubHealth();
    if (app.Environment.IsDevelopment())
    {
        // Until staff sign-in exists the dashboard is for a developer on this machine only.
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new LocalRequestsOnlyAuthorizationFilter()],
            DisplayStorageConnectionString = false,
        });
    }
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
