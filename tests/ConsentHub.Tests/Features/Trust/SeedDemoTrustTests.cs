using ConsentHub.Api;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Ordering;
using ConsentHub.Trust.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ConsentHub.Tests.Trust;

[LongRunning(10)]
public sealed class SeedDemoTrustTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task FirstDevelopmentRun_LoadsTheDemoTrustAndReturnsATrustWideKey_LaterRunsDoNothing()
    {
        var audit = new RecordingAuditLog();
        await using var services = SeedingServices.Build(database, audit, Environments.Development);
        var seed = services.GetRequiredService<SeedDemoTrust>();

        var first = await seed.HandleAsync();
        var second = await seed.HandleAsync();

        Assert.True(first.Created);
        Assert.NotNull(first.Counts);
        Assert.Equal(6, first.Counts.Academies);
        Assert.Equal(3_000, first.Counts.Pupils);
        Assert.True(CreateApiKey.TryParse(first.ApiKey, out var prefix, out var secret));
        Assert.Equal(SeedDemoTrust.Result.NotCreated, second);

        await using var db = database.CreateDbContext();
        var key = await db.ApiKeys.SingleAsync();
        Assert.Equal(prefix, key.Prefix);
        Assert.Null(key.AcademyId);
        Assert.Equal(CreateApiKey.HashSecret(secret), key.SecretHash);
        Assert.Equal("api-key.created", Assert.Single(audit.Appended).Action);
        Assert.Equal(6, await db.Academies.CountAsync());
        Assert.Equal("Demo Learning Trust", (await db.Trusts.SingleAsync()).Name);
        Assert.Equal(first.Counts.ConsentAnswers, await db.ConsentAnswers.CountAsync());
        // The register is not empty: a demo withdrawal has accounts to ask for takedowns on, for every academy.
        var accounts = await db.AffiliatedAccounts.ToListAsync();
        Assert.Equal(3 + 6, accounts.Count);
        Assert.Equal(3, accounts.Count(a => a.Scope == ConsentHub.Trust.PauseScope.Trust));
        Assert.Equal(6, accounts.Where(a => a.ScopeId != null).Select(a => a.ScopeId).Distinct().Count());
        Assert.Equal(9, first.Counts.Accounts);
    }
}

public sealed class SeedDemoTrustOutsideDevelopmentTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task AnEmptyDatabaseOutsideDevelopment_GetsNoDemoPupilsAndNoKey(string environment)
    {
        var audit = new RecordingAuditLog();
        await using var services = SeedingServices.Build(database, audit, environment);

        var result = await services.GetRequiredService<SeedDemoTrust>().HandleAsync();

        Assert.Equal(SeedDemoTrust.Result.NotCreated, result);
        await using var db = database.CreateDbContext();
        Assert.False(await db.Academies.AnyAsync());
        Assert.False(await db.Pupils.AnyAsync());
        Assert.False(await db.ApiKeys.AnyAsync());
        Assert.Empty(audit.Appended);
    }
}
