using System.Net;
using ConsentHub.Access;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Ordering;
using ConsentHub.Web.Tests.Infrastructure;

namespace ConsentHub.Web.Tests.Security;

/// <summary>Two app instances on one database share the Data Protection key ring: each accepts the other's cookies and tokens.</summary>
[LongRunning(15)]
public sealed class SharedKeyRingTests : IAsyncLifetime, IDisposable
{
    private readonly DatabaseFixture _database = new();
    private ConsentHubWebFactory _first = null!;
    private ConsentHubWebFactory _second = null!;
    private TestTrust _trust = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _first = new ConsentHubWebFactory(_database);
        _second = new ConsentHubWebFactory(_database);
        _ = _first.Services;
        await using var db = _database.CreateDbContext();
        _trust = await TestTrust.CreateAsync(db);
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await _database.DisposeAsync();
    }

    public void Dispose()
    {
        _first?.Dispose();
        _second?.Dispose();
    }

    private static string CookieHeader(HttpResponseMessage response) =>
        string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));

    [Fact]
    public async Task ASignInCookieFromOneHost_IsAcceptedByTheOther()
    {
        var user = await StaffAccounts.CreateAsync(_first.Services, StaffRoles.Headteacher, _trust.NorthAcademyId);
        using var onFirst = StaffAccounts.Client(_first);
        using var signIn = await StaffAccounts.PostSignInAsync(onFirst, user.Email!, StaffAccounts.Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var cookie = string.Join("; ", signIn.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith("__Host-ConsentHub=", StringComparison.Ordinal)).Select(c => c.Split(';')[0]));

        using var onSecond = StaffAccounts.Client(_second);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account");
        request.Headers.Add("Cookie", cookie);
        using var response = await onSecond.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Test Headteacher", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFormServedByOneHost_CanBePostedToTheOther()
    {
        var user = await StaffAccounts.CreateAsync(_first.Services, StaffRoles.Teacher, _trust.NorthAcademyId);
        using var onFirst = StaffAccounts.Client(_first);
        using var page = await onFirst.GetAsync("/account/sign-in");
        var antiforgeryCookie = CookieHeader(page);
        var form = await StaffAccounts.FormFieldsAsync(onFirst, "/account/sign-in");
        form["Input.Email"] = user.Email!;
        form["Input.Password"] = StaffAccounts.Password;

        using var onSecond = StaffAccounts.Client(_second);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/sign-in") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("Cookie", antiforgeryCookie);
        using var response = await onSecond.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }
}
