using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ConsentHub.Access;
using ConsentHub.Api;
using ConsentHub.Pupils;
using ConsentHub.Testing.Builders;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Tests.Api;

/// <summary>
/// An answer's date must be possible: not before the pupil was born, not in the future, never year 1 (which used to
/// be stored as -infinity and break the whole academy). And should such a row exist anyway, every reader still
/// answers: the check, the roster, the summaries, the pages and the printed lists.
/// </summary>
public sealed class AnswerDateTests(WebTestFixture fixture) : IClassFixture<WebTestFixture>, IAsyncLifetime
{
    private TestTrust _trust = null!;
    private Pupil _pupil = null!;
    private Contact _mum = null!;
    private string _key = "";

    public async Task InitializeAsync()
    {
        var create = fixture.Factory.Services.GetRequiredService<CreateApiKey>();
        await using var db = fixture.Database.CreateDbContext();
        _trust = await TestTrust.CreateAsync(db);
        (_pupil, _mum) = await TestTrust.AddPupilAsync(db, _trust.NorthAcademyId, 4, "4D", "Dara", "Dates");
        _key = (await create.HandleAsync(new CreateApiKey.Request("dates", _trust.NorthAcademyId, "test admin"))).PlainTextKey;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private HttpClient Api()
    {
        var client = fixture.Factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", _key);
        return client;
    }

    private static Task<HttpResponseMessage> PostAnswerAsync(HttpClient api, Guid pupilId, Guid contactId, string at) =>
        api.PostAsJsonAsync($"/api/v1/pupils/{pupilId}/consent-answers", new
        {
            purpose = TestTrust.Social,
            party = "contact",
            contactId,
            answer = "grant",
            method = "paper",
            attested = true,
            recordedBy = "Mrs Office",
            at,
        });

    [Theory]
    [InlineData("0001-01-01T00:00:00Z", "before 1 Jan 2000")]
    [InlineData("1900-06-01T10:00:00Z", "before 1 Jan 2000")]
    [InlineData("2016-01-01T10:00:00Z", "before Dara was born")]
    [InlineData("2199-01-01T10:00:00Z", "in the future")]
    [InlineData("9999-12-31T23:59:59Z", "in the future")]
    public async Task AnImpossibleAnswerDate_Is400NamingTheField_AndRecordsNothing(string at, string message)
    {
        using var api = Api();
        using var response = await PostAnswerAsync(api, _pupil.Id, _mum.Id, at);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains(message, body.GetProperty("errors").GetProperty("at")[0].GetString(), StringComparison.Ordinal);
        await using var db = fixture.Database.CreateDbContext();
        Assert.False(await db.ConsentAnswers.AnyAsync(a => a.PupilId == _pupil.Id && a.At < new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public async Task AnAnswerDatedFromBirthToNow_IsRecorded()
    {
        await using var setup = fixture.Database.CreateDbContext();
        var (pupil, mum) = await TestTrust.AddPupilAsync(setup, _trust.NorthAcademyId, 4, "4D", "Ola", "Onbirthday");
        using var api = Api();
        var onBirthday = pupil.DateOfBirth.ToDateTime(new TimeOnly(12, 0));
        using var response = await PostAnswerAsync(api, pupil.Id, mum.Id, new DateTimeOffset(onBirthday, TimeSpan.Zero).ToString("O"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task InsertRawAnswerAsync(ConsentHub.Data.ConsentHubDbContext db, Pupil pupil, Contact contact, string at) =>
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO consenthub.consent_answers (pupil_id, academy_id, purpose_id, party_kind, contact_id, kind, method, form_version_id, at, recorded_at, recorded_by, attested)
            VALUES ({pupil.Id}, {pupil.AcademyId}, {_trust.SocialPurposeId}, 'Contact', {contact.Id}, 'Grant', 'Paper', {_trust.FormVersionId}, {at}::timestamptz, now(), 'behind the back', true)
            """);

    [Fact]
    public async Task AnImpossibleDateStoredBehindTheApplicationsBack_BreaksNoReader()
    {
        Pupil minus, plus;
        await using (var db = fixture.Database.CreateDbContext())
        {
            (minus, var minusMum) = await TestTrust.AddPupilAsync(db, _trust.NorthAcademyId, 4, "4W", "Wren", "Worstcase");
            (plus, var plusMum) = await TestTrust.AddPupilAsync(db, _trust.NorthAcademyId, 4, "4W", "Will", "Worstcase");
            await TestTrust.AddPupilAsync(db, _trust.NorthAcademyId, 4, "4W", "Wanda", "Fine");
            // As an older version (or someone with the database) could have left it: the constraint out of the way.
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE consenthub.consent_answers DROP CONSTRAINT IF EXISTS ck_consent_answers_dates");
            await InsertRawAnswerAsync(db, minus, minusMum, "-infinity");
            await InsertRawAnswerAsync(db, plus, plusMum, "infinity");
        }

        using var api = Api();
        var office = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.OfficeStaff, _trust.NorthAcademyId);
        using var staff = await StaffAccounts.SignedInClientAsync(fixture.Factory, office);
        var failures = new List<string>();
        async Task Check(HttpClient client, string url)
        {
            using var response = await client.GetAsync(url);
            if (response.StatusCode != HttpStatusCode.OK) failures.Add($"{url}: {(int)response.StatusCode}");
        }

        foreach (var id in new[] { minus.Id, plus.Id })
        {
            await Check(api, $"/api/v1/pupils/{id}/consent");
            await Check(staff, $"/pupils/{id}");
            await Check(staff, $"/checks/pupils/{id}");
        }
        await Check(api, $"/api/v1/academies/{_trust.NorthAcademyId}/roster?class=4W");
        await Check(api, $"/api/v1/academies/{_trust.NorthAcademyId}/roster");
        await Check(api, $"/api/v1/academies/{_trust.NorthAcademyId}/summary");
        await Check(api, "/api/v1/summary");
        await Check(staff, "/overview");
        await Check(staff, "/overview/export.csv");
        await Check(staff, "/checks");
        await Check(staff, "/checks/do-not-feature");
        await Check(staff, $"/forms/do-not-feature.pdf?academy={_trust.NorthAcademyId}&group=4W&purpose={TestTrust.Social}");
        await Check(staff, $"/forms/academy-summary.pdf?academy={_trust.NorthAcademyId}");

        Assert.Empty(failures);
        // And the checks still say something sensible about the fine pupil in the same class.
        using var roster = await api.GetAsync($"/api/v1/academies/{_trust.NorthAcademyId}/roster?class=4W");
        var body = JsonDocument.Parse(await roster.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(3, body.GetProperty("count").GetInt32());
    }
}
