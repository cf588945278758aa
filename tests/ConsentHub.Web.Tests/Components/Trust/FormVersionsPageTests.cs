using Bunit;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Checks;
using ConsentHub.Consent.FormVersions;
using ConsentHub.Data;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Web.Components.Pages.Trust;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ConsentHub.Web.Tests.Components.Trust;

/// <summary>The communications director edits the form's wording in a draft and publishes it.</summary>
public sealed class FormVersionsPageTests : ConsentHubComponentTest, IClassFixture<DatabaseFixture>
{
    private readonly DatabaseFixture _database;

    public FormVersionsPageTests(DatabaseFixture database)
    {
        _database = database;
        UseDatabase(database);
        Services.AddSingleton<ListFormVersions>();
        Services.AddSingleton<StartFormVersion>();
        Services.AddSingleton<SaveFormWording>();
        Services.AddSingleton<PublishFormVersion>();
        Services.AddSingleton<SignOffTranslation>();
        Auth.SetAuthorized("comms.director@trust.example.org").SetRoles(StaffRoles.CommunicationsDirector);
    }


    [Fact]
    public async Task StartingADraft_PublishingItIncomplete_ListsTheGaps_ThenFilledInItIsPublishedAndReadOnly()
    {
        await using (var db = _database.CreateDbContext()) await TestTrust.CreateAsync(db);
        var page = Render<FormVersions>();
        page.WaitForAssertion(() => Assert.Contains("Start a new version", page.Markup, StringComparison.Ordinal));

        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Start a new version").Click());
        page.WaitForAssertion(() => Assert.Contains("(draft)", page.Find("h2").TextContent, StringComparison.Ordinal));
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.StartsWith("Publish version", StringComparison.Ordinal)).Click());
        page.WaitForAssertion(() => Assert.Contains("Internal displays: English wording for pupils", page.Find("[role=alert]").TextContent, StringComparison.Ordinal));

        var fields = page.FindAll("textarea").Select(t => t.Id!).ToList();
        for (var i = 0; i < fields.Count; i++)
        {
            await page.InvokeAsync(() => page.Find($"#{fields[i]}").Change($"Wording for {fields[i]}."));
            await page.InvokeAsync(() => page.Find($"#{fields[i]}").NextElementSibling!.Click()); // its Save button
            var saved = i + 1;
            page.WaitForAssertion(() => Assert.Equal(saved, page.FindAll("[role=status]").Count(s => s.TextContent == "Saved.")));
        }
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.StartsWith("Publish version", StringComparison.Ordinal)).Click());

        page.WaitForAssertion(() =>
        {
            Assert.Contains("is published. New consent requests use it from now on.", page.Markup, StringComparison.Ordinal);
            Assert.Contains("(published, read only)", page.Find("h2").TextContent, StringComparison.Ordinal);
            Assert.All(page.FindAll("textarea"), t => Assert.True(t.HasAttribute("readonly")));
        });
        Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent == "Save");
    }

    [Fact]
    public async Task TheTrustAdmin_SignsOffUrdu_AfterConfirming_AndTheToBeReviewedNoticeGoes_Audited()
    {
        await using (var db = _database.CreateDbContext()) await TestTrust.CreateAsync(db);
        Auth.SetAuthorized("trust.admin@trust.example.org").SetRoles(StaffRoles.TrustAdmin);
        var page = Render<FormVersions>();
        page.WaitForAssertion(() => Assert.Contains(page.FindAll("button"), b => b.TextContent == "View"));
        await page.InvokeAsync(() => page.FindAll("button").First(b => b.TextContent == "View").Click());
        page.WaitForAssertion(() => Assert.Contains("(published, read only)", page.Find("h2").TextContent, StringComparison.Ordinal));
        await page.InvokeAsync(() => page.Find("#language").Change("ur"));
        page.WaitForAssertion(() => Assert.Contains("to be reviewed by the trust", page.Find("#translation-review").TextContent, StringComparison.Ordinal));

        // The first click only asks; Cancel leaves it unsigned.
        await page.InvokeAsync(() => page.FindAll("#translation-review button").Single(b => b.TextContent.StartsWith("Sign off", StringComparison.Ordinal)).Click());
        page.WaitForAssertion(() => Assert.Contains("Your name is recorded", page.Find("#translation-review").TextContent, StringComparison.Ordinal));
        await page.InvokeAsync(() => page.FindAll("#translation-review button").Single(b => b.TextContent == "Cancel").Click());
        page.WaitForAssertion(() => Assert.DoesNotContain("Your name is recorded", page.Find("#translation-review").TextContent, StringComparison.Ordinal));
        await using (var db = _database.CreateDbContext())
        {
            Assert.False(await db.TranslationReviews.AnyAsync(r => r.Language == "ur"));
        }

        await page.InvokeAsync(() => page.FindAll("#translation-review button").Single(b => b.TextContent.StartsWith("Sign off", StringComparison.Ordinal)).Click());
        page.WaitForAssertion(() => Assert.Contains(page.FindAll("#translation-review button"), b => b.TextContent.StartsWith("Yes, sign off", StringComparison.Ordinal)));
        await page.InvokeAsync(() => page.FindAll("#translation-review button").Single(b => b.TextContent.StartsWith("Yes, sign off", StringComparison.Ordinal)).Click());

        page.WaitForAssertion(() =>
        {
            Assert.Empty(page.FindAll("#translation-review"));
            Assert.Contains("signed off by trust.admin@trust.example.org", page.Find("#translation-reviewed").TextContent, StringComparison.Ordinal);
        });
        await using (var db = _database.CreateDbContext())
        {
            var review = await db.TranslationReviews.SingleAsync(r => r.Language == "ur");
            Assert.Equal("trust.admin@trust.example.org", review.ReviewedBy);
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "translation.signed-off" && e.EntityId == review.FormVersionId.ToString() && e.Actor == "trust.admin@trust.example.org"));
        }
        // Arabic is still to be reviewed.
        await page.InvokeAsync(() => page.Find("#language").Change("ar"));
        page.WaitForAssertion(() => Assert.Contains("to be reviewed by the trust", page.Find("#translation-review").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheCommunicationsDirector_SeesTheNotice_ButNoSignOffButton()
    {
        await using (var db = _database.CreateDbContext()) await TestTrust.CreateAsync(db);
        var page = Render<FormVersions>();
        page.WaitForAssertion(() => Assert.Contains(page.FindAll("button"), b => b.TextContent == "View"));
        await page.InvokeAsync(() => page.FindAll("button").First(b => b.TextContent == "View").Click());
        page.WaitForAssertion(() => Assert.Contains("(published, read only)", page.Find("h2").TextContent, StringComparison.Ordinal));
        await page.InvokeAsync(() => page.Find("#language").Change("ro"));
        page.WaitForAssertion(() => Assert.Contains("A trust administrator signs it off.", page.Find("#translation-review").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("#translation-review button"));
    }
}
