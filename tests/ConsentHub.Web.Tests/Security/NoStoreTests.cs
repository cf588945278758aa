using System.Net;
using System.Net.Http.Json;
using ConsentHub.Access;
using ConsentHub.Api;
using ConsentHub.Pupils;
using ConsentHub.Testing.Builders;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Tests.Security;

/// <summary>
/// Every API answer and every CSV and PDF about pupils says Cache-Control: no-store, whatever the endpoint and
/// whatever the status: one mechanism as the response starts, so a new endpoint cannot forget it.
/// </summary>
public sealed class NoStoreTests(WebTestFixture fixture) : IClassFixture<WebTestFixture>, IAsyncLifetime
{
    private TestTrust _trust = null!;
    private Pupil _pupil = null!;
    private Contact _mum = null!;
    private string _key = "";
    private HttpClient _office = null!;

    public async Task InitializeAsync()
    {
        var create = fixture.Factory.Services.GetRequiredService<CreateApiKey>();
        await using (var db = fixture.Database.CreateDbContext())
        {
            _trust = await TestTrust.CreateAsync(db);
            (_pupil, _mum) = await TestTrust.AddPupilAsync(db, _trust.NorthAcademyId, 4, "4N", "Nora", "Nostore");
        }
        _key = (await create.HandleAsync(new CreateApiKey.Request("no-store test", _trust.NorthAcademyId, "test admin"))).PlainTextKey;
        var office = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.OfficeStaff, _trust.NorthAcademyId);
        _office = await StaffAccounts.SignedInClientAsync(fixture.Factory, office);
    }

    public Task DisposeAsync()
    {
        _office.Dispose();
        return Task.CompletedTask;
    }

    private HttpClient Api()
    {
        var client = fixture.Factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", _key);
        return client;
    }

    private static void AssertNoStore(HttpResponseMessage response, string what) =>
        Assert.True(response.Headers.CacheControl?.NoStore == true,
            $"{what} answered {(int)response.StatusCode} with Cache-Control '{response.Headers.CacheControl}', not no-store.");

    [Fact]
    public async Task EveryApiAnswer_SuccessOrProblem_IsNoStore()
    {
        using var api = Api();
        var gets = new[]
        {
            $"/api/v1/pupils/{_pupil.Id}/consent",
            $"/api/v1/pupils/{Guid.NewGuid()}/consent",
            $"/api/v1/pupils/{_pupil.Id}/consent?purpose=billboards",
            $"/api/v1/academies/{_trust.NorthAcademyId}/roster?class=4N",
            $"/api/v1/academies/{_trust.NorthAcademyId}/summary",
            "/api/v1/summary",
        };
        foreach (var url in gets)
        {
            using var response = await api.GetAsync(url);
            Assert.True((int)response.StatusCode < 500, $"{url} answered {(int)response.StatusCode}");
            AssertNoStore(response, url);
        }
        using var posted = await api.PostAsJsonAsync($"/api/v1/pupils/{_pupil.Id}/consent-answers", new
        {
            purpose = TestTrust.Social,
            party = "contact",
            contactId = _mum.Id,
            answer = "grant",
            method = "paper",
            attested = true,
            recordedBy = "Mrs Office",
        });
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        AssertNoStore(posted, "POST consent-answers");

        using var anonymous = fixture.Factory.CreateClient();
        using var unauthorised = await anonymous.GetAsync("/api/v1/summary");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorised.StatusCode);
        AssertNoStore(unauthorised, "401 from the API");
    }

    [Fact]
    public async Task TheOverviewCsv_AndThePrintedListPdfs_AreNoStore()
    {
        foreach (var url in new[]
        {
            "/overview/export.csv",
            $"/forms/do-not-feature.pdf?academy={_trust.NorthAcademyId}&group=4N&purpose={TestTrust.Social}",
            $"/forms/academy-summary.pdf?academy={_trust.NorthAcademyId}",
        })
        {
            using var response = await _office.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} answered {(int)response.StatusCode}");
            Assert.True(response.Content.Headers.ContentType?.MediaType is "text/csv" or "application/pdf", url);
            AssertNoStore(response, url);
        }
    }
}
