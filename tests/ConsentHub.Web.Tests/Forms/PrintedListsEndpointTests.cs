using System.Net;
using ConsentHub.Access;
using ConsentHub.Consent;
using ConsentHub.Pupils;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Ordering;
using ConsentHub.Testing.Pdf;
using ConsentHub.Web.Tests.Infrastructure;

namespace ConsentHub.Web.Tests.Forms;

/// <summary>
/// The printed lists over HTTP: a teacher prints the do-not-feature list of their class but not the headteacher's
/// summary; another academy's staff get 404; bad parameters get a 400 that says what to fix.
/// </summary>
[LongRunning(10)]
public sealed class PrintedListsEndpointTests(WebTestFixture fixture) : IClassFixture<WebTestFixture>, IAsyncLifetime
{
    private TestTrust _trust = null!;
    private Contact _ritaMum = null!;
    private readonly Dictionary<string, HttpClient> _clients = [];

    public async Task InitializeAsync()
    {
        _ = fixture.Factory.Services;
        await using (var db = fixture.Database.CreateDbContext())
        {
            _trust = await TestTrust.CreateAsync(db);
            var (rita, ritaMum) = await TestTrust.AddPupilAsync(db, _trust.NorthAcademyId, 4, "4N", "Rita", "Rëfused");
            var (amelia, ameliaMum) = await TestTrust.AddPupilAsync(db, _trust.NorthAcademyId, 4, "4N", "Amelia", "Agreed");
            _ritaMum = ritaMum;
            var now = DateTimeOffset.UtcNow;
            foreach (var (pupil, mum, kind) in new[] { (rita, ritaMum, AnswerKind.Refuse), (amelia, ameliaMum, AnswerKind.Grant) })
            {
                db.ConsentAnswers.Add(new ConsentAnswer
                {
                    PupilId = pupil.Id,
                    AcademyId = pupil.AcademyId,
                    PurposeId = _trust.SocialPurposeId,
                    PartyKind = PartyKind.Contact,
                    ContactId = mum.Id,
                    Kind = kind,
                    Method = AnswerMethod.Paper,
                    FormVersionId = _trust.FormVersionId,
                    At = now.AddDays(-3),
                    RecordedAt = now,
                    RecordedBy = "test",
                    Attested = true,
                });
            }
            await db.SaveChangesAsync();
        }
        foreach (var (name, role, academy) in new[]
        {
            ("north-teacher", StaffRoles.Teacher, _trust.NorthAcademyId), ("north-head", StaffRoles.Headteacher, _trust.NorthAcademyId),
            ("south-teacher", StaffRoles.Teacher, _trust.SouthAcademyId), ("south-office", StaffRoles.OfficeStaff, _trust.SouthAcademyId),
        })
        {
            var user = await StaffAccounts.CreateAsync(fixture.Factory.Services, role, academy, academy == _trust.NorthAcademyId ? _trust.NorthRegionId : _trust.SouthRegionId);
            _clients[name] = await StaffAccounts.SignedInClientAsync(fixture.Factory, user);
        }
    }

    public Task DisposeAsync()
    {
        foreach (var c in _clients.Values) c.Dispose();
        return Task.CompletedTask;
    }

    private string ListUrl(Guid? academy = null) => $"/forms/do-not-feature.pdf?academy={academy ?? _trust.NorthAcademyId}&group=4N&purpose={TestTrust.Social}";

    private string SummaryUrl(Guid? academy = null) => $"/forms/academy-summary.pdf?academy={academy ?? _trust.NorthAcademyId}";

    [Fact]
    public async Task ATeacher_PrintsTheirClassesList_WithoutContactDetails_NeverCached()
    {
        // Without academy=, a teacher of one academy gets their own.
        using var response = await _clients["north-teacher"].GetAsync($"/forms/do-not-feature.pdf?group=4N&purpose={TestTrust.Social}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        var pdf = await response.Content.ReadAsByteArrayAsync();
        PdfInspection.Keep("do-not-feature-over-http.pdf", pdf);
        var text = string.Join("\n", PdfInspection.PageTexts(pdf));
        Assert.Contains("Rita Rëfused", text, StringComparison.Ordinal);
        Assert.Contains("Refused by a parent", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Amelia", text, StringComparison.Ordinal);
        Assert.DoesNotContain(_ritaMum.Email!, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Jane", text, StringComparison.Ordinal);
        Assert.Contains("1 of 2 pupils in Class 4N may be featured", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATeacher_CannotPrintTheSummary_TheHeadteacherCan()
    {
        using var teacher = await _clients["north-teacher"].GetAsync(SummaryUrl());
        using var head = await _clients["north-head"].GetAsync(SummaryUrl());

        Assert.Equal(HttpStatusCode.Forbidden, teacher.StatusCode);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        var pdf = await head.Content.ReadAsByteArrayAsync();
        PdfInspection.Keep("academy-summary-over-http.pdf", pdf);
        var text = string.Join("\n", PdfInspection.PageTexts(pdf));
        Assert.Contains("Consent summary", text, StringComparison.Ordinal);
        Assert.Contains("North Academy", text, StringComparison.Ordinal);
        Assert.Contains("Academy social media", text, StringComparison.Ordinal);
        Assert.DoesNotContain(_ritaMum.Email!, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("south-teacher")]
    [InlineData("south-office")]
    public async Task AnotherAcademysStaff_Get404(string who)
    {
        using var list = await _clients[who].GetAsync(ListUrl());
        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
        // The not-found page carries antiforgery tokens, which can spell a short name: look past the hidden inputs.
        var visible = System.Text.RegularExpressions.Regex.Replace(await list.Content.ReadAsStringAsync(), "<input[^>]*type=\"hidden\"[^>]*>", "");
        Assert.DoesNotContain("Rita", visible, StringComparison.Ordinal);
        if (who == "south-office")
        {
            using var summary = await _clients[who].GetAsync(SummaryUrl());
            Assert.Equal(HttpStatusCode.NotFound, summary.StatusCode);
        }
    }

    [Theory]
    [InlineData("/forms/do-not-feature.pdf?group=4N", "purpose=")]
    [InlineData("/forms/do-not-feature.pdf?academy=north&group=4N&purpose=academy-social", "academy=")]
    [InlineData("/forms/do-not-feature.pdf?year=four&purpose=academy-social", "year must be a number")]
    [InlineData("/forms/do-not-feature.pdf?group=4N&year=4&purpose=academy-social", "Choose one class")]
    [InlineData("/forms/do-not-feature.pdf?group=4N&purpose=no-such-use", "no-such-use")]
    [InlineData("/forms/do-not-feature.pdf?pupils=nobody&purpose=academy-social", "not a pupil id")]
    public async Task BadParameters_Get400_SayingWhatToFix(string url, string message)
    {
        using var response = await _clients["north-teacher"].GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
