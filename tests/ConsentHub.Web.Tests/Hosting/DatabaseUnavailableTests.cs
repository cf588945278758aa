using System.Net;
using System.Text.Json;
using ConsentHub.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Npgsql;

namespace ConsentHub.Web.Tests.Hosting;

/// <summary>
/// A database that cannot be reached (a real Npgsql connection to a port where nothing listens) is a 503 with
/// Retry-After, as problem details on the API and as a short page elsewhere; an error the database itself returned
/// is left alone.
/// </summary>
public sealed class DatabaseUnavailableTests
{
    private static async Task<Exception> UnreachableAsync()
    {
        await using var source = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Database=consenthub;Username=consenthub;Timeout=2");
        try
        {
            await using var connection = await source.OpenConnectionAsync();
        }
        catch (NpgsqlException e)
        {
            return e;
        }
        throw new InvalidOperationException("Something answered on port 1.");
    }

    private static IResult Throw(Exception e) => throw e;

    private static async Task<WebApplication> AppAsync(Exception thrown)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        var app = builder.Build();
        app.UseConsentHubDatabaseUnavailable();
        app.MapGet("/api/v1/pupils/{id}/consent", (string id) => Throw(thrown));
        app.MapGet("/checks", () => Throw(thrown));
        await app.StartAsync();
        return app;
    }

    [Fact]
    public async Task TheApi_WhenTheDatabaseCannotBeReached_Is503_WithRetryAfter_AsProblemDetails()
    {
        await using var app = await AppAsync(await UnreachableAsync());
        using var response = await app.GetTestClient().GetAsync("/api/v1/pupils/1/consent");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(DatabaseUnavailable.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("try again in a few seconds", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APage_WhenTheDatabaseCannotBeReached_Is503_SayingToTryAgain()
    {
        await using var app = await AppAsync(await UnreachableAsync());
        using var response = await app.GetTestClient().GetAsync("/checks");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("<h1>Try again in a moment</h1>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnErrorTheDatabaseReturned_IsNotMistakenForAnOutage()
    {
        var returned = new PostgresException("duplicate key value violates unique constraint", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation);
        Assert.False(DatabaseUnavailable.IsUnreachable(returned));
        await using var app = await AppAsync(returned);
        await Assert.ThrowsAsync<PostgresException>(() => app.GetTestClient().GetAsync("/checks"));
    }
}
