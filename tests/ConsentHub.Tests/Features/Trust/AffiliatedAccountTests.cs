using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Tests.Audit;
using ConsentHub.Trust;
using ConsentHub.Trust.Accounts;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Tests.Trust;

/// <summary>The register of trust-affiliated accounts (policy §4.4): two administrative contacts on trust addresses.</summary>
public sealed class AffiliatedAccountTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private const string Director = "comms.director@trust.example.org";

    private (RegisterAffiliatedAccount Register, CloseAffiliatedAccount Close, ListAffiliatedAccounts List) UseCases()
    {
        var factory = new AuditTestSupport.ContextFactory(database);
        var log = AuditTestSupport.Log(database);
        var clock = AuditTestSupport.Clock();
        return (new RegisterAffiliatedAccount(factory, log, clock), new CloseAffiliatedAccount(factory, log, clock), new ListAffiliatedAccounts(factory));
    }

    private async Task<TestTrust> TrustAsync()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var trust = await db.Trusts.SingleAsync();
        trust.EmailDomains = ["trust.example.org"];
        await db.SaveChangesAsync();
        return t;
    }

    private static RegisterAffiliatedAccount.Request Request(TestTrust t, string handle, string first = "jo.bloggs@trust.example.org",
        string second = "sam.smith@northacademy.trust.example.org") =>
        new(null, SocialPlatform.Instagram, handle, "https://www.instagram.com/" + handle.TrimStart('@'), PauseScope.Academy, t.NorthAcademyId,
            "Jo Bloggs", first, "Sam Smith", second);

    [Fact]
    public async Task AnAcademyAccount_WithTwoTrustContacts_IsRegistered_Listed_AndAudited()
    {
        var t = await TrustAsync();
        var (register, _, list) = UseCases();

        var result = await register.HandleAsync(Request(t, "@north_academy"), Director);

        var saved = Assert.IsType<RegisterAffiliatedAccount.Result.Saved>(result);
        var row = Assert.Single(await list.HandleAsync(), r => r.Account.Id == saved.Id);
        Assert.Equal("North Academy", row.ScopeName);
        Assert.Equal("sam.smith@northacademy.trust.example.org", row.Account.SecondAdminEmail);
        await using var db = database.CreateDbContext();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "account.registered" && e.EntityId == saved.Id.ToString() && e.Actor == Director));
    }

    [Theory]
    [InlineData("jo.bloggs@gmail.com")]
    [InlineData("jo@trust.example.org.evil.com")]
    [InlineData("jo@nottrust.example.org")]
    public async Task APersonalOrLookalikeAddress_IsRefusedWithTheReason_AndNothingIsSaved(string personal)
    {
        var t = await TrustAsync();
        var (register, _, list) = UseCases();
        var handle = "@refused_" + Guid.NewGuid().ToString("N")[..6];

        var result = await register.HandleAsync(Request(t, handle, first: personal), Director);

        var invalid = Assert.IsType<RegisterAffiliatedAccount.Result.Invalid>(result);
        var message = Assert.Single(invalid.Errors["firstAdminEmail"]);
        Assert.Contains($"{personal} is not a trust address", message, StringComparison.Ordinal);
        Assert.Contains("@trust.example.org", message, StringComparison.Ordinal);
        Assert.DoesNotContain(await list.HandleAsync(), r => r.Account.Handle == handle);
    }

    [Fact]
    public async Task TheSamePersonTwice_OrAMissingScope_OrABadLink_AreEachNamed()
    {
        var t = await TrustAsync();
        var (register, _, _) = UseCases();

        var result = await register.HandleAsync(Request(t, "@twice", first: "jo@trust.example.org", second: "JO@trust.example.org")
            with
        { Scope = PauseScope.Region, ScopeId = Guid.NewGuid(), Url = "http://insecure.example/x" }, Director);

        var invalid = Assert.IsType<RegisterAffiliatedAccount.Result.Invalid>(result);
        Assert.Contains("two different administrative contacts", invalid.Errors["secondAdminEmail"][0], StringComparison.Ordinal);
        Assert.Equal("Choose the region the account belongs to.", invalid.Errors["scopeId"][0]);
        Assert.Contains("https://", invalid.Errors["url"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAccountAlreadyInTheRegister_IsRefused_UntilItIsClosed()
    {
        var t = await TrustAsync();
        var (register, close, list) = UseCases();
        var first = Assert.IsType<RegisterAffiliatedAccount.Result.Saved>(await register.HandleAsync(Request(t, "@dup_academy"), Director));

        var again = Assert.IsType<RegisterAffiliatedAccount.Result.Invalid>(await register.HandleAsync(Request(t, "@dup_academy"), Director));
        Assert.Equal("@dup_academy on Instagram is already in the register.", again.Errors["handle"][0]);

        Assert.True(await close.HandleAsync(first.Id, Director));
        Assert.DoesNotContain(await list.HandleAsync(), r => r.Account.Id == first.Id);
        Assert.IsType<RegisterAffiliatedAccount.Result.Saved>(await register.HandleAsync(Request(t, "@dup_academy"), Director));
        Assert.False(await close.HandleAsync(first.Id, Director));
    }

    [Fact]
    public async Task ChangingAnAccount_KeepsItsId_AndChecksTheNewContactsToo()
    {
        var t = await TrustAsync();
        var (register, _, list) = UseCases();
        var saved = Assert.IsType<RegisterAffiliatedAccount.Result.Saved>(await register.HandleAsync(Request(t, "@change_me"), Director));

        var refused = await register.HandleAsync(Request(t, "@change_me", second: "sam@hotmail.co.uk") with { Id = saved.Id }, Director);
        Assert.IsType<RegisterAffiliatedAccount.Result.Invalid>(refused);
        var changed = await register.HandleAsync(Request(t, "@change_me", second: "alex.new@trust.example.org") with { Id = saved.Id, Scope = PauseScope.Trust, ScopeId = null }, Director);

        Assert.Equal(saved.Id, Assert.IsType<RegisterAffiliatedAccount.Result.Saved>(changed).Id);
        var row = (await list.HandleAsync()).Single(r => r.Account.Id == saved.Id);
        Assert.Equal(("alex.new@trust.example.org", "Whole trust"), (row.Account.SecondAdminEmail, row.ScopeName));
    }
}
