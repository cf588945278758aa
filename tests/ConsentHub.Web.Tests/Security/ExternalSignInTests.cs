using ConsentHub.Testing.Database;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Tests.Security;

/// <summary>OpenID Connect is switched on by settings alone, and is off without them.</summary>
public sealed class ExternalSignInTests : IAsyncLifetime, IDisposable
{
    private readonly DatabaseFixture _database = new();
    private ConsentHubWebFactory _withOidc = null!;
    private ConsentHubWebFactory _without = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _withOidc = new ConsentHubWebFactory(_database);
        _withOidc.Settings["StaffSignIn:OpenIdConnect:Authority"] = "https://login.example.test/tenant/v2.0";
        _withOidc.Settings["StaffSignIn:OpenIdConnect:ClientId"] = "consenthub-test";
        _withOidc.Settings["StaffSignIn:OpenIdConnect:DisplayName"] = "the Trust's Microsoft account";
        _without = new ConsentHubWebFactory(_database);
    }

    public async Task DisposeAsync()
    {
        await _withOidc.DisposeAsync();
        await _without.DisposeAsync();
        await _database.DisposeAsync();
    }

    public void Dispose()
    {
        _withOidc?.Dispose();
        _without?.Dispose();
    }

    [Fact]
    public async Task WithAuthorityAndClientId_TheSignInPageOffersIt()
    {
        using var client = StaffAccounts.Client(_withOidc);

        var page = await client.GetStringAsync("/account/sign-in");

        Assert.Contains("Sign in with the Trust&#x27;s Microsoft account", page, StringComparison.Ordinal);
        Assert.NotNull(await _withOidc.Services.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync("oidc"));
    }

    [Fact]
    public async Task WithoutSettings_ThereIsNoExternalSignIn()
    {
        using var client = StaffAccounts.Client(_without);

        var page = await client.GetStringAsync("/account/sign-in");
        using var start = await client.GetAsync("/account/external");

        Assert.DoesNotContain("Sign in with", page, StringComparison.Ordinal);
        Assert.Null(await _without.Services.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync("oidc"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, start.StatusCode);
    }
}
