using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ConsentHub.Api;
using ConsentHub.Pupils;
using ConsentHub.Testing.Builders;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Tests.Api;

/// <summary>
/// Issue 16: <c>lastChangedAt</c> is when the decision last changed, not the latest answer's own date, and tools that
/// sync page through <c>/changes?since=</c>.
/// </summary>
public sealed class ConsentChangesApiTests(WebTestFixture fixture) : IClassFixture<WebTestFixture>, IAsyncLifetime
{
    private TestTrust _trust = null!;
    private readonly List<Pupil> _north = [];
    private Contact _firstMum = null!;
    private string _northKey = "";
    private string _southKey = "";

    public async Task InitializeAsync()
    {
        var create = fixture.Factory.Services.GetRequiredService<CreateApiKey>();
        await using var db = fixture.Database.CreateDbContext();
        _trust = await TestTrust.CreateAsync(db);
        foreach (var name in new[] { "Ada", "Ben", "Cai", "Dev" })
        {
            var (pupil, mum) = await TestTrust.AddPupilAsync(db, _trust.NorthAcademyId, 3, "3A", name, "Łukasiewicz");
            _north.Add(pupil);
            if (_north.Count == 1) _firstMum = mum;
        }
        _northKey = (await create.HandleAsync(new CreateApiKey.Request("north sync", _trust.NorthAcademyId, "test admin"))).PlainTextKey;
        _southKey = (await create.HandleAsync(new CreateApiKey.Request("south sync", _trust.SouthAcademyId, "test admin"))).PlainTextKey;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private HttpClient Client(string key)
    {
        var client = fixture.Factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static JsonElement Social(JsonElement pupil) =>
        pupil.GetProperty("purposes").EnumerateArray().Single(p => p.GetProperty("purpose").GetString() == TestTrust.Social);

    private async Task<DateTimeOffset> DatabaseNowAsync()
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.Database.SqlQuery<DateTimeOffset>($"SELECT clock_timestamp() AS \"Value\"").SingleAsync();
    }

    [Fact]
    public async Task APaperWithdrawalDatedTwoDaysBack_ShowsTheTimeItWasRecorded_AndItsOwnDateUnderParties()
    {
        var client = Client(_northKey);
        var before = await DatabaseNowAsync();
        var stated = before.AddDays(-2);
        using var post = await client.PostAsJsonAsync($"/api/v1/pupils/{_north[0].Id}/consent-answers", new
        {
            purpose = TestTrust.Social,
            party = "contact",
            contactId = _firstMum.Id,
            answer = "withdraw",
            method = "paper",
            attested = true,
            recordedBy = "Mrs Office",
            at = stated,
        });
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);

        var social = Social(await Json(await client.GetAsync($"/api/v1/pupils/{_north[0].Id}/consent")));

        Assert.Equal("NotAllowed", social.GetProperty("status").GetString());
        Assert.True(social.GetProperty("lastChangedAt").GetDateTimeOffset() >= before, "lastChangedAt is when the decision changed, not the answer's date");
        var party = social.GetProperty("parties").EnumerateArray().Single();
        Assert.Equal(stated.ToUnixTimeMilliseconds(), party.GetProperty("answeredAt").GetDateTimeOffset().ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task ChangesSince_ListsOnlyPupilsWhoseDecisionsChanged_APageAtATime_WithoutRepeats()
    {
        var client = Client(_northKey);
        var since = await DatabaseNowAsync();
        await using (var db = fixture.Database.CreateDbContext())
        {
            // A year change and a safeguarding-free class move: no answer, yet the decision (who must answer) changed.
            await db.Pupils.Where(p => p.Id == _north[1].Id).ExecuteUpdateAsync(u => u.SetProperty(p => p.YearGroup, 7).SetProperty(p => p.RegistrationGroup, "7A"));
            await db.Pupils.Where(p => p.Id == _north[3].Id).ExecuteUpdateAsync(u => u.SetProperty(p => p.YearGroup, 7).SetProperty(p => p.RegistrationGroup, "7B"));
        }

        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var url = $"/api/v1/academies/{_trust.NorthAcademyId}/changes?since={Uri.EscapeDataString(since.ToString("O"))}&limit=1" + (cursor is null ? "" : $"&cursor={cursor}");
            using var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await Json(response);
            foreach (var item in body.GetProperty("pupils").EnumerateArray())
            {
                seen.Add(item.GetProperty("consent").GetProperty("pupilId").GetGuid());
                Assert.True(item.GetProperty("changedAt").GetDateTimeOffset() > since);
            }
            cursor = body.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(new[] { _north[1].Id, _north[3].Id }.Order(), seen.Order());
        Assert.Equal(2, pages);
    }

    [Fact]
    public async Task ChangesWithoutSince_IsTheWholeAcademy_AndAnotherAcademysKeyGets404()
    {
        using var all = await Client(_northKey).GetAsync($"/api/v1/academies/{_trust.NorthAcademyId}/changes");
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.Equal(_north.Count, (await Json(all)).GetProperty("count").GetInt32());

        using var other = await Client(_southKey).GetAsync($"/api/v1/academies/{_trust.NorthAcademyId}/changes");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Theory]
    [InlineData("since=yesterday", "since")]
    [InlineData("since=2026-13-01T00:00:00Z", "since")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=100000", "limit")]
    public async Task BadQuery_Is400_NamingTheParameter(string query, string field)
    {
        using var response = await Client(_northKey).GetAsync($"/api/v1/academies/{_trust.NorthAcademyId}/changes?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Json(response)).GetProperty("errors").TryGetProperty(field, out _));
    }
}
