using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ConsentHub.Api;
using ConsentHub.Audit;
using ConsentHub.Pupils;
using ConsentHub.Testing.Builders;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Tests.Api;

/// <summary>The JSON API over HTTP on the real host and a real database: checks, scoping, answers, audit.</summary>
public sealed class ConsentApiTests(WebTestFixture fixture) : IClassFixture<WebTestFixture>, IAsyncLifetime
{
    private TestTrust _trust = null!;
    private Pupil _year3 = null!;
    private Contact _year3Mum = null!;
    private Pupil _year9 = null!;
    private Pupil _south = null!;
    private string _northKey = "";
    private string _trustKey = "";

    public async Task InitializeAsync()
    {
        // Start the host first, as in production: it seeds the reference purposes the trust builds on.
        var create = fixture.Factory.Services.GetRequiredService<CreateApiKey>();
        await using var db = fixture.Database.CreateDbContext();
        _trust = await TestTrust.CreateAsync(db);
        (_year3, _year3Mum) = await TestTrust.AddPupilAsync(db, _trust.NorthAcademyId, 3, "3A", "Zoë", "Ødegaard-Smith");
        (_year9, _) = await TestTrust.AddPupilAsync(db, _trust.NorthAcademyId, 9, "9B", "Tom", "Baker");
        (_south, _) = await TestTrust.AddPupilAsync(db, _trust.SouthAcademyId, 5, "5C", "Sam", "South");
        _northKey = (await create.HandleAsync(new CreateApiKey.Request("north office", _trust.NorthAcademyId, "test admin"))).PlainTextKey;
        _trustKey = (await create.HandleAsync(new CreateApiKey.Request("trust reporting", null, "test admin"))).PlainTextKey;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private HttpClient Client(string? key)
    {
        var client = fixture.Factory.CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static JsonElement Purpose(JsonElement pupil, string key) =>
        pupil.GetProperty("purposes").EnumerateArray().Single(p => p.GetProperty("purpose").GetString() == key);

    [Fact]
    public async Task WithoutAKey_Or_WithAWrongKey_Is401()
    {
        using var none = await Client(null).GetAsync($"/api/v1/pupils/{_year3.Id}/consent");
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        using var wrong = await Client(CreateApiKey.KeyPrefix + "deadbeef_" + new string('x', 43)).GetAsync($"/api/v1/pupils/{_year3.Id}/consent");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task NeverAsked_IsNotRequested_AndPublicTaskPurposeIsAllowed()
    {
        using var response = await Client(_northKey).GetAsync($"/api/v1/pupils/{_year9.Id}/consent");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json(response);
        Assert.Equal("Tom Baker", body.GetProperty("name").GetString());
        Assert.Equal("NotRequested", Purpose(body, TestTrust.Social).GetProperty("status").GetString());
        Assert.Equal("Allowed", Purpose(body, TestTrust.Displays).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AnAcademyKey_GuessingAnotherAcademysPupil_Gets404()
    {
        using var response = await Client(_northKey).GetAsync($"/api/v1/pupils/{_south.Id}/consent");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var roster = await Client(_northKey).GetAsync($"/api/v1/academies/{_trust.SouthAcademyId}/roster");
        Assert.Equal(HttpStatusCode.NotFound, roster.StatusCode);
        using var post = await Client(_northKey).PostAsJsonAsync($"/api/v1/pupils/{_south.Id}/consent-answers",
            new { purpose = TestTrust.Social, party = "pupil", answer = "grant", method = "paper", attested = true, recordedBy = "Mrs Office" });
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
    }

    [Fact]
    public async Task ATrustKey_SeesEveryAcademy()
    {
        using var response = await Client(_trustKey).GetAsync($"/api/v1/pupils/{_south.Id}/consent");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AnUnknownPurpose_Is400_NamingTheField()
    {
        using var response = await Client(_northKey).GetAsync($"/api/v1/pupils/{_year3.Id}/consent?purpose=billboards");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await Json(response);
        Assert.Contains("billboards", body.GetProperty("errors").GetProperty("purpose")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordingAPaperGrant_ThenAWithdrawal_ChangesTheCheckAtOnce()
    {
        var client = Client(_northKey);
        using var grant = await client.PostAsJsonAsync($"/api/v1/pupils/{_year3.Id}/consent-answers", new
        {
            purpose = TestTrust.Social,
            party = "contact",
            contactId = _year3Mum.Id,
            answer = "grant",
            method = "paper",
            attested = true,
            recordedBy = "Mrs Office",
            scanReference = "scan-0001",
        });
        Assert.Equal(HttpStatusCode.Created, grant.StatusCode);
        Assert.Equal("Allowed", (await Json(grant)).GetProperty("consent").GetProperty("status").GetString());

        var check = await Json(await client.GetAsync($"/api/v1/pupils/{_year3.Id}/consent?purpose={TestTrust.Social}"));
        var social = Purpose(check, TestTrust.Social);
        Assert.Equal("Allowed", social.GetProperty("status").GetString());
        Assert.StartsWith("Year 3 needs a parent. Mrs Jane Ødegaard-Smith agreed on", social.GetProperty("reason").GetString(), StringComparison.Ordinal);

        using var withdraw = await client.PostAsJsonAsync($"/api/v1/pupils/{_year3.Id}/consent-answers", new
        {
            purpose = TestTrust.Social,
            party = "contact",
            contactId = _year3Mum.Id,
            answer = "withdraw",
            method = "recordedByStaff",
            attested = true,
            recordedBy = "Mrs Office",
        });
        Assert.Equal(HttpStatusCode.Created, withdraw.StatusCode);
        var after = await Json(await client.GetAsync($"/api/v1/pupils/{_year3.Id}/consent?purpose={TestTrust.Social}"));
        Assert.Equal("NotAllowed", Purpose(after, TestTrust.Social).GetProperty("status").GetString());

        await using var db = fixture.Database.CreateDbContext();
        var methods = await db.ConsentAnswers.Where(a => a.PupilId == _year3.Id).OrderBy(a => a.Id).Select(a => a.Method).ToListAsync();
        Assert.Equal([ConsentHub.Consent.AnswerMethod.Paper, ConsentHub.Consent.AnswerMethod.RecordedByStaff], methods);
    }

    [Theory]
    [InlineData("attested", """{"purpose":"academy-social","party":"contact","answer":"grant","method":"paper","recordedBy":"Mrs Office"}""")]
    [InlineData("answer", """{"purpose":"academy-social","party":"contact","answer":"maybe","method":"paper","attested":true,"recordedBy":"Mrs Office"}""")]
    [InlineData("method", """{"purpose":"academy-social","party":"contact","answer":"grant","method":"online","attested":true,"recordedBy":"Mrs Office"}""")]
    [InlineData("party", """{"purpose":"academy-social","party":"pupil","answer":"grant","method":"paper","attested":true,"recordedBy":"Mrs Office"}""")]
    [InlineData("contactId", """{"purpose":"academy-social","party":"contact","answer":"grant","method":"paper","attested":true,"recordedBy":"Mrs Office"}""")]
    [InlineData("purpose", """{"purpose":"billboards","party":"contact","answer":"grant","method":"paper","attested":true,"recordedBy":"Mrs Office"}""")]
    [InlineData("recordedBy", """{"purpose":"academy-social","party":"pupil","answer":"grant","method":"paper","attested":true}""")]
    public async Task BadAnswers_Are400_NamingTheField_AndRecordNothing(string field, string json)
    {
        // A Year 3 pupil: the pupil is not asked, and the contact id is missing where a contact answers.
        int Answers()
        {
            using var db = fixture.Database.CreateDbContext();
            return db.ConsentAnswers.Count(a => a.PupilId == _year3.Id);
        }
        var before = Answers();
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await Client(_northKey).PostAsync($"/api/v1/pupils/{_year3.Id}/consent-answers", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Json(response)).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"No error for '{field}': {errors}");
        Assert.Equal(before, Answers());
    }

    private async Task<HttpResponseMessage> PostWithKeyAsync(string? idempotencyKey, object body)
    {
        var client = Client(_northKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/pupils/{_year9.Id}/consent-answers") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null) request.Headers.TryAddWithoutValidation(ConsentHub.Web.Api.ConsentApi.IdempotencyKeyHeader, idempotencyKey);
        return await client.SendAsync(request);
    }

    private int AnswersOfYear9()
    {
        using var db = fixture.Database.CreateDbContext();
        return db.ConsentAnswers.Count(a => a.PupilId == _year9.Id);
    }

    [Fact]
    public async Task ARetryWithTheSameIdempotencyKey_GetsTheFirstAnswerBack_AndRecordsNothingNew()
    {
        var key = Guid.NewGuid().ToString();
        var body = new { purpose = TestTrust.Social, party = "pupil", answer = "grant", method = "recordedByStaff", attested = true, recordedBy = "Mr Form Tutor" };

        using var first = await PostWithKeyAsync(key, body);
        using var retry = await PostWithKeyAsync(key, body);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal((await Json(first)).GetProperty("answerId").GetInt64(), (await Json(retry)).GetProperty("answerId").GetInt64());
        Assert.Equal(1, AnswersOfYear9());

        // The same key for a different answer is a client's mistake: refused, and the first answer stands.
        using var reused = await PostWithKeyAsync(key, body with { answer = "withdraw" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Contains("Idempotency-Key", (await Json(reused)).GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, AnswersOfYear9());
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("clé-é")]
    [InlineData("x256")]
    public async Task ABadIdempotencyKey_Is400_NamingTheHeader_AndRecordsNothing(string key)
    {
        if (key == "x256") key = new string('k', 256);
        var before = AnswersOfYear9();
        using var response = await PostWithKeyAsync(key,
            new { purpose = TestTrust.Social, party = "pupil", answer = "refuse", method = "recordedByStaff", attested = true, recordedBy = "Mr Form Tutor" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Json(response)).GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
        Assert.Equal(before, AnswersOfYear9());
    }

    [Fact]
    public async Task Roster_ForAClass_ListsOnlyThatClass()
    {
        var body = await Json(await Client(_northKey).GetAsync($"/api/v1/academies/{_trust.NorthAcademyId}/roster?class=9B"));
        Assert.Equal(1, body.GetProperty("count").GetInt32());
        Assert.Equal("Tom Baker", body.GetProperty("pupils")[0].GetProperty("name").GetString());

        using var bad = await Client(_northKey).GetAsync($"/api/v1/academies/{_trust.NorthAcademyId}/roster?year=Year%2015");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await Json(bad)).GetProperty("errors").TryGetProperty("year", out _));
    }

    [Fact]
    public async Task Summary_CountsPupilsByPurposeAndStatus()
    {
        var body = await Json(await Client(_northKey).GetAsync($"/api/v1/academies/{_trust.NorthAcademyId}/summary"));
        Assert.Equal(2, body.GetProperty("pupils").GetInt32());
        var displays = body.GetProperty("purposes").EnumerateArray().Single(p => p.GetProperty("purpose").GetString() == TestTrust.Displays);
        Assert.Equal(2, displays.GetProperty("counts").GetProperty("Allowed").GetInt32());
    }

    [Fact]
    public async Task ScopeSummary_ATrustKeySeesEveryAcademy_AnAcademyKeyOnlyItsOwn()
    {
        var trust = await Json(await Client(_trustKey).GetAsync("/api/v1/summary"));
        var names = trust.EnumerateArray().Select(a => a.GetProperty("academyName").GetString()).ToList();
        Assert.Contains("North Academy", names);
        Assert.Contains("South Academy", names);

        var north = await Json(await Client(_northKey).GetAsync("/api/v1/summary"));
        var only = Assert.Single(north.EnumerateArray());
        Assert.Equal(_trust.NorthAcademyId, only.GetProperty("academyId").GetGuid());
        Assert.Equal(2, only.GetProperty("pupils").GetInt32());
    }

    [Fact]
    public async Task EveryCheck_IsAudited_WithWhoAndWhichPupil()
    {
        using var response = await Client(_northKey).GetAsync($"/api/v1/pupils/{_year9.Id}/consent");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await fixture.Factory.Services.GetRequiredService<AuditReadWriter>().FlushAsync();

        await using var db = fixture.Database.CreateDbContext();
        var entry = await db.AuditEntries.SingleAsync(e => e.PupilId == _year9.Id && e.Action == "consent.checked");
        Assert.StartsWith("api-key:", entry.Actor, StringComparison.Ordinal);
        Assert.Equal(_trust.NorthAcademyId, entry.ChainId);
    }

    [Fact]
    public async Task ARecordedAnswer_IsInTheAcademysAuditChain_AndTheChainVerifies()
    {
        using var post = await Client(_northKey).PostAsJsonAsync($"/api/v1/pupils/{_year9.Id}/consent-answers", new
        {
            purpose = TestTrust.Social,
            party = "pupil",
            answer = "refuse",
            method = "recordedByStaff",
            attested = true,
            recordedBy = "Mr Tutor",
        });
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        await fixture.Factory.Services.GetRequiredService<AuditReadWriter>().FlushAsync();

        await using var db = fixture.Database.CreateDbContext();
        var entry = await db.AuditEntries.SingleAsync(e => e.PupilId == _year9.Id && e.Action == "consent.answer-recorded");
        Assert.Equal(_trust.NorthAcademyId, entry.ChainId);
        Assert.Contains("Mr Tutor", entry.Actor, StringComparison.Ordinal);
        var verify = fixture.Factory.Services.GetRequiredService<VerifyAuditChain>();
        var result = Assert.Single(await verify.HandleAsync(new VerifyAuditChain.Request(_trust.NorthAcademyId)));
        Assert.True(result.IsValid, result.FirstBrokenLink?.Detail);
        Assert.True(result.EntriesChecked >= 2);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheEndpoints()
    {
        var body = await Json(await Client(null).GetAsync("/openapi/v1.json"));
        var paths = body.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/pupils/{pupilId}/consent", out _));
        Assert.True(paths.TryGetProperty("/api/v1/pupils/{pupilId}/consent-answers", out _));
        Assert.True(paths.TryGetProperty("/api/v1/academies/{academyId}/roster", out _));
    }
}
