using System.Data;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace ConsentHub.Audit;

/// <summary>What is wrong at the first link of a chain that does not hold.</summary>
public enum AuditLinkProblem
{
    /// <summary>The entry's sequence is not the one after its predecessor's: entries were removed (or added).</summary>
    SequenceGap,

    /// <summary>The entry's previous hash is not its predecessor's hash.</summary>
    PreviousHashMismatch,

    /// <summary>SHA-256(previous hash ‖ payload) is not the stored hash: the payload or a hash was changed.</summary>
    HashMismatch,

    /// <summary>A column (actor, action, at, …) says something other than the hashed payload.</summary>
    ColumnDiffersFromPayload,

    /// <summary>The payload is not an audit document this version understands.</summary>
    PayloadUnreadable,

    /// <summary>The chain head does not point at the last entry: entries at the end were removed, or the head was edited.</summary>
    HeadMismatch,
}

/// <summary>
/// Checks audit chains link by link from the stored columns alone: sequence 1, 2, 3… with no gap, each previous hash
/// equal to the predecessor's hash, each hash equal to SHA-256(previous hash ‖ payload), each column equal to what
/// the payload says, and the head on the last entry. Entries are read in pages in sequence order inside one
/// REPEATABLE READ snapshot, so a chain of millions is checked in constant memory while appends go on.
/// </summary>
public sealed class VerifyAuditChain(NpgsqlDataSource dataSource)
{
    private const int PageSize = 5_000;

    // Heads, plus chains that have entries but lost their head (found by skipping along the (chain_id, sequence) index).
    private const string ChainsSql = """
        WITH RECURSIVE entry_chains AS (
            (SELECT chain_id FROM consenthub.audit_entries ORDER BY chain_id LIMIT 1)
            UNION ALL
            SELECT (SELECT e.chain_id FROM consenthub.audit_entries e WHERE e.chain_id > c.chain_id ORDER BY e.chain_id LIMIT 1)
            FROM entry_chains c WHERE c.chain_id IS NOT NULL
        )
        SELECT chain_id FROM consenthub.audit_chain_heads
        UNION
        SELECT chain_id FROM entry_chains WHERE chain_id IS NOT NULL
        ORDER BY chain_id
        """;

    private const string HeadSql = "SELECT last_sequence, last_hash FROM consenthub.audit_chain_heads WHERE chain_id = $1";

    private const string PageSql = """
        SELECT id, sequence, at, actor, action, entity_type, entity_id, pupil_id, payload, previous_hash, hash
        FROM consenthub.audit_entries
        WHERE chain_id = $1 AND sequence > $2
        ORDER BY sequence
        LIMIT $3
        """;

    /// <param name="ChainId">One chain (an academy's id, or <see cref="AuditChain.Trust"/>); null: every chain.</param>
    public sealed record Request(Guid? ChainId = null);

    /// <summary>
    /// <see cref="EntriesChecked"/> counts the entries read, up to and including the one where the chain breaks
    /// (checking stops there: after a break nothing later can be trusted).
    /// </summary>
    public sealed record ChainResult(Guid ChainId, long EntriesChecked, BrokenLink? FirstBrokenLink)
    {
        public bool IsValid => FirstBrokenLink is null;
    }

    /// <summary>
    /// Where a chain breaks: the entry at which it was noticed (for a gap, the entry after the missing ones; for a
    /// head mismatch, the last entry, or none). <see cref="Detail"/> names the problem without quoting the data.
    /// </summary>
    public sealed record BrokenLink(long Sequence, long? EntryId, AuditLinkProblem Problem, string Detail);

    public async Task<IReadOnlyList<ChainResult>> HandleAsync(Request request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        List<Guid> chains;
        if (request.ChainId is { } one)
        {
            chains = [one];
        }
        else
        {
            chains = [];
            await using var cmd = new NpgsqlCommand(ChainsSql, connection);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) chains.Add(reader.GetGuid(0));
        }

        var results = new List<ChainResult>(chains.Count);
        foreach (var chainId in chains)
            results.Add(await VerifyAsync(connection, chainId, ct));
        return results;
    }

    private static async Task<ChainResult> VerifyAsync(NpgsqlConnection connection, Guid chainId, CancellationToken ct)
    {
        // One snapshot for the head and every page: appends committed meanwhile are simply not seen.
        await using var tx = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, tx))
            await readOnly.ExecuteNonQueryAsync(ct);

        (long Sequence, byte[] Hash)? head = null;
        await using (var cmd = new NpgsqlCommand(HeadSql, connection, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = chainId, NpgsqlDbType = NpgsqlDbType.Uuid });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct)) head = (reader.GetInt64(0), reader.GetFieldValue<byte[]>(1));
        }

        var checker = new LinkChecker(chainId);
        await using (var page = new NpgsqlCommand(PageSql, connection, tx))
        {
            var after = new NpgsqlParameter<long> { TypedValue = 0 };
            page.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = chainId, NpgsqlDbType = NpgsqlDbType.Uuid });
            page.Parameters.Add(after);
            page.Parameters.Add(new NpgsqlParameter<int> { TypedValue = PageSize });
            while (true)
            {
                var rows = 0;
                await using (var reader = await page.ExecuteReaderAsync(ct))
                {
                    while (await reader.ReadAsync(ct))
                    {
                        rows++;
                        var entry = new StoredEntry(
                            Id: reader.GetInt64(0),
                            Sequence: reader.GetInt64(1),
                            At: reader.GetFieldValue<DateTimeOffset>(2),
                            Actor: reader.GetString(3),
                            Action: reader.GetString(4),
                            EntityType: reader.IsDBNull(5) ? null : reader.GetString(5),
                            EntityId: reader.IsDBNull(6) ? null : reader.GetString(6),
                            PupilId: reader.IsDBNull(7) ? null : reader.GetGuid(7),
                            Payload: reader.GetString(8),
                            PreviousHash: reader.GetFieldValue<byte[]>(9),
                            Hash: reader.GetFieldValue<byte[]>(10));
                        // Stopping mid-page leaves at most a page unread, which the reader skips cheaply.
                        if (checker.Check(entry) is { } broken) return new ChainResult(chainId, checker.Checked, broken);
                        after.TypedValue = entry.Sequence;
                    }
                }
                if (rows < PageSize) break;
            }
        }
        await tx.CommitAsync(ct);
        return new ChainResult(chainId, checker.Checked, checker.CheckHead(head));
    }

    internal sealed record StoredEntry(
        long Id, long Sequence, DateTimeOffset At, string Actor, string Action, string? EntityType, string? EntityId,
        Guid? PupilId, string Payload, byte[] PreviousHash, byte[] Hash);

    /// <summary>Walks one chain in sequence order, remembering only the last good link.</summary>
    internal sealed class LinkChecker(Guid chainId)
    {
        private long _lastSequence;
        private long? _lastId;
        private byte[] _lastHash = AuditChain.GenesisHash();

        public long Checked { get; private set; }

        public BrokenLink? Check(StoredEntry e)
        {
            Checked++;
            var expected = _lastSequence + 1;
            if (e.Sequence != expected)
            {
                return Broken(e, AuditLinkProblem.SequenceGap, e.Sequence > expected
                    ? $"Expected sequence {expected} but found {e.Sequence}: {e.Sequence - expected} entr{(e.Sequence - expected == 1 ? "y is" : "ies are")} missing."
                    : $"Expected sequence {expected} but found {e.Sequence} again.");
            }
            if (!e.PreviousHash.AsSpan().SequenceEqual(_lastHash))
            {
                return Broken(e, AuditLinkProblem.PreviousHashMismatch, expected == 1
                    ? "The first entry's previous hash is not the genesis hash."
                    : $"Previous hash {Short(e.PreviousHash)} is not the hash {Short(_lastHash)} of sequence {_lastSequence}.");
            }
            var computed = AuditChain.ComputeHash(e.PreviousHash, e.Payload);
            if (!computed.AsSpan().SequenceEqual(e.Hash))
                return Broken(e, AuditLinkProblem.HashMismatch, $"Stored hash {Short(e.Hash)} but the payload hashes to {Short(computed)}.");
            if (ComparePayload(e) is { } problem) return problem;

            _lastSequence = e.Sequence;
            _lastId = e.Id;
            _lastHash = e.Hash;
            return null;
        }

        public BrokenLink? CheckHead((long Sequence, byte[] Hash)? head)
        {
            if (head is null)
            {
                return _lastSequence == 0
                    ? null
                    : new BrokenLink(_lastSequence, _lastId, AuditLinkProblem.HeadMismatch, "The chain has entries but no head.");
            }
            if (head.Value.Sequence != _lastSequence)
            {
                return new BrokenLink(_lastSequence, _lastId, AuditLinkProblem.HeadMismatch,
                    $"The head says the last sequence is {head.Value.Sequence} but the last entry is {_lastSequence}.");
            }
            if (!head.Value.Hash.AsSpan().SequenceEqual(_lastHash))
            {
                return new BrokenLink(_lastSequence, _lastId, AuditLinkProblem.HeadMismatch,
                    $"The head's hash {Short(head.Value.Hash)} is not the last entry's hash {Short(_lastHash)}.");
            }
            return null;
        }

        private BrokenLink? ComparePayload(StoredEntry e)
        {
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(e.Payload);
            }
            catch (JsonException)
            {
                return Broken(e, AuditLinkProblem.PayloadUnreadable, "The payload is not JSON.");
            }
            using (doc)
            {
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                    return Broken(e, AuditLinkProblem.PayloadUnreadable, "The payload is not a JSON object.");
                if (!root.TryGetProperty(PayloadKeys.Version, out var v) || v.ValueKind != JsonValueKind.Number
                    || !v.TryGetInt32(out var version) || version != AuditChain.PayloadVersion)
                {
                    return Broken(e, AuditLinkProblem.PayloadUnreadable, $"The payload is not version {AuditChain.PayloadVersion}.");
                }
                if (!root.TryGetProperty(PayloadKeys.Sequence, out var seq) || seq.ValueKind != JsonValueKind.Number
                    || !seq.TryGetInt64(out var payloadSequence) || payloadSequence != e.Sequence)
                {
                    return Differs(e, "sequence");
                }

                string? mismatch =
                    StringDiffers(root, PayloadKeys.Chain, chainId.ToString("D")) ? "chain_id"
                    : StringDiffers(root, PayloadKeys.At, AuditChain.FormatTime(e.At)) ? "at"
                    : StringDiffers(root, PayloadKeys.Actor, e.Actor) ? "actor"
                    : StringDiffers(root, PayloadKeys.Action, e.Action) ? "action"
                    : StringDiffers(root, PayloadKeys.EntityType, e.EntityType) ? "entity_type"
                    : StringDiffers(root, PayloadKeys.EntityId, e.EntityId) ? "entity_id"
                    : StringDiffers(root, PayloadKeys.PupilId, e.PupilId?.ToString("D")) ? "pupil_id"
                    : null;
                return mismatch is null ? null : Differs(e, mismatch);
            }
        }

        private static bool StringDiffers(JsonElement root, string key, string? column)
        {
            if (!root.TryGetProperty(key, out var value)) return true;
            return value.ValueKind switch
            {
                JsonValueKind.Null => column is not null,
                JsonValueKind.String => !string.Equals(value.GetString(), column, StringComparison.Ordinal),
                _ => true,
            };
        }

        private static BrokenLink Differs(StoredEntry e, string column) =>
            Broken(e, AuditLinkProblem.ColumnDiffersFromPayload, $"Column {column} differs from the hashed payload.");

        private static BrokenLink Broken(StoredEntry e, AuditLinkProblem problem, string detail) => new(e.Sequence, e.Id, problem, detail);

        private static string Short(byte[] hash) => Convert.ToHexStringLower(hash.AsSpan(0, Math.Min(6, hash.Length)));
    }
}
