using System.Net;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using ConsentHub.Access;
using ConsentHub.Api;
using ConsentHub.Consent;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Ordering;
using ConsentHub.Testing.Smtp;
using ConsentHub.Web.Tests.Infrastructure;
using ConsentHub.Web.Tests.Signing;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ConsentHub.Web.Tests.Security;

/// <summary>A host with the signing pages' rate limits out of the way, a trust, a parent's open request, an API key and a trust admin.</summary>
public sealed class BadInputFixture : IAsyncLifetime
{
    public DatabaseFixture Database { get; } = new();
    public SmtpSink Smtp { get; } = SmtpSink.Start();
    public ConsentHubWebFactory Factory { get; private set; } = null!;
    public TestTrust Trust { get; private set; } = null!;
    public ConsentHub.Pupils.Pupil Pupil { get; private set; } = null!;
    public IssuedRequest Request { get; private set; } = null!;
    public string ApiKey { get; private set; } = "";
    public HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Factory = SigningFixture.CreateFactory(Database, Smtp, new FakeTimeProvider(DateTimeOffset.UtcNow), null, perIp: 100_000, perToken: 10_000);
        var create = Factory.Services.GetRequiredService<CreateApiKey>();
        await using (var db = Database.CreateDbContext())
        {
            Trust = await TestTrust.CreateAsync(db);
            (Pupil, var mum) = await TestTrust.AddPupilAsync(db, Trust.NorthAcademyId, 4, "4N", "Nia", "Nul");
            Request = await TestRequests.IssueAsync(db, Pupil, mum);
        }
        ApiKey = (await create.HandleAsync(new CreateApiKey.Request("fuzz", null, "test admin"))).PlainTextKey;
        var admin = await StaffAccounts.CreateAsync(Factory.Services, StaffRoles.TrustAdmin);
        Admin = await StaffAccounts.SignedInClientAsync(Factory, admin);
    }

    public HttpClient Api()
    {
        var client = Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        await Factory.DisposeAsync();
        await Smtp.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>
/// Bad input gets a clear 400 or 413 (on the signing pages in the signer's language), records nothing, and never a
/// 500: NUL bytes, lone surrogates, overlong and oversized values, too many fields, in every form and query
/// parameter of every route the host maps.
/// </summary>
[LongRunning(27)]
public sealed partial class BadInputTests(BadInputFixture fixture) : IClassFixture<BadInputFixture>
{
    private async Task<int> AnswerCountAsync()
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.ConsentAnswers.CountAsync(a => a.PupilId == fixture.Pupil.Id);
    }

    [Fact]
    public async Task ANulInAnySigningFormField_IsA400PageInTheSignersLanguage_AndRecordsNothing()
    {
        var link = "/s/" + fixture.Request.Token;
        using var browser = new SigningBrowser(fixture.Factory);
        await browser.GetAsync(link + "?lang=pl");
        var dob = await browser.PostAsync(link + "/dob?lang=pl", ("day", "1\0"), ("month", "3"), ("year", "2017"));
        Assert.Equal(HttpStatusCode.BadRequest, dob.Status);
        Assert.Contains("Nie udało się odczytać formularza", dob.Text, StringComparison.Ordinal);
        Assert.Contains("lang=\"pl\"", dob.Html, StringComparison.Ordinal);

        await browser.GetAsync(link);
        var confirmed = await browser.PostAsync(link + "/dob", SigningTestData.Dob(fixture.Pupil.DateOfBirth));
        Assert.Equal(HttpStatusCode.SeeOther, confirmed.Status);
        await browser.GetAsync(confirmed.Location!);
        List<(string, string)> answers;
        await using (var db = fixture.Database.CreateDbContext())
            answers = await SigningTestData.AnswersAsync(db, fixture.Trust.FormVersionId, Audience.Parent, TestTrust.Social);
        var formHtml = browser.LastHtml;
        foreach (var field in new[] { "signature-name", "responsibility", answers[0].Item1 })
        {
            var fields = new Dictionary<string, string>(answers.Select(a => new KeyValuePair<string, string>(a.Item1, a.Item2)))
            {
                ["responsibility"] = "yes",
                ["signature-name"] = "Nora Nul",
            };
            fields[field] += "\0";
            var posted = await browser.PostFromAsync(formHtml, link, fields);
            Assert.Equal(HttpStatusCode.BadRequest, posted.Status);
            Assert.Contains("Something in the form could not be read", posted.Text, StringComparison.Ordinal);
        }
        Assert.Equal(0, await AnswerCountAsync());

        using var lost = new SigningBrowser(fixture.Factory);
        await lost.GetAsync("/sign/lost");
        Assert.Equal(HttpStatusCode.BadRequest, (await lost.PostAsync("/sign/lost", ("email", "a\0@example.org"))).Status);
        await lost.GetAsync("/sign");
        Assert.Equal(HttpStatusCode.BadRequest, (await lost.PostAsync("/sign", ("code", "ACDE\0FG23"), ("day", "1"), ("month", "1"), ("year", "2017"))).Status);
    }

    [Fact]
    public async Task AFormOver4MB_IsA413Page_AndOver1024Fields_IsA400Page_OnTheSigningPages()
    {
        var link = "/s/" + fixture.Request.Token;
        using var browser = new SigningBrowser(fixture.Factory);
        var page = await browser.GetAsync(link + "?lang=pl");
        var hidden = SigningBrowser.HiddenFields(page.Html);

        var big = new Dictionary<string, string>(hidden) { ["day"] = new string('1', 4 * 1024 * 1024 + 10), ["month"] = "3", ["year"] = "2017" };
        using var bigResponse = await browser.Client.PostAsync(link + "/dob?lang=pl", new FormUrlEncodedContent(big));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, bigResponse.StatusCode);
        Assert.Contains("Przesłano za dużo danych", WebUtility.HtmlDecode(await bigResponse.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        var many = new Dictionary<string, string>(hidden);
        for (var i = 0; i < 1_100; i++) many["f" + i] = "x";
        using var manyResponse = await browser.Client.PostAsync(link + "/dob", new FormUrlEncodedContent(many));
        Assert.Equal(HttpStatusCode.BadRequest, manyResponse.StatusCode);
        Assert.Contains("could not be read", WebUtility.HtmlDecode(await manyResponse.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(0, await AnswerCountAsync());
    }

    [Fact]
    public async Task ANulInTheRosterClass_TheListGroup_OrTheJsonImport_IsA400ThatSaysSo()
    {
        using var api = fixture.Api();
        using var roster = await api.GetAsync($"/api/v1/academies/{fixture.Trust.NorthAcademyId}/roster?class=%00");
        Assert.Equal(HttpStatusCode.BadRequest, roster.StatusCode);
        Assert.Equal("application/problem+json", roster.Content.Headers.ContentType?.MediaType);

        using var list = await fixture.Admin.GetAsync($"/forms/do-not-feature.pdf?academy={fixture.Trust.NorthAcademyId}&group=%00&purpose={TestTrust.Social}");
        Assert.Equal(HttpStatusCode.BadRequest, list.StatusCode);

        var json = """
            {"pupils":[{"misId":"N1","legalFirstName":"Ne\u0000ll","legalLastName":"Nul","dateOfBirth":"2017-03-14","yearGroup":"4","registrationGroup":"4N","contacts":[]}]}
            """;
        using var import = await api.PostAsync($"/api/v1/academies/{fixture.Trust.NorthAcademyId}/pupil-imports?dryRun=false",
            new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, import.StatusCode);
        Assert.Contains("NUL", await import.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = fixture.Database.CreateDbContext();
        Assert.False(await db.Pupils.AnyAsync(p => p.MisId == "N1"));
    }

    // ---- the fuzz ----

    /// <summary>What is thrown at every parameter, as it goes on the wire (already percent-encoded).</summary>
    private static readonly (string Name, string Encoded)[] Values =
    [
        ("NUL", "a%00b"),
        ("lone surrogate", "%ED%A0%80x"),
        ("overlong NUL", "%C0%80"),
        ("overlong", new string('9', 5_000)),
        ("oversized", "%F0%9F%98%80" + new string('x', 200_000)),
        ("control characters", "%01%02%1B%7F"),
    ];

    /// <summary>Names tried on every route besides its own: what pages commonly read straight from the query.</summary>
    private static readonly string[] AlwaysTried = ["lang", "returnUrl", "academy"];

    private static readonly string[] Skipped = ["/account/sign-out", "/account/external", "/_blazor", "/_framework", "/hangfire", "/health", "/openapi"];

    [Fact]
    public async Task Fuzz_EveryQueryAndFormParameter_OfEveryRoute_NeverGetsA5xx()
    {
        var failures = new List<string>();
        var requests = 0;
        var endpoints = Endpoints();
        Assert.True(endpoints.Count > 40, $"only {endpoints.Count} endpoints found");

        foreach (var (pattern, methods, names) in endpoints)
        {
            var client = ClientFor(pattern);
            foreach (var (valueName, value) in Values)
            {
                // Route values that are free text (a link's token) get the value too.
                foreach (var path in Paths(pattern, value))
                {
                    if (methods.Contains("GET"))
                    {
                        foreach (var name in names.Concat(AlwaysTried).Distinct())
                        {
                            requests++;
                            using var response = await client.GetAsync($"{path}?{name}={value}");
                            if ((int)response.StatusCode >= 500) failures.Add($"GET {path}?{name}=<{valueName}>: {(int)response.StatusCode}");
                        }
                    }
                    if (methods.Contains("POST"))
                    {
                        // A real form: the fields and antiforgery token of the page itself, each field in turn spoiled.
                        var (fields, ok) = await FormOfAsync(client, path);
                        foreach (var field in fields.Keys.Where(k => !k.Contains("RequestVerificationToken", StringComparison.Ordinal) && !k.StartsWith("__", StringComparison.Ordinal)).DefaultIfEmpty("field"))
                        {
                            var body = string.Join("&", fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + (f.Key == field ? value : Uri.EscapeDataString(f.Value))));
                            if (!fields.ContainsKey(field)) body += "&" + field + "=" + value;
                            requests++;
                            using var response = await client.PostAsync(path, new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded"));
                            if ((int)response.StatusCode >= 500) failures.Add($"POST {path} {field}=<{valueName}> (form {(ok ? "from the page" : "made up")}): {(int)response.StatusCode}");
                        }
                    }
                }
            }
        }
        Assert.True(requests > 500, $"only {requests} requests made");
        Assert.True(failures.Count == 0, $"{failures.Count} of {requests} requests got a 5xx:\n" + string.Join("\n", failures.Take(60)));
    }

    private HttpClient ClientFor(string pattern) =>
        pattern.StartsWith("/api", StringComparison.Ordinal) ? fixture.Api()
        : pattern.StartsWith("/s/", StringComparison.Ordinal) || pattern.StartsWith("/sign", StringComparison.Ordinal) || pattern.StartsWith("/account", StringComparison.Ordinal)
            ? new SigningBrowser(fixture.Factory).Client
            : fixture.Admin;

    private IEnumerable<string> Paths(string pattern, string value)
    {
        var filled = pattern
            .Replace("{PupilId:guid}", fixture.Pupil.Id.ToString(), StringComparison.Ordinal)
            .Replace("{pupilId:guid}", fixture.Pupil.Id.ToString(), StringComparison.Ordinal)
            .Replace("{academyId:guid}", fixture.Trust.NorthAcademyId.ToString(), StringComparison.Ordinal)
            .Replace("{requestId:guid}", fixture.Request.Id.ToString(), StringComparison.Ordinal);
        filled = GuidParameter().Replace(filled, Guid.NewGuid().ToString());
        if (filled.Contains("{token}", StringComparison.Ordinal))
        {
            yield return filled.Replace("{token}", fixture.Request.Token, StringComparison.Ordinal);
            // A NUL in the path never reaches the app: the server (and the test client) refuse it first.
            if (!value.Contains("%00", StringComparison.Ordinal)) yield return filled.Replace("{token}", value, StringComparison.Ordinal);
        }
        else
        {
            yield return CatchAll().Replace(filled, "");
        }
    }

    [GeneratedRegex(@"\{[A-Za-z]+:guid\}")]
    private static partial Regex GuidParameter();

    [GeneratedRegex(@"\{\*\*?[A-Za-z]+\}")]
    private static partial Regex CatchAll();

    [GeneratedRegex("""<(?:input|select|textarea)[^>]*\sname="(?<name>[^"]+)"(?:[^>]*\svalue="(?<value>[^"]*)")?""")]
    private static partial Regex FormField();

    private static async Task<(Dictionary<string, string> Fields, bool FromPage)> FormOfAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in FormField().Matches(html))
            fields[WebUtility.HtmlDecode(m.Groups["name"].Value)] = WebUtility.HtmlDecode(m.Groups["value"].Value);
        return (fields, fields.Count > 0);
    }

    /// <summary>Every route the host maps, with its methods and the query and form parameter names its handler or page binds.</summary>
    private List<(string Pattern, HashSet<string> Methods, List<string> Names)> Endpoints()
    {
        var found = new Dictionary<string, (HashSet<string> Methods, List<string> Names)>(StringComparer.Ordinal);
        foreach (var source in fixture.Factory.Services.GetServices<EndpointDataSource>())
        {
            foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
            {
                var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
                if (Skipped.Any(s => pattern.StartsWith(s, StringComparison.Ordinal)) || pattern.Contains('.', StringComparison.Ordinal) && !pattern.EndsWith(".pdf", StringComparison.Ordinal) && !pattern.EndsWith(".csv", StringComparison.Ordinal))
                    continue;
                var page = endpoint.Metadata.GetMetadata<ComponentTypeMetadata>()?.Type;
                var methods = page is not null ? ["GET", "POST"] : endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
                var names = new List<string>();
                if (page is not null)
                {
                    foreach (var p in page.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
                        if (p.GetCustomAttribute<SupplyParameterFromQueryAttribute>() is { } q) names.Add(q.Name ?? p.Name);
                }
                else if (endpoint.Metadata.GetMetadata<MethodInfo>() is { } method)
                {
                    foreach (var p in method.GetParameters())
                    {
                        var type = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
                        if (p.GetCustomAttribute<FromQueryAttribute>() is { } q) names.Add(q.Name ?? p.Name!);
                        else if ((type == typeof(string) || type == typeof(string[]) || type.IsPrimitive || type == typeof(Guid)) && !pattern.Contains("{" + p.Name, StringComparison.OrdinalIgnoreCase))
                            names.Add(p.Name!);
                    }
                }
                if (!found.TryGetValue(pattern, out var entry)) found[pattern] = entry = (new HashSet<string>(StringComparer.Ordinal), []);
                entry.Methods.UnionWith(methods.Where(m => m is "GET" or "POST"));
                entry.Names.AddRange(names);
            }
        }
        return [.. found.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => (f.Key, f.Value.Methods, f.Value.Names.Distinct().ToList()))];
    }
}
