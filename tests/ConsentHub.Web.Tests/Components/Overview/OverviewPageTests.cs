using System.Security.Claims;
using Bunit;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Requests;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Web.Components.Pages.Overview;
using ConsentHub.Web.Security;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ConsentHub.Web.Tests.Components.Overview;

/// <summary>The office's and the directors' view of how consent stands.</summary>
public sealed class OverviewPageTests : ConsentHubComponentTest, IClassFixture<DatabaseFixture>
{
    private readonly DatabaseFixture _database;

    public OverviewPageTests(DatabaseFixture database)
    {
        _database = database;
        UseDatabase(database);
        Services.AddSingleton<CountConsentByAcademy>();
        Services.AddSingleton<ListPupilsNeedingFollowUp>();
    }

    [Fact]
    public async Task TheOffice_SeesItsAcademysCounts_AndThePupilsStillWaiting()
    {
        TestTrust t;
        Guid waitingId;
        await using (var db = _database.CreateDbContext())
        {
            t = await TestTrust.CreateAsync(db);
            var (waiting, mum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 3, "3W", first: "Waiting", last: "Pupil");
            await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 3, "3W", first: "Unasked", last: "Pupil");
            db.SignatureRequests.Add(new SignatureRequest
            {
                Id = Guid.NewGuid(),
                PupilId = waiting.Id,
                AcademyId = t.NorthAcademyId,
                FormVersionId = t.FormVersionId,
                PartyKind = PartyKind.Contact,
                ContactId = mum.Id,
                IssuedAt = DateTimeOffset.UtcNow,
                IssuedBy = "office",
                Status = RequestStatus.Open,
                TokenHash = SigningSecrets.HashToken(SigningSecrets.NewToken()),
                ShortCode = SigningSecrets.NewShortCode(),
                ExpiresAt = DateTimeOffset.UtcNow.AddDays(30),
            });
            await db.SaveChangesAsync();
            waitingId = waiting.Id;
        }
        SignInStaff("office@north.example", StaffRoles.OfficeStaff, ScopeLevel.Academy, t.NorthAcademyId);

        var page = Render<ConsentHub.Web.Components.Pages.Overview.Overview>();

        page.WaitForAssertion(() => Assert.Equal("North Academy · 2 pupils on roll. Download as CSV",
            System.Text.RegularExpressions.Regex.Replace(page.Find("p.text-muted").TextContent, @"\s+", " ").Trim()));
        page.WaitForAssertion(() =>
        {
            var social = page.FindAll("table[aria-label='Pupils by purpose and status'] tbody tr").Single(r => r.TextContent.Contains("Academy social media", StringComparison.Ordinal));
            Assert.Equal(["0", "0", "1", "1"], social.QuerySelectorAll("td.text-end").Select(c => c.TextContent));
            Assert.Equal($"forms/academy-summary.pdf?academy={t.NorthAcademyId}", page.Find("a#print-summary").GetAttribute("href"));
        });
        // The follow-up list loads on its own, after the counts: wait for it too.
        page.WaitForAssertion(() =>
        {
            Assert.Contains("1 open request(s); 1 pupil(s) still waiting for an answer.", page.Markup, StringComparison.Ordinal);
            var link = page.Find("table[aria-label='Pupils needing follow-up'] a");
            Assert.Equal(("Waiting Pupil", $"pupils/{waitingId}"), (link.TextContent, link.GetAttribute("href")));
        });
    }

    [Theory]
    [InlineData("North Academy", "North Academy")]
    [InlineData("St Mary's, Leeds", "\"St Mary's, Leeds\"")]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    public void CsvFields_AreQuoted_AndNeverRunAsFormulas(string value, string expected) =>
        Assert.Equal(expected, OverviewExport.Field(value));
}
