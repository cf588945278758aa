using ConsentHub.Web.Tests.Infrastructure;

namespace ConsentHub.Web.Tests.Security;

public sealed class SecurityHeadersTests(WebTestFixture fixture) : IClassFixture<WebTestFixture>
{
    [Theory]
    [InlineData("/")] // a page
    [InlineData("/account/sign-in")] // a form
    [InlineData("/app.css")] // a static file
    [InlineData("/no-such-page")] // the not-found page
    [InlineData("/api/v1/summary")] // the API, refused without a key
    [InlineData("/staff")] // a redirect to sign in
    public async Task EveryResponse_CarriesTheSecurityHeaders(string path)
    {
        using var client = StaffAccounts.Client(fixture.Factory);

        using var response = await client.GetAsync(path);

        var csp = string.Join(",", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("wss://localhost", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.StartsWith("max-age=", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hsts_IsNotSentOverPlainHttp()
    {
        using var client = fixture.Factory.CreateClient();

        using var response = await client.GetAsync("/");

        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        Assert.True(response.Headers.Contains("Content-Security-Policy"));
    }
}
