using System.Net;
using ConsentHub.Requests;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Smtp;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace ConsentHub.Web.Tests.Signing;

/// <summary>A host with low limits: a burst on one link, or from one address, gets 429 and a friendly page.</summary>
public sealed class SigningRateLimitTests : IAsyncLifetime
{
    private readonly DatabaseFixture _database = new();
    private readonly SmtpSink _smtp = SmtpSink.Start();
    private ConsentHubWebFactory _factory = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _factory = SigningFixture.CreateFactory(_database, _smtp, new FakeTimeProvider(DateTimeOffset.UtcNow), null, perIp: 12, perToken: 5);
        _ = _factory.Services;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _smtp.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task ABurstOnOneLink_Gets429_ThenABurstFromOneAddress_Too()
    {
        using var browser = new SigningBrowser(_factory);
        var token = SigningSecrets.NewToken();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++) statuses.Add((await browser.GetAsync("/s/" + token)).Status);
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.NotFound, 5), statuses.Take(5));
        var limited = await browser.GetAsync("/s/" + token);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Contains("Too many tries", limited.Text, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\"", limited.Html, StringComparison.Ordinal);
        Assert.Contains("no-store", limited.CacheControl, StringComparison.Ordinal);

        // Other links from the same address still work until the per-address limit (12 a minute) is reached.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/sign")).Status);
        var more = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++) more.Add((await browser.GetAsync("/sign/lost")).Status);
        Assert.Contains(HttpStatusCode.TooManyRequests, more);

        // Staff pages and the API are not limited by this.
        using var client = _factory.CreateClient();
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await client.GetAsync("/health")).StatusCode);
    }
}
