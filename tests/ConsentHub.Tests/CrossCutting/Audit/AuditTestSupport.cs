using ConsentHub.Audit;
using ConsentHub.Data;
using ConsentHub.Testing.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace ConsentHub.Tests.Audit;

/// <summary>Small builders for the audit tests. Each test makes its own chains (fresh academy ids), so tests in a class never share one.</summary>
internal static class AuditTestSupport
{
    public const string Teacher = "teacher@northfield.example";

    private static readonly DateTimeOffset SchoolMorning = new DateTimeOffset(2026, 9, 1, 8, 0, 0, TimeSpan.Zero).AddTicks(1_234_567);

    /// <summary>A school morning; each reading moves on by a time with sub-microsecond ticks, as a real clock does.</summary>
    public static FakeTimeProvider Clock() => new(SchoolMorning) { AutoAdvanceAmount = TimeSpan.FromTicks(1_234_567) };

    /// <summary>
    /// A clock that moves only when told. The read writer's batch interval runs on it, so with this clock a batch
    /// closes only by size, flush or stop (a clock that moved on every reading would close batches at random).
    /// </summary>
    public static FakeTimeProvider StillClock() => new(SchoolMorning);

    public static AuditLog Log(DatabaseFixture database, TimeProvider? clock = null, Action<AuditOptions>? configure = null)
    {
        var options = new AuditOptions();
        configure?.Invoke(options);
        return new AuditLog(database.DataSource, clock ?? Clock(), Microsoft.Extensions.Options.Options.Create(options), NullLogger<AuditLog>.Instance);
    }

    public static AuditEvent Change(Guid? academyId, string entityId, string actor = "office@northfield.example") =>
        new(academyId, actor, "pupil.updated", "Pupil", entityId, PupilId: Guid.NewGuid(),
            Data: new Dictionary<string, object?> { ["fields"] = new List<string> { "year_group" }, ["yearGroup"] = 8 });

    public static AuditEvent Check(Guid? academyId, int n) =>
        new(academyId, Teacher, "consent.checked", "Pupil", $"pupil-{n}", PupilId: Guid.NewGuid(),
            Data: new Dictionary<string, object?> { ["n"] = n, ["purpose"] = "website", ["outcome"] = "Allowed" });

    /// <summary>Appends the way a use case does: own context, own transaction, commit.</summary>
    public static async Task AppendAsync(DatabaseFixture database, IAuditLog log, AuditEvent auditEvent)
    {
        await using var db = database.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync();
        await log.AppendAsync(db, auditEvent);
        await tx.CommitAsync();
    }

    public static async Task<List<AuditEntry>> EntriesAsync(DatabaseFixture database, Guid chainId)
    {
        await using var db = database.CreateDbContext();
        return await db.AuditEntries.AsNoTracking().Where(e => e.ChainId == chainId).OrderBy(e => e.Sequence).ToListAsync();
    }

    public static async Task<AuditChainHead?> HeadAsync(DatabaseFixture database, Guid chainId)
    {
        await using var db = database.CreateDbContext();
        return await db.AuditChainHeads.AsNoTracking().SingleOrDefaultAsync(h => h.ChainId == chainId);
    }

    public static async Task<VerifyAuditChain.ChainResult> VerifyAsync(DatabaseFixture database, Guid chainId) =>
        Assert.Single(await new VerifyAuditChain(database.DataSource).HandleAsync(new VerifyAuditChain.Request(chainId)));

    public static async Task<long> ScalarAsync(DatabaseFixture database, string sql, Guid chainId)
    {
        await using var cmd = database.DataSource.CreateCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = chainId });
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The services as the app registers them, on this test's database and clock.</summary>
    public static ServiceProvider Services(DatabaseFixture database, TimeProvider clock, Action<AuditOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddSingleton(database.DataSource);
        services.AddSingleton(clock);
        services.AddConsentHubAudit();
        if (configure is not null) services.Configure(configure);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>Turns a hang (a flush or stop that never finishes) into a failure; far longer than any run needs.</summary>
    public static Task OrHang(this Task task) => task.WaitAsync(TimeSpan.FromMinutes(1));

    public sealed class ContextFactory(DatabaseFixture database) : IDbContextFactory<ConsentHubDbContext>
    {
        public ConsentHubDbContext CreateDbContext() => database.CreateDbContext();
    }
}
