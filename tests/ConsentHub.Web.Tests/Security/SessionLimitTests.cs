using System.Net;
using ConsentHub.Access;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ConsentHub.Web.Tests.Security;

/// <summary>Idle timeout (30 minutes, sliding) and absolute limit (10 hours), on a host with a clock the test moves.</summary>
public sealed class SessionLimitTests : IAsyncLifetime, IDisposable
{
    private readonly DatabaseFixture _database = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private ConsentHubWebFactory _factory = null!;
    private TestTrust _trust = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _factory = new ConsentHubWebFactory(_database) { TestServices = s => s.AddSingleton<TimeProvider>(_clock) };
        _ = _factory.Services;
        await using var db = _database.CreateDbContext();
        _trust = await TestTrust.CreateAsync(db);
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    public void Dispose() => _factory?.Dispose();

    [Fact]
    public async Task ThirtyOneMinutesWithoutARequest_SignsOut()
    {
        var user = await StaffAccounts.CreateAsync(_factory.Services, StaffRoles.Teacher, _trust.NorthAcademyId);
        using var client = await StaffAccounts.SignedInClientAsync(_factory, user);
        _clock.Advance(TimeSpan.FromMinutes(29));
        using (var stillIn = await client.GetAsync("/account"))
            Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);

        _clock.Advance(TimeSpan.FromMinutes(31));
        using var response = await client.GetAsync("/account");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/sign-in", response.Headers.Location?.AbsolutePath);
    }

    [Fact]
    public async Task StayingActive_KeepsTheSessionOnlyUntilTenHoursAfterSigningIn()
    {
        var user = await StaffAccounts.CreateAsync(_factory.Services, StaffRoles.Teacher, _trust.NorthAcademyId);
        using var client = await StaffAccounts.SignedInClientAsync(_factory, user);

        for (var elapsed = TimeSpan.FromMinutes(15); elapsed <= TimeSpan.FromHours(10); elapsed += TimeSpan.FromMinutes(15))
        {
            _clock.Advance(TimeSpan.FromMinutes(15));
            using var active = await client.GetAsync("/account");
            Assert.True(active.StatusCode == HttpStatusCode.OK, $"Signed out after {elapsed} of activity.");
        }
        _clock.Advance(TimeSpan.FromMinutes(15));
        using var response = await client.GetAsync("/account");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/sign-in", response.Headers.Location?.AbsolutePath);
    }
}
