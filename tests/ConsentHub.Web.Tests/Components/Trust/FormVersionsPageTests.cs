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
}
