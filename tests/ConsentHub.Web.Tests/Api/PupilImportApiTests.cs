using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ConsentHub.Api;
using ConsentHub.Testing.Builders;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Tests.Api;

/// <summary>The MIS import over HTTP: JSON and CSV bodies, dry run by default, scoping, and bad input answered with 400.</summary>
public sealed class PupilImportApiTests(WebTestFixture fixture) : IClassFixture<WebTestFixture>, IAsyncLifetime
{
    private TestTrust _trust = null!;
    private string _northKey = "";

    public async Task InitializeAsync()
    {
        var create = fixture.Factory.Services.GetRequiredService<CreateApiKey>();
        await using var db = fixture.Database.CreateDbContext();
        _trust = await TestTrust.CreateAsync(db);
        _northKey = (await create.HandleAsync(new CreateApiKey.Request("north mis sync", _trust.NorthAcademyId, "test admin"))).PlainTextKey;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private HttpClient Client()
    {
        var client = fixture.Factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", _northKey);
        return client;
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private async Task<int> PupilCountAsync(Guid academyId)
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.Pupils.CountAsync(p => p.AcademyId == academyId);
    }

    private static object Body(string misId, object yearGroup, string? email = "mum@example.org") => new
    {
        pupils = new object[]
        {
            new
            {
                misId,
                legalFirstName = "Zoë",
                legalLastName = "Ødegaard",
                dateOfBirth = "2014-03-14",
                yearGroup,
                registrationGroup = "8Ø",
                contacts = new object[]
                {
                    new { title = "Mrs", firstName = "Ingrid", lastName = "Ødegaard", email, relationship = "Mother", parentalResponsibility = true },
                },
            },
        },
    };

    [Fact]
    public async Task Json_DryRunByDefault_ReportsTheAdd_ThenDryRunFalseWrites()
    {
        var url = $"/api/v1/academies/{_trust.NorthAcademyId}/pupil-imports";
        using var dry = await Client().PostAsJsonAsync(url, Body("J1", 8));
        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        var report = await Json(dry);
        Assert.True(report.GetProperty("dryRun").GetBoolean());
        Assert.False(report.GetProperty("committed").GetBoolean());
        Assert.Equal("J1", report.GetProperty("added")[0].GetProperty("misId").GetString());
        Assert.Equal(0, await PupilCountAsync(_trust.NorthAcademyId));

        using var commit = await Client().PostAsJsonAsync(url + "?dryRun=false", Body("J1", "Y8"));
        Assert.Equal(HttpStatusCode.OK, commit.StatusCode);
        Assert.True((await Json(commit)).GetProperty("committed").GetBoolean());
        await using var db = fixture.Database.CreateDbContext();
        var pupil = await db.Pupils.Include(p => p.Contacts).ThenInclude(c => c.Contact).SingleAsync(p => p.AcademyId == _trust.NorthAcademyId && p.MisId == "J1");
        Assert.Equal(8, pupil.YearGroup);
        Assert.Equal("Ingrid", Assert.Single(pupil.Contacts).Contact!.FirstName);

        using var again = await Client().PostAsJsonAsync(url + "?dryRun=false", Body("J1", 8));
        var same = await Json(again);
        Assert.False(same.GetProperty("committed").GetBoolean());
        Assert.Equal(0, same.GetProperty("changedCount").GetInt32());
    }

    [Fact]
    public async Task Csv_AsTheRequestBody_IsReadLikeAnUpload()
    {
        var csv = "UPN,Legal Surname,Legal Forename,DOB,Year,Reg Group\r\nC1,Hill,Sam,02/10/2019,2,2H\r\n";
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        using var response = await Client().PostAsync($"/api/v1/academies/{_trust.NorthAcademyId}/pupil-imports?dryRun=true", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await Json(response)).GetProperty("addedCount").GetInt32());
    }

    [Fact]
    public async Task RejectedRows_On_ACommit_Are400_NamingEachPupil_AndWriteNothing()
    {
        using var response = await Client().PostAsJsonAsync($"/api/v1/academies/{_trust.NorthAcademyId}/pupil-imports?dryRun=false", Body("B1", "Y15"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Json(response)).GetProperty("errors");
        Assert.Contains("'Y15' is not one", errors.GetProperty("pupils[0]")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await PupilCountAsync(_trust.NorthAcademyId));
    }

    [Fact]
    public async Task ABadCsvFile_Is400_WithTheReason()
    {
        using var content = new StringContent("UPN,Legal Surname,Legal Surname\r\n", Encoding.UTF8, "text/csv");
        using var response = await Client().PostAsync($"/api/v1/academies/{_trust.NorthAcademyId}/pupil-imports?dryRun=false", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("appears twice", (await Json(response)).GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherAcademy_Is404()
    {
        using var response = await Client().PostAsJsonAsync($"/api/v1/academies/{_trust.SouthAcademyId}/pupil-imports?dryRun=false", Body("S1", 8));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, await PupilCountAsync(_trust.SouthAcademyId));
    }
}
