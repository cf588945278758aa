using ConsentHub.Api;
using ConsentHub.Audit;
using ConsentHub.Testing.Database;
using Microsoft.EntityFrameworkCore;
using static ConsentHub.Tests.Audit.AuditTestSupport;

namespace ConsentHub.Tests.Audit;

/// <summary>Appending changes inside the caller's transaction, on a real database.</summary>
public sealed class AuditLogTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Appends_FormAValidChain_LinkedFromTheGenesisHash()
    {
        var academy = Guid.NewGuid();
        var log = Log(database);

        for (var i = 1; i <= 5; i++) await AppendAsync(database, log, Change(academy, $"pupil-{i}"));

        var entries = await EntriesAsync(database, academy);
        Assert.Equal([1L, 2, 3, 4, 5], entries.Select(e => e.Sequence));
        Assert.Equal(AuditChain.GenesisHash(), entries[0].PreviousHash);
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            if (i > 0) Assert.Equal(entries[i - 1].Hash, e.PreviousHash);
            Assert.Equal(AuditChain.ComputeHash(e.PreviousHash, e.Payload), e.Hash);
            Assert.Equal($"pupil-{i + 1}", e.EntityId);
            Assert.Equal(academy, e.ChainId);
        }
        var head = await HeadAsync(database, academy);
        Assert.NotNull(head);
        Assert.Equal(5, head.LastSequence);
        Assert.Equal(entries[^1].Hash, head.LastHash);

        var result = await VerifyAsync(database, academy);
        Assert.True(result.IsValid, result.FirstBrokenLink?.Detail);
        Assert.Equal(5, result.EntriesChecked);
    }

    [Fact]
    public async Task TimesWithSubMicrosecondTicks_AreStoredAsHashed()
    {
        var academy = Guid.NewGuid();
        var clock = Clock();
        var log = Log(database, clock);

        await AppendAsync(database, log, Change(academy, "pupil-1"));

        var entry = Assert.Single(await EntriesAsync(database, academy));
        Assert.Equal(0, entry.At.UtcTicks % 10);
        Assert.Contains($"\"at\":\"{AuditChain.FormatTime(entry.At)}\"", entry.Payload, StringComparison.Ordinal);
        Assert.True((await VerifyAsync(database, academy)).IsValid);
    }

    [Fact]
    public async Task TwoAcademies_HaveIndependentChains()
    {
        var northfield = Guid.NewGuid();
        var southbank = Guid.NewGuid();
        var log = Log(database);

        for (var i = 1; i <= 3; i++)
        {
            await AppendAsync(database, log, Change(northfield, $"n-{i}"));
            await AppendAsync(database, log, Change(southbank, $"s-{i}"));
        }
        await AppendAsync(database, log, Change(southbank, "s-4"));

        var north = await EntriesAsync(database, northfield);
        var south = await EntriesAsync(database, southbank);
        Assert.Equal([1L, 2, 3], north.Select(e => e.Sequence));
        Assert.Equal([1L, 2, 3, 4], south.Select(e => e.Sequence));
        Assert.All(north, e => Assert.StartsWith("n-", e.EntityId, StringComparison.Ordinal));
        Assert.All(south, e => Assert.StartsWith("s-", e.EntityId, StringComparison.Ordinal));
        Assert.Equal(AuditChain.GenesisHash(), south[0].PreviousHash);
        Assert.True((await VerifyAsync(database, northfield)).IsValid);
        Assert.True((await VerifyAsync(database, southbank)).IsValid);
    }

    [Fact]
    public async Task EightConcurrentAppenders_OnOneNewChain_ProduceAGapFreeValidChain()
    {
        const int writers = 8;
        const int each = 25;
        var academy = Guid.NewGuid();
        var log = Log(database);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // All start together on a chain with no head yet, so they also race to create it.
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            await start.Task;
            for (var i = 0; i < each; i++) await AppendAsync(database, log, Change(academy, $"{w}:{i}"));
        })).ToList();
        start.SetResult();
        await Task.WhenAll(tasks);

        var entries = await EntriesAsync(database, academy);
        Assert.Equal(Enumerable.Range(1, writers * each).Select(i => (long)i), entries.Select(e => e.Sequence));
        var expectedIds = Enumerable.Range(0, writers).SelectMany(w => Enumerable.Range(0, each).Select(i => $"{w}:{i}"));
        Assert.Equal(expectedIds.Order(StringComparer.Ordinal), entries.Select(e => e.EntityId!).Order(StringComparer.Ordinal));
        // Each writer's own entries keep its order.
        for (var w = 0; w < writers; w++)
        {
            var mine = entries.Where(e => e.EntityId!.StartsWith($"{w}:", StringComparison.Ordinal)).Select(e => e.EntityId).ToList();
            Assert.Equal(Enumerable.Range(0, each).Select(i => $"{w}:{i}"), mine);
        }
        var result = await VerifyAsync(database, academy);
        Assert.True(result.IsValid, result.FirstBrokenLink?.Detail);
        Assert.Equal(writers * each, result.EntriesChecked);
    }

    [Fact]
    public async Task RolledBackTransaction_LeavesNeitherTheChangeNorItsEntry_AndTheChainStaysValid()
    {
        var academy = Guid.NewGuid();
        var log = Log(database);
        await AppendAsync(database, log, Change(academy, "before-1"));
        await AppendAsync(database, log, Change(academy, "before-2"));

        var keyId = Guid.NewGuid();
        await using (var db = database.CreateDbContext())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            db.ApiKeys.Add(new ApiKey
            {
                Id = keyId,
                Name = "rolled back",
                Prefix = "deadbeef",
                SecretHash = new byte[32],
                AcademyId = null,
                CreatedBy = "office@northfield.example",
                CreatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
            await log.AppendAsync(db, Change(academy, "rolled-back"));
            await tx.RollbackAsync();
        }

        await using (var check = database.CreateDbContext())
            Assert.False(await check.ApiKeys.AnyAsync(k => k.Id == keyId));
        Assert.Equal(["before-1", "before-2"], (await EntriesAsync(database, academy)).Select(e => e.EntityId));
        Assert.Equal(2, (await HeadAsync(database, academy))!.LastSequence);
        Assert.True((await VerifyAsync(database, academy)).IsValid);

        await AppendAsync(database, log, Change(academy, "after"));
        var entries = await EntriesAsync(database, academy);
        Assert.Equal((3L, "after"), (entries[^1].Sequence, entries[^1].EntityId));
        Assert.True((await VerifyAsync(database, academy)).IsValid);
    }

    [Fact]
    public async Task RolledBackFirstAppend_LeavesNoChainAtAll()
    {
        var academy = Guid.NewGuid();
        var log = Log(database);

        await using (var db = database.CreateDbContext())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await log.AppendAsync(db, Change(academy, "never"));
            await tx.RollbackAsync();
        }

        Assert.Empty(await EntriesAsync(database, academy));
        Assert.Null(await HeadAsync(database, academy));
        var result = await VerifyAsync(database, academy);
        Assert.Equal((true, 0L), (result.IsValid, result.EntriesChecked));
    }

    [Fact]
    public async Task AppendWithoutATransaction_IsRefused()
    {
        var academy = Guid.NewGuid();
        await using var db = database.CreateDbContext();

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => Log(database).AppendAsync(db, Change(academy, "x")));

        Assert.Contains("transaction", e.Message, StringComparison.Ordinal);
        Assert.Empty(await EntriesAsync(database, academy));
    }

    [Fact]
    public async Task CreatingAnApiKeyForTheTrust_AppendsToTheTrustChain()
    {
        var log = Log(database);
        var before = (await HeadAsync(database, AuditChain.Trust))?.LastSequence ?? 0;

        var created = await new CreateApiKey(new ContextFactory(database), log, Clock())
            .HandleAsync(new CreateApiKey.Request("Website plug-in", null, "head@northfield.example"));

        var entry = (await EntriesAsync(database, AuditChain.Trust))[^1];
        Assert.Equal((before + 1, "api-key.created", created.Id.ToString()), (entry.Sequence, entry.Action, entry.EntityId));
        Assert.Contains("\"scope\":\"trust\"", entry.Payload, StringComparison.Ordinal);
        Assert.True((await VerifyAsync(database, AuditChain.Trust)).IsValid);
    }

    [Fact]
    public async Task VerifyingEveryChain_ReportsEachOne()
    {
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        var log = Log(database);
        await AppendAsync(database, log, Change(first, "a"));
        await AppendAsync(database, log, Change(second, "b"));
        await AppendAsync(database, log, Change(second, "c"));

        var results = await new VerifyAuditChain(database.DataSource).HandleAsync(new VerifyAuditChain.Request());

        Assert.All(results, r => Assert.True(r.IsValid, r.FirstBrokenLink?.Detail));
        Assert.Equal(1, results.Single(r => r.ChainId == first).EntriesChecked);
        Assert.Equal(2, results.Single(r => r.ChainId == second).EntriesChecked);
        Assert.Equal(results.Count, results.Select(r => r.ChainId).Distinct().Count());
    }
}
