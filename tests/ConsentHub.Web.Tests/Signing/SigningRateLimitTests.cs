using System.Net;
using ConsentHub.Requests;

namespace ConsentHub.Web.Tests.Signing;

/// <summary>The shipped limits (20 a minute per link, 60 per address): a burst gets 429 and a friendly page.</summary>
[Collection(SigningHost.Name)]
public sealed class SigningRateLimitTests(SigningFixture fixture)
{
    [Fact]
    public async Task ABurstOnOneLink_Gets429_WhileOtherLinksStillOpen()
    {
        using var browser = new SigningBrowser(fixture.Factory);
        var token = SigningSecrets.NewToken();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 21; i++) statuses.Add((await browser.GetAsync("/s/" + token)).Status);
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.NotFound, 20), statuses.Take(20));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[20]);

        var limited = await browser.GetAsync("/s/" + token);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Contains("Too many tries", limited.Text, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\"", limited.Html, StringComparison.Ordinal);
        Assert.Contains("no-store", limited.CacheControl, StringComparison.Ordinal);

        // The same link from another address is still limited (per token); another link is not.
        using var elsewhere = new SigningBrowser(fixture.Factory);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await elsewhere.GetAsync("/s/" + token)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await elsewhere.GetAsync("/s/" + SigningSecrets.NewToken())).Status);
    }

    [Fact]
    public async Task ABurstFromOneAddress_Gets429_AcrossLinks_ButNotForOtherAddressesOrStaffPages()
    {
        using var browser = new SigningBrowser(fixture.Factory);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 61; i++) statuses.Add((await browser.GetAsync(i % 2 == 0 ? "/sign" : "/s/" + SigningSecrets.NewToken())).Status);
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.Take(60));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[60]);

        using var neighbour = new SigningBrowser(fixture.Factory);
        Assert.Equal(HttpStatusCode.OK, (await neighbour.GetAsync("/sign")).Status);
        // Staff pages and the API are not limited by this.
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await browser.Client.GetAsync("/health")).StatusCode);
    }
}
