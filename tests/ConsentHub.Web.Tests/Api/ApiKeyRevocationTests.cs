using System.Net;
using ConsentHub.Access;
using ConsentHub.Api;
using ConsentHub.Pupils;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Web.Api;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ConsentHub.Web.Tests.Api;

/// <summary>
/// A revoked key gets 401: at once on the instance that revoked it, and within the documented 30 seconds on every
/// other (simulated by revoking behind this host's back and moving its clock). Expired keys too; last use is kept.
/// </summary>
public sealed class ApiKeyRevocationTests : IAsyncLifetime, IDisposable
{
    private readonly DatabaseFixture _database = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private ConsentHubWebFactory _factory = null!;
    private TestTrust _trust = null!;
    private Pupil _pupil = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _factory = new ConsentHubWebFactory(_database) { TestServices = s => s.AddSingleton<TimeProvider>(_clock) };
        _ = _factory.Services;
        await using var db = _database.CreateDbContext();
        _trust = await TestTrust.CreateAsync(db);
        (_pupil, _) = await TestTrust.AddPupilAsync(db, _trust.NorthAcademyId, 4, "4N", "Nora", "North");
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    public void Dispose() => _factory?.Dispose();

    private async Task<(Guid Id, string Key)> CreateKeyAsync(DateTimeOffset? expires = null)
    {
        var created = await _factory.Services.GetRequiredService<CreateApiKey>()
            .HandleAsync(new CreateApiKey.Request("north photo tool", _trust.NorthAcademyId, "staff:admin", expires));
        return (created.Id, created.PlainTextKey);
    }

    private async Task<HttpStatusCode> CheckAsync(string key)
    {
        using var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        using var response = await client.GetAsync($"/api/v1/pupils/{_pupil.Id}/consent");
        return response.StatusCode;
    }

    [Fact]
    public async Task AKeyRevokedOnThisInstance_Gets401OnTheNextCall()
    {
        var (id, key) = await CreateKeyAsync();
        Assert.Equal(HttpStatusCode.OK, await CheckAsync(key));

        var result = await _factory.Services.GetRequiredService<RevokeApiKey>().HandleAsync([AccessScope.Trust("staff:admin")], id);

        Assert.Equal(RevokeApiKey.Result.Revoked, result);
        Assert.Equal(HttpStatusCode.Unauthorized, await CheckAsync(key));
    }

    [Fact]
    public async Task AKeyRevokedOnAnotherInstance_Gets401WithinThirtySeconds()
    {
        var (id, key) = await CreateKeyAsync();
        Assert.Equal(HttpStatusCode.OK, await CheckAsync(key));

        // Another instance revokes it: this one hears nothing and still holds the row.
        await using (var db = _database.CreateDbContext())
            await db.ApiKeys.Where(k => k.Id == id).ExecuteUpdateAsync(u => u.SetProperty(k => k.RevokedAt, _clock.GetUtcNow()));
        _clock.Advance(ApiKeyCache.CacheFor - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, await CheckAsync(key));

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, await CheckAsync(key));
        Assert.True(ApiKeyCache.CacheFor <= TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task AnExpiredKey_Gets401_AndUseIsRecorded()
    {
        var (id, key) = await CreateKeyAsync(_clock.GetUtcNow().AddDays(1));
        Assert.Equal(HttpStatusCode.OK, await CheckAsync(key));
        await using (var db = _database.CreateDbContext())
        {
            var lastUsed = (await db.ApiKeys.SingleAsync(k => k.Id == id)).LastUsedAt;
            Assert.NotNull(lastUsed);
            Assert.True((_clock.GetUtcNow() - lastUsed.Value).Duration() < TimeSpan.FromMilliseconds(1));
        }

        _clock.Advance(TimeSpan.FromDays(1));

        Assert.Equal(HttpStatusCode.Unauthorized, await CheckAsync(key));
    }
}
