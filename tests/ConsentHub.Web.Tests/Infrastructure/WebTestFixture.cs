using ConsentHub.Testing.Database;

namespace ConsentHub.Web.Tests.Infrastructure;

/// <summary>A fresh database and an in-memory test server on it, for one test class.</summary>
public sealed class WebTestFixture : IAsyncLifetime
{
    public DatabaseFixture Database { get; } = new();
    public ConsentHubWebFactory Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Factory = new ConsentHubWebFactory(Database);
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Database.DisposeAsync();
    }
}
