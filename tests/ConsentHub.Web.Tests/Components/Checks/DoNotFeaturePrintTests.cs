using Bunit;
using ConsentHub.Access;
using ConsentHub.Requests;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Web.Components.Pages.Checks;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Tests.Components.Checks;

/// <summary>The teacher picks a class and a purpose of their own academy and gets the link to the printable list.</summary>
public sealed class DoNotFeaturePrintTests : ConsentHubComponentTest, IClassFixture<DatabaseFixture>
{
    private readonly DatabaseFixture _database;

    public DoNotFeaturePrintTests(DatabaseFixture database)
    {
        _database = database;
        UseDatabase(database);
        Services.AddSingleton<ListIssueChoices>();
    }

    [Fact]
    public async Task ATeacher_ChoosesAClassAndPurpose_AndGetsTheListsLink()
    {
        TestTrust t;
        await using (var db = _database.CreateDbContext())
        {
            t = await TestTrust.CreateAsync(db);
            await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 3, "3W", "Zoë", "Ødegaard");
            await TestTrust.AddPupilAsync(db, t.SouthAcademyId, 4, "4S", "Sid", "South");
        }
        SignInStaff("staff:teacher", StaffRoles.Teacher, ScopeLevel.Academy, t.NorthAcademyId);

        var page = Render<DoNotFeaturePrint>();

        page.WaitForAssertion(() => Assert.Contains("Class 3W", page.Find("#dnf-who").TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain("4S", page.Find("#dnf-who").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("a.btn"));
        await page.InvokeAsync(() => page.Find("#dnf-who").Change("group=3W"));
        await page.InvokeAsync(() => page.Find("#dnf-purpose").Change(TestTrust.Social));

        page.WaitForAssertion(() => Assert.Equal($"forms/do-not-feature.pdf?academy={t.NorthAcademyId}&group=3W&purpose={TestTrust.Social}", page.Find("a.btn").GetAttribute("href")));
    }
}
