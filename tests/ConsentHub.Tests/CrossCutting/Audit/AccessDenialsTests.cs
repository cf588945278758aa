using ConsentHub.Audit;
using ConsentHub.Testing.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static ConsentHub.Tests.Audit.AuditTestSupport;

namespace ConsentHub.Tests.Audit;

/// <summary>A flood of denials is on record without filling the audit table: a few entries per caller a minute, then one count.</summary>
public sealed class AccessDenialsTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static AuditEvent NotFound(string actor, int n) => new(null, actor, AccessDenials.NotFound, "Endpoint", $"/pupils/guess-{n}");

    private async Task<List<AuditEntry>> ByActorAsync(string actor)
    {
        await using var db = database.CreateDbContext();
        return await db.AuditEntries.AsNoTracking().Where(e => e.Actor == actor).OrderBy(e => e.Sequence).ToListAsync();
    }

    [Fact]
    public async Task AFloodFromOneCaller_WritesTheFirstThirtyAMinute_ThenOneCountOfTheRest_AndOthersAreStillHeard()
    {
        var clock = StillClock();
        await using var services = Services(database, clock);
        var writer = services.GetRequiredService<AuditReadWriter>();
        await writer.StartAsync(CancellationToken.None);
        var denials = services.GetRequiredService<AccessDenials>();
        var prober = $"staff:{Guid.NewGuid()}";
        var colleague = $"staff:{Guid.NewGuid()}";

        for (var n = 0; n < 1_000; n++) denials.Record(NotFound(prober, n), prober);
        Assert.True(denials.Record(NotFound(colleague, 0), colleague));
        await writer.FlushAsync().OrHang();

        var during = await ByActorAsync(prober);
        Assert.Equal(30, during.Count);
        Assert.All(during, e => Assert.Equal(AccessDenials.NotFound, e.Action));
        Assert.Single(await ByActorAsync(colleague));

        // The minute ends with no further denial: the sweep writes the count.
        clock.Advance(TimeSpan.FromMinutes(1));
        denials.SweepEndedWindows();
        await writer.FlushAsync().OrHang();

        var count = Assert.Single(await ByActorAsync(prober), e => e.Action == AccessDenials.Suppressed);
        Assert.Contains("\"count\":970", count.Payload, StringComparison.Ordinal);
        // A new minute: the caller is heard again.
        Assert.True(denials.Record(NotFound(prober, 1_000), prober));
        Assert.True((await VerifyAsync(database, AuditChain.Trust)).IsValid);
    }

    [Fact]
    public async Task ManyCallersAtOnce_AreCappedInAll()
    {
        var clock = StillClock();
        await using var services = Services(database, clock, configure: null);
        var denials = new AccessDenials(services.GetRequiredService<IAuditLog>(), clock,
            Microsoft.Extensions.Options.Options.Create(new AccessDenialOptions { PerCallerPerMinute = 2, PerMinute = 10 }));

        var written = 0;
        for (var caller = 0; caller < 20; caller++)
            for (var n = 0; n < 2; n++)
                if (denials.Record(NotFound("anonymous", n), $"ip:10.0.0.{caller}")) written++;

        Assert.Equal(10, written);
    }
}
