using System.Collections.Concurrent;
using ConsentHub.Audit;
using ConsentHub.Data;
using ConsentHub.Testing.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace ConsentHub.Tests.Trust;

/// <summary>The container a host builds for seeding, on a test database, with the audit log and environment faked.</summary>
internal static class SeedingServices
{
    public static ServiceProvider Build(DatabaseFixture database, IAuditLog audit, string environmentName, string trustName = "Demo Learning Trust")
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Trust:Name"] = trustName })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(database.DataSource);
        services.AddDbContextFactory<ConsentHubDbContext>(o => DataServiceCollectionExtensions.Configure(o, database.DataSource));
        services.AddSingleton(audit);
        services.AddSingleton<IHostEnvironment>(new TestHostEnvironment(environmentName));
        services.AddConsentHubSeeding();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }
}

/// <summary>
/// Stands in for the audit chain (written elsewhere): records what would have been appended, so a test can check
/// that a use case audits without depending on how the chain is stored.
/// </summary>
internal sealed class RecordingAuditLog : IAuditLog
{
    public ConcurrentQueue<AuditEvent> Appended { get; } = new();
    public ConcurrentQueue<AuditEvent> Reads { get; } = new();

    public Task AppendAsync(ConsentHubDbContext db, AuditEvent auditEvent, CancellationToken ct = default)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("AppendAsync must run inside the caller's transaction.");
        Appended.Enqueue(auditEvent);
        return Task.CompletedTask;
    }

    public void RecordRead(AuditEvent auditEvent) => Reads.Enqueue(auditEvent);
}

internal sealed class TestHostEnvironment(string environmentName) : IHostEnvironment
{
    public string EnvironmentName { get; set; } = environmentName;
    public string ApplicationName { get; set; } = "ConsentHub.Tests";
    public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
}
