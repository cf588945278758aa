using System.Reflection;
using ConsentHub.Data;
using ConsentHub.Hosting;
using ConsentHub.Staff;
using ConsentHub.Testing.Database;
using ConsentHub.Tests.Trust;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ConsentHub.Tests.Hosting;

/// <summary>
/// Every feature registers itself: the container built from <see cref="CoreServiceCollectionExtensions.AddConsentHubCore"/>
/// (plus only what a host supplies) is valid, resolves every service it registers, and holds every feature's use case.
/// A use case a feature forgets to register, or one whose dependency nobody registers, fails here rather than as a 500
/// on the page that first asks for it.
/// </summary>
public sealed class CoreRegistrationTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static readonly Assembly Core = typeof(CoreServiceCollectionExtensions).Assembly;

    [Fact]
    public void AddConsentHubCore_WithWhatAHostSupplies_BuildsAValidContainer()
    {
        using var provider = Build();
        Assert.NotNull(provider.GetRequiredService<IServiceProviderIsService>());
    }

    [Fact]
    public void AddConsentHubCore_ResolvesEveryServiceItRegisters()
    {
        var services = CoreWithHostServices();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        using var scope = provider.CreateScope();

        var failures = new List<string>();
        var resolved = 0;
        foreach (var serviceType in services
            .Where(d => !d.ServiceType.IsGenericTypeDefinition && (d.ServiceType.Assembly == Core || d.ImplementationType?.Assembly == Core))
            .Select(d => d.ServiceType)
            .Distinct())
        {
            try
            {
                Assert.NotEmpty(scope.ServiceProvider.GetServices(serviceType).OfType<object>());
                resolved++;
            }
            catch (Exception e)
            {
                failures.Add($"{serviceType.FullName}: {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.Empty(failures);
        Assert.True(resolved > 100, $"Only {resolved} core services were registered.");
    }

    [Fact]
    public void EveryFeaturesUseCase_IsRegisteredByAddConsentHubCore()
    {
        using var provider = Build();
        var isService = provider.GetRequiredService<IServiceProviderIsService>();

        // A use case: a public class of the core with a public HandleAsync (one use case per file, named verb+noun).
        var useCases = Core.GetExportedTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsNested: false }
                && t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Any(m => m.Name == "HandleAsync"))
            .ToList();

        Assert.True(useCases.Count > 60, $"Only {useCases.Count} use cases found: the reflection no longer finds them.");
        Assert.Empty(useCases.Where(t => !isService.IsService(t)).Select(t => t.FullName));
    }

    private ServiceProvider Build() =>
        CoreWithHostServices().BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

    /// <summary>AddConsentHubCore, and the pieces its remarks say a host supplies: nothing from the web project.</summary>
    private ServiceCollection CoreWithHostServices()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection().Build());
        services.AddLogging();
        services.AddSingleton<IHostEnvironment>(new TestHostEnvironment(Environments.Development));

        // Hangfire's storage and client (the web host also runs the server).
        var storage = new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = false };
        services.AddSingleton<JobStorage>(_ => new PostgreSqlStorage(new NpgsqlConnectionFactory(database.ConnectionString, storage), storage));
        services.AddSingleton<IBackgroundJobClient>(sp => new BackgroundJobClient(sp.GetRequiredService<JobStorage>()));

        // Identity's user manager over EF stores (the web host's staff sign-in adds cookies and policies on top).
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<ConsentHubDbContext>>().CreateDbContext());
        services.AddIdentityCore<StaffUser>().AddEntityFrameworkStores<ConsentHubDbContext>().AddDefaultTokenProviders();

        services.AddConsentHubCore(database.ConnectionString);
        return services;
    }
}
