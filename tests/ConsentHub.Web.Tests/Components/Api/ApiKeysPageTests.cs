using Bunit;
using ConsentHub.Access;
using ConsentHub.Api;
using ConsentHub.Audit;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Ordering;
using ConsentHub.Web.Components.Pages.Api;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Tests.Components.Api;

/// <summary>The API keys page: make a key (secret shown once), see it listed, revoke it; a headteacher sees only their academy.</summary>
[LongRunning(9)]
public sealed class ApiKeysPageTests : ConsentHubComponentTest, IClassFixture<DatabaseFixture>
{
    private readonly DatabaseFixture _database;

    public ApiKeysPageTests(DatabaseFixture database)
    {
        _database = database;
        UseDatabase(database);
        Services.AddConsentHubApiKeys();
        Services.AddSingleton<ConsentHub.Trust.ListAcademies>();
    }

    private async Task<TestTrust> TrustAsync()
    {
        await using var db = _database.CreateDbContext();
        return await TestTrust.CreateAsync(db);
    }

    [Fact]
    public async Task ATrustAdmin_MakesAKeyForAnAcademy_SeesTheSecretOnce_ThenRevokesIt_AllAudited()
    {
        var t = await TrustAsync();
        var adminId = Guid.NewGuid();
        var admin = $"staff:{adminId}";
        Auth.SetAuthorized("Ada Admin").SetRoles(StaffRoles.TrustAdmin).SetClaims(
            new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, adminId.ToString()),
            new System.Security.Claims.Claim(StaffClaims.Scope, StaffClaims.Format(StaffRoles.TrustAdmin, ScopeLevel.Trust, null)));
        var page = Render<ApiKeys>();
        page.WaitForAssertion(() => Assert.Contains("The whole trust", page.Find("#key-scope").TextContent, StringComparison.Ordinal));

        await page.InvokeAsync(() => page.Find("#key-name").Change("North photo tool"));
        await page.InvokeAsync(() => page.Find("#key-scope").Change(t.NorthAcademyId.ToString()));
        await page.InvokeAsync(() => page.Find("#key-expires").Change(DateTime.UtcNow.AddYears(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Make key").Click());

        string secret = "";
        page.WaitForAssertion(() =>
        {
            secret = page.Find("#new-key-secret").TextContent;
            Assert.StartsWith(CreateApiKey.KeyPrefix, secret, StringComparison.Ordinal);
            var row = page.FindAll("table[aria-label='API keys'] tbody tr").Single(r => r.TextContent.Contains("North photo tool", StringComparison.Ordinal));
            Assert.Contains("North photo tool", row.TextContent, StringComparison.Ordinal);
            Assert.Contains("Not yet", row.TextContent, StringComparison.Ordinal);
            Assert.Contains("Active", row.TextContent, StringComparison.Ordinal);
        });
        Assert.True(CreateApiKey.TryParse(secret, out var prefix, out var plainSecret));
        await using (var db = _database.CreateDbContext())
        {
            var stored = await db.ApiKeys.SingleAsync(k => k.Prefix == prefix);
            Assert.Equal(t.NorthAcademyId, stored.AcademyId);
            Assert.NotNull(stored.ExpiresAt);
            Assert.Equal(CreateApiKey.HashSecret(plainSecret), stored.SecretHash);
        }

        // Once dismissed, the secret is gone from the page for good.
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "I have copied it").Click());
        page.WaitForAssertion(() => Assert.DoesNotContain(plainSecret, page.Markup, StringComparison.Ordinal));

        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Revoke North photo tool").Click());
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Yes, revoke North photo tool").Click());
        page.WaitForAssertion(() =>
        {
            Assert.Contains("North photo tool is revoked", page.Find("[role=status]").TextContent, StringComparison.Ordinal);
            Assert.Contains("Revoked", page.FindAll("table[aria-label='API keys'] tbody tr").Single(r => r.TextContent.Contains("North photo tool", StringComparison.Ordinal)).TextContent, StringComparison.Ordinal);
        });

        await using var check = _database.CreateDbContext();
        var actions = await check.AuditEntries.Where(e => e.Actor == admin).Select(e => e.Action).ToListAsync();
        Assert.Equal(["api-key.created", "api-key.revoked"], actions.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AHeadteacher_SeesAndMakesKeysOnlyForTheirAcademy()
    {
        var t = await TrustAsync();
        var create = Services.GetRequiredService<CreateApiKey>();
        await create.HandleAsync(new CreateApiKey.Request("South MIS sync", t.SouthAcademyId, "staff:admin"));
        await create.HandleAsync(new CreateApiKey.Request("Trust reporting", null, "staff:admin"));
        await create.HandleAsync(new CreateApiKey.Request("North website", t.NorthAcademyId, "staff:admin"));
        SignInStaff($"staff:{Guid.NewGuid()}", StaffRoles.Headteacher, ScopeLevel.Academy, t.NorthAcademyId);

        var page = Render<ApiKeys>();

        page.WaitForAssertion(() =>
        {
            var table = page.Find("table[aria-label='API keys']").TextContent;
            Assert.Contains("North website", table, StringComparison.Ordinal);
            Assert.DoesNotContain("South MIS sync", table, StringComparison.Ordinal);
            Assert.DoesNotContain("Trust reporting", table, StringComparison.Ordinal);
            var choices = page.FindAll("#key-scope option").Select(o => o.GetAttribute("value")).ToList();
            Assert.Equal([t.NorthAcademyId.ToString()], choices);
        });
    }
}
