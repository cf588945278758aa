using System.Net;
using ConsentHub.Access;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Web.Tests.Infrastructure;

namespace ConsentHub.Web.Tests.Security;

/// <summary>Sign-in attempts per address are limited (here to 3 a minute), with a friendly 429 page, so nobody can lock staff out in bulk.</summary>
public sealed class SignInRateLimitTests : IAsyncLifetime, IDisposable
{
    private readonly DatabaseFixture _database = new();
    private ConsentHubWebFactory _factory = null!;
    private TestTrust _trust = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _factory = new ConsentHubWebFactory(_database);
        _factory.Settings["StaffSignIn:SignInAttemptsPerIpPerMinute"] = "3";
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
    public async Task AttemptsPastTheLimitFromOneAddress_Get429WithAFriendlyPage_AndDoNotCountTowardsLockout()
    {
        var user = await StaffAccounts.CreateAsync(_factory.Services, StaffRoles.Teacher, _trust.NorthAcademyId);
        using var client = StaffAccounts.Client(_factory);

        for (var i = 0; i < 3; i++)
        {
            using var wrong = await StaffAccounts.PostSignInAsync(client, user.Email!, $"wrong password number {i}");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }
        using var fourth = await StaffAccounts.PostSignInAsync(client, user.Email!, "wrong password number 4");
        using var fifth = await StaffAccounts.PostSignInAsync(client, user.Email!, "wrong password number 5");

        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
        Assert.Equal("60", fourth.Headers.RetryAfter?.ToString());
        var page = await fourth.Content.ReadAsStringAsync();
        Assert.Contains("Too many sign-in attempts", page, StringComparison.Ordinal);
        Assert.Contains("Wait a minute", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, fifth.StatusCode);

        // Refused before the password was tried: the account took three failures, not five, so it is not locked.
        await using var db = _database.CreateDbContext();
        var stored = db.Users.Single(u => u.Id == user.Id);
        Assert.Equal(3, stored.AccessFailedCount);
        Assert.Null(stored.LockoutEnd);
    }
}
