using Bunit;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Data;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Trust.Accounts;
using ConsentHub.Web.Components.Pages.Trust;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ConsentHub.Web.Tests.Components.Trust;

/// <summary>The communications director keeps the register of trust-affiliated accounts on this page.</summary>
public sealed class AccountsPageTests : ConsentHubComponentTest, IClassFixture<DatabaseFixture>
{
    private readonly DatabaseFixture _database;

    public AccountsPageTests(DatabaseFixture database)
    {
        _database = database;
        UseDatabase(database);
        Services.AddSingleton<ConsentHub.Trust.ListTrustStructure>();
        Services.AddSingleton<ListAffiliatedAccounts>();
        Services.AddSingleton<RegisterAffiliatedAccount>();
        Services.AddSingleton<CloseAffiliatedAccount>();
        Auth.SetAuthorized("comms.director@trust.example.org").SetRoles(StaffRoles.CommunicationsDirector);
    }


    private async Task<TestTrust> TrustAsync()
    {
        await using var db = _database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        (await db.Trusts.SingleAsync()).EmailDomains = ["trust.example.org"];
        await db.SaveChangesAsync();
        return t;
    }

    private static async Task FillAsync(IRenderedComponent<Accounts> page, string handle, string firstEmail, Guid academyId)
    {
        await page.InvokeAsync(() => page.Find("#handle").Change(handle));
        await page.InvokeAsync(() => page.Find("#scope-id").Change(academyId.ToString()));
        await page.InvokeAsync(() => page.Find("#first-name").Change("Jo Bloggs"));
        await page.InvokeAsync(() => page.Find("#first-email").Change(firstEmail));
        await page.InvokeAsync(() => page.Find("#second-name").Change("Sam Smith"));
        await page.InvokeAsync(() => page.Find("#second-email").Change("sam.smith@trust.example.org"));
    }

    [Fact]
    public async Task APersonalAddress_IsRefusedOnTheForm_ThenATrustAddressRegistersTheAccount()
    {
        var t = await TrustAsync();
        var page = Render<Accounts>();
        page.WaitForAssertion(() => Assert.Contains("No accounts are registered yet,", page.Markup, StringComparison.Ordinal));

        await FillAsync(page, "@north_academy", "jo.bloggs@gmail.com", t.NorthAcademyId);
        await page.InvokeAsync(() => page.Find("form").Submit());

        page.WaitForAssertion(() =>
        {
            var alert = page.Find("[role=alert]");
            Assert.Contains("jo.bloggs@gmail.com is not a trust address", alert.TextContent, StringComparison.Ordinal);
        });
        Assert.Contains("No accounts are registered yet,", page.Markup, StringComparison.Ordinal);

        await page.InvokeAsync(() => page.Find("#first-email").Change("jo.bloggs@trust.example.org"));
        await page.InvokeAsync(() => page.Find("form").Submit());

        page.WaitForAssertion(() =>
        {
            Assert.Contains("@north_academy is in the register.", page.Find("[role=status]").TextContent, StringComparison.Ordinal);
            var row = page.Find("table tbody tr");
            Assert.Contains("North Academy", row.TextContent, StringComparison.Ordinal);
            Assert.Contains("jo.bloggs@trust.example.org", row.TextContent, StringComparison.Ordinal);
        });
        Assert.Empty(page.FindAll("[role=alert]"));
    }

    [Fact]
    public async Task TakingAnAccountOffTheRegister_AsksForConfirmationFirst()
    {
        var t = await TrustAsync();
        var register = Services.GetRequiredService<RegisterAffiliatedAccount>();
        await register.HandleAsync(new RegisterAffiliatedAccount.Request(null, SocialPlatform.Facebook, "North Academy PTA", null,
            ConsentHub.Trust.PauseScope.Academy, t.NorthAcademyId, "Jo Bloggs", "jo@trust.example.org", "Sam Smith", "sam@trust.example.org"), "setup");
        var page = Render<Accounts>();
        page.WaitForAssertion(() => Assert.Contains("North Academy PTA", page.Markup, StringComparison.Ordinal));

        AngleSharp.Dom.IElement Row() => page.FindAll("table tbody tr").Single(r => r.TextContent.Contains("North Academy PTA", StringComparison.Ordinal));
        await page.InvokeAsync(() => Row().QuerySelectorAll("button").Single(b => b.TextContent == "Take off the register").Click());
        // Asked first: the account is still listed, now with a button to confirm.
        page.WaitForAssertion(() => Assert.Single(Row().QuerySelectorAll("button"), b => b.TextContent.StartsWith("Confirm", StringComparison.Ordinal)));
        await page.InvokeAsync(() => Row().QuerySelectorAll("button").Single(b => b.TextContent.StartsWith("Confirm", StringComparison.Ordinal)).Click());

        page.WaitForAssertion(() => Assert.DoesNotContain("North Academy PTA", page.Markup, StringComparison.Ordinal));
    }
}
