using ConsentHub.Audit;
using ConsentHub.Testing.Database;
using Npgsql;
using static ConsentHub.Tests.Audit.AuditTestSupport;

namespace ConsentHub.Tests.Audit;

/// <summary>
/// The trigger stops ordinary edits; a superuser can get past it (disable the trigger, or replica mode), and then
/// the verifier must point at the exact entry that was touched. Every test builds its own five-entry chain.
/// </summary>
public sealed class AuditTamperTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    public enum Bypass
    {
        DisableTrigger,
        ReplicaRole,
    }

    private async Task<(Guid Chain, List<AuditEntry> Entries)> FiveEntryChainAsync()
    {
        var academy = Guid.NewGuid();
        var log = Log(database);
        for (var i = 1; i <= 5; i++) await AppendAsync(database, log, Change(academy, $"pupil-{i}"));
        var entries = await EntriesAsync(database, academy);
        Assert.True((await VerifyAsync(database, academy)).IsValid);
        return (academy, entries);
    }

    /// <summary>
    /// Runs each statement (with $1 = the chain id) as the superuser in one transaction, with the append-only
    /// trigger out of the way; returns the rows changed.
    /// </summary>
    private async Task<int> TamperAsync(Bypass bypass, Guid chainId, params string[] statements)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, bypass == Bypass.DisableTrigger
            ? "ALTER TABLE consenthub.audit_entries DISABLE TRIGGER audit_entries_append_only"
            : "SET LOCAL session_replication_role = replica");
        var rows = 0;
        foreach (var sql in statements)
        {
            await using var cmd = new NpgsqlCommand(sql, connection);
            cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = chainId });
            rows += await cmd.ExecuteNonQueryAsync();
        }
        if (bypass == Bypass.DisableTrigger)
            await ExecuteAsync(connection, "ALTER TABLE consenthub.audit_entries ENABLE TRIGGER audit_entries_append_only");
        await tx.CommitAsync();
        return rows;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }

    private static void AssertBrokenAt(VerifyAuditChain.ChainResult result, AuditEntry entry, AuditLinkProblem problem)
    {
        Assert.False(result.IsValid);
        var broken = result.FirstBrokenLink!;
        Assert.Equal((entry.Sequence, entry.Id, problem), (broken.Sequence, broken.EntryId, broken.Problem));
    }

    [Theory]
    [InlineData("UPDATE consenthub.audit_entries SET actor = 'someone else' WHERE chain_id = $1 AND sequence = 3")]
    [InlineData("DELETE FROM consenthub.audit_entries WHERE chain_id = $1 AND sequence = 3")]
    public async Task UpdateAndDelete_AreRejectedByTheTrigger_EvenForTheSuperuser(string sql)
    {
        var (chain, entries) = await FiveEntryChainAsync();

        await using var cmd = database.DataSource.CreateCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = chain });
        var e = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());

        Assert.Equal(PostgresErrorCodes.RestrictViolation, e.SqlState);
        Assert.Equal(entries.Select(x => x.Actor), (await EntriesAsync(database, chain)).Select(x => x.Actor));
        Assert.True((await VerifyAsync(database, chain)).IsValid);
    }

    [Fact]
    public async Task Truncate_IsRejectedByTheTrigger()
    {
        var (chain, _) = await FiveEntryChainAsync();

        await using var cmd = database.DataSource.CreateCommand("TRUNCATE consenthub.audit_entries");
        var e = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());

        Assert.Equal(PostgresErrorCodes.RestrictViolation, e.SqlState);
        Assert.Equal(5, (await EntriesAsync(database, chain)).Count);
    }

    [Theory]
    [InlineData(Bypass.DisableTrigger)]
    [InlineData(Bypass.ReplicaRole)]
    public async Task SuperuserEditsAPayload_IsCaughtAtThatEntry_AsAHashMismatch(Bypass bypass)
    {
        var (chain, entries) = await FiveEntryChainAsync();

        var rows = await TamperAsync(bypass, chain,
            "UPDATE consenthub.audit_entries SET payload = replace(payload, '\"yearGroup\":8', '\"yearGroup\":9') WHERE chain_id = $1 AND sequence = 3");

        Assert.Equal(1, rows);
        Assert.Contains("\"yearGroup\":9", (await EntriesAsync(database, chain))[2].Payload, StringComparison.Ordinal);
        var result = await VerifyAsync(database, chain);
        AssertBrokenAt(result, entries[2], AuditLinkProblem.HashMismatch);
        Assert.Equal(3, result.EntriesChecked);
    }

    [Theory]
    [InlineData(Bypass.ReplicaRole, "actor = 'someone else'", "actor")]
    [InlineData(Bypass.DisableTrigger, "actor = 'someone else'", "actor")]
    [InlineData(Bypass.ReplicaRole, "action = 'consent.checked'", "action")]
    [InlineData(Bypass.ReplicaRole, "at = at - interval '1 day'", "at")]
    [InlineData(Bypass.ReplicaRole, "at = at + interval '1 microsecond'", "at")]
    [InlineData(Bypass.ReplicaRole, "entity_type = 'Contact'", "entity_type")]
    [InlineData(Bypass.ReplicaRole, "entity_id = 'pupil-99'", "entity_id")]
    [InlineData(Bypass.ReplicaRole, "entity_id = NULL", "entity_id")]
    [InlineData(Bypass.ReplicaRole, "pupil_id = gen_random_uuid()", "pupil_id")]
    [InlineData(Bypass.ReplicaRole, "pupil_id = NULL", "pupil_id")]
    public async Task SuperuserEditsAColumn_IsCaughtAtThatEntry_AsDifferingFromThePayload(Bypass bypass, string set, string column)
    {
        var (chain, entries) = await FiveEntryChainAsync();

        var rows = await TamperAsync(bypass, chain, $"UPDATE consenthub.audit_entries SET {set} WHERE chain_id = $1 AND sequence = 3");

        Assert.Equal(1, rows);
        var result = await VerifyAsync(database, chain);
        AssertBrokenAt(result, entries[2], AuditLinkProblem.ColumnDiffersFromPayload);
        Assert.Contains($"Column {column} ", result.FirstBrokenLink!.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Bypass.DisableTrigger)]
    [InlineData(Bypass.ReplicaRole)]
    public async Task SuperuserDeletesAMiddleEntry_IsCaughtAtTheNextEntry_AsASequenceGap(Bypass bypass)
    {
        var (chain, entries) = await FiveEntryChainAsync();

        var rows = await TamperAsync(bypass, chain, "DELETE FROM consenthub.audit_entries WHERE chain_id = $1 AND sequence = 3");

        Assert.Equal(1, rows);
        var result = await VerifyAsync(database, chain);
        AssertBrokenAt(result, entries[3], AuditLinkProblem.SequenceGap);
        Assert.Contains("Expected sequence 3 but found 4", result.FirstBrokenLink!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SuperuserDeletesAMiddleEntryAndRenumbers_IsCaughtAsAPreviousHashMismatch()
    {
        var (chain, entries) = await FiveEntryChainAsync();

        // Close the gap: every later entry moves down one (highest first would collide; go through negatives).
        await TamperAsync(Bypass.ReplicaRole, chain,
            "DELETE FROM consenthub.audit_entries WHERE chain_id = $1 AND sequence = 3",
            "UPDATE consenthub.audit_entries SET sequence = -sequence WHERE chain_id = $1 AND sequence > 3",
            "UPDATE consenthub.audit_entries SET sequence = -sequence - 1 WHERE chain_id = $1 AND sequence < 0",
            "UPDATE consenthub.audit_chain_heads SET last_sequence = 4 WHERE chain_id = $1");

        var result = await VerifyAsync(database, chain);
        Assert.False(result.IsValid);
        Assert.Equal((3L, entries[3].Id, AuditLinkProblem.PreviousHashMismatch),
            (result.FirstBrokenLink!.Sequence, result.FirstBrokenLink.EntryId, result.FirstBrokenLink.Problem));
    }

    [Fact]
    public async Task SuperuserRewritesAPayloadAndItsHash_IsCaughtAtTheNextEntry()
    {
        var (chain, entries) = await FiveEntryChainAsync();

        await TamperAsync(Bypass.DisableTrigger, chain, """
            UPDATE consenthub.audit_entries
            SET payload = replace(payload, '"yearGroup":8', '"yearGroup":9'),
                hash = sha256(previous_hash || convert_to(replace(payload, '"yearGroup":8', '"yearGroup":9'), 'UTF8'))
            WHERE chain_id = $1 AND sequence = 3
            """);

        var result = await VerifyAsync(database, chain);
        AssertBrokenAt(result, entries[3], AuditLinkProblem.PreviousHashMismatch);
    }

    [Fact]
    public async Task SuperuserDeletesTheLastEntry_IsCaughtAsAHeadMismatch()
    {
        var (chain, entries) = await FiveEntryChainAsync();

        await TamperAsync(Bypass.ReplicaRole, chain, "DELETE FROM consenthub.audit_entries WHERE chain_id = $1 AND sequence = 5");

        var result = await VerifyAsync(database, chain);
        AssertBrokenAt(result, entries[3], AuditLinkProblem.HeadMismatch);
        Assert.Equal(4, result.EntriesChecked);
    }

    [Fact]
    public async Task SuperuserDeletesTheHead_IsCaughtWhenVerifyingEveryChain()
    {
        var (chain, entries) = await FiveEntryChainAsync();

        await TamperAsync(Bypass.ReplicaRole, chain, "DELETE FROM consenthub.audit_chain_heads WHERE chain_id = $1");

        var results = await new VerifyAuditChain(database.DataSource).HandleAsync(new VerifyAuditChain.Request());
        AssertBrokenAt(results.Single(r => r.ChainId == chain), entries[4], AuditLinkProblem.HeadMismatch);
    }

    [Fact]
    public async Task TamperingWithOneAcademysChain_LeavesTheOtherValid()
    {
        var (tampered, entries) = await FiveEntryChainAsync();
        var (untouched, _) = await FiveEntryChainAsync();

        await TamperAsync(Bypass.ReplicaRole, tampered, "UPDATE consenthub.audit_entries SET actor = 'x' WHERE chain_id = $1 AND sequence = 1");

        AssertBrokenAt(await VerifyAsync(database, tampered), entries[0], AuditLinkProblem.ColumnDiffersFromPayload);
        Assert.True((await VerifyAsync(database, untouched)).IsValid);
    }
}
