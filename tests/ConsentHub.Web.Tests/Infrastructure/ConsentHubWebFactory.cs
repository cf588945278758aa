using ConsentHub.Testing.Database;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ConsentHub.Web.Tests.Infrastructure;

/// <summary>
/// The real host (Program) on a test class's own database. Settings are passed with UseSetting because
/// Program reads the connection string before the host is built.
/// </summary>
public class ConsentHubWebFactory(DatabaseFixture database, string environment = "Testing") : WebApplicationFactory<Program>
{
    public DatabaseFixture Database { get; } = database;

    /// <summary>Extra settings for a test, applied the same early way.</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting("ConnectionStrings:ConsentHub", Database.ConnectionString);
        builder.UseSetting("Database:MigrateOnStartup", "false");
        foreach (var (key, value) in Settings)
            builder.UseSetting(key, value);
    }
}
