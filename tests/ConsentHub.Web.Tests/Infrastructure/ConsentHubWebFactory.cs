using ConsentHub.Testing.Database;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

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

    /// <summary>Service replacements for a test (a fake clock, say), applied after the app's own.</summary>
    public Action<IServiceCollection>? TestServices { get; set; }

    /// <summary>
    /// PBKDF2 rounds for staff passwords hashed by this host. The app keeps Identity's default (100,000, checked by
    /// <c>HostTests</c> with <see cref="ProductionPasswordHashing"/>); test hosts create and sign in hundreds of staff,
    /// so they hash with fewer rounds. Sign-in behaves the same: the stored hash names its own round count.
    /// </summary>
    public const int TestPasswordIterations = 1_000;

    /// <summary>Hash staff passwords as the app does in production (Identity's default rounds).</summary>
    public bool ProductionPasswordHashing { get; set; }

    /// <summary>This host's own mail drop, so test hosts never write to the developer's data folder.</summary>
    public string MailDropDirectory { get; } = Path.Combine(Path.GetTempPath(), "consenthub-web-maildrop-" + Guid.NewGuid().ToString("N"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting("ConnectionStrings:ConsentHub", Database.ConnectionString);
        builder.UseSetting("Database:MigrateOnStartup", "false");
        builder.UseSetting("Email:PickupDirectory", MailDropDirectory);
        // Every test request comes from the same (unknown) address and a class signs in many times a minute; the
        // per-address sign-in limit has its own test (SignInRateLimitTests), which sets it low again.
        builder.UseSetting("StaffSignIn:SignInAttemptsPerIpPerMinute", "100000");
        foreach (var (key, value) in Settings)
            builder.UseSetting(key, value);
        if (!ProductionPasswordHashing)
            builder.ConfigureServices(s => s.Configure<PasswordHasherOptions>(o => o.IterationCount = TestPasswordIterations));
        if (TestServices is { } configure) builder.ConfigureTestServices(configure);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(MailDropDirectory))
            Directory.Delete(MailDropDirectory, recursive: true);
    }
}
