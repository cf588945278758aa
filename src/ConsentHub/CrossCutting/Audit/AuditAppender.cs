using System.Data;
using Npgsql;
using NpgsqlTypes;

namespace ConsentHub.Audit;

/// <summary>An event waiting to join a chain. <see cref="At"/> null: stamp it when the chain head is locked.</summary>
internal readonly record struct PendingEntry(AuditEvent Event, DateTimeOffset? At);

/// <summary>
/// Appends events to one chain on a connection and transaction someone else owns: locks the chain head, links and
/// hashes the entries, inserts them and moves the head, in two round trips whatever the number of entries (three for a
/// chain's first entry, which creates the head).
/// Written once for both sync and async callers (the <c>async</c> flag), because the read log's fallback must
/// write from a synchronous method without blocking on async I/O.
/// </summary>
internal static class AuditAppender
{
    // Creating the head for a chain's first entry (then locking it): every appender to a chain queues on the head's
    // row lock until the holder's transaction ends, which is what makes sequences gap-free and the links true.
    // ON CONFLICT DO NOTHING waits for a concurrent first insert to commit or roll back, so exactly one head exists.
    private const string CreateHeadSql = """
        INSERT INTO consenthub.audit_chain_heads (chain_id, last_sequence, last_hash)
        VALUES ($1, 0, $2)
        ON CONFLICT (chain_id) DO NOTHING
        """;

    private const string LockHeadSql = """
        SELECT last_sequence, last_hash FROM consenthub.audit_chain_heads WHERE chain_id = $1 FOR UPDATE
        """;

    private const string InsertEntriesSql = """
        INSERT INTO consenthub.audit_entries
            (chain_id, sequence, at, actor, action, entity_type, entity_id, pupil_id, payload, previous_hash, hash)
        SELECT $1, u.* FROM unnest($2, $3, $4, $5, $6, $7, $8, $9, $10, $11) AS u
        """;

    private const string MoveHeadSql = """
        UPDATE consenthub.audit_chain_heads SET last_sequence = $2, last_hash = $3 WHERE chain_id = $1
        """;

    /// <summary>Appends <paramref name="entries"/> in order; returns the chain's new last sequence.</summary>
    /// <param name="tolerateBadData">
    /// For reads recorded in the background: data that cannot be written is replaced by a note saying so, rather
    /// than failing the whole batch again and again. A caller appending in its own transaction gets the exception.
    /// </param>
    public static async ValueTask<long> AppendAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        Guid chainId,
        IReadOnlyList<PendingEntry> entries,
        TimeProvider clock,
        bool tolerateBadData,
        bool async,
        CancellationToken cancellationToken)
    {
        if (entries.Count == 0) throw new ArgumentException("Nothing to append.", nameof(entries));

        // The chain's head almost always exists: lock it in one statement. Only a chain's very first entry creates
        // the head first (ON CONFLICT waits for a concurrent creator), then locks it. Creating it on every append
        // would queue each appender twice on the head's row lock: once in the INSERT, once in the SELECT.
        var head = await LockHeadAsync(connection, transaction, chainId, create: false, async, cancellationToken)
            ?? await LockHeadAsync(connection, transaction, chainId, create: true, async, cancellationToken)
            // Only under REPEATABLE READ or SERIALIZABLE, where a head created after the snapshot is invisible.
            ?? throw new InvalidOperationException("The audit chain head could not be locked. Append in a READ COMMITTED transaction.");
        var (lastSequence, lastHash) = head;
        if (lastHash.Length != AuditChain.HashLength)
            throw new InvalidOperationException($"The head of audit chain {chainId} holds a hash of {lastHash.Length} bytes.");

        // Stamped after the lock, so within a chain the time of appended changes never goes backwards.
        var now = AuditChain.Normalise(clock.GetUtcNow());
        var n = entries.Count;
        var sequences = new long[n];
        var times = new DateTimeOffset[n];
        var actors = new string[n];
        var actions = new string[n];
        var entityTypes = new string?[n];
        var entityIds = new string?[n];
        var pupilIds = new Guid?[n];
        var payloads = new string[n];
        var previousHashes = new byte[n][];
        var hashes = new byte[n][];
        var previous = lastHash;
        for (var i = 0; i < n; i++)
        {
            var e = entries[i].Event;
            var sequence = lastSequence + 1 + i;
            var at = AuditChain.Normalise(entries[i].At ?? now);
            var payload = Payload(chainId, sequence, at, e, tolerateBadData);
            var hash = AuditChain.ComputeHash(previous, payload);
            sequences[i] = sequence;
            times[i] = at;
            actors[i] = e.Actor;
            actions[i] = e.Action;
            entityTypes[i] = e.EntityType;
            entityIds[i] = e.EntityId;
            pupilIds[i] = e.PupilId;
            payloads[i] = payload;
            previousHashes[i] = previous;
            hashes[i] = hash;
            previous = hash;
        }

        var write = new NpgsqlBatch(connection, transaction);
        try
        {
            write.BatchCommands.Add(Command(InsertEntriesSql,
                Uuid(chainId),
                new NpgsqlParameter { Value = sequences, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint },
                new NpgsqlParameter { Value = times, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz },
                new NpgsqlParameter { Value = actors, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar },
                new NpgsqlParameter { Value = actions, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar },
                new NpgsqlParameter { Value = entityTypes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar },
                new NpgsqlParameter { Value = entityIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar },
                new NpgsqlParameter { Value = pupilIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid },
                new NpgsqlParameter { Value = payloads, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                new NpgsqlParameter { Value = previousHashes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea },
                new NpgsqlParameter { Value = hashes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea }));
            write.BatchCommands.Add(Command(MoveHeadSql,
                Uuid(chainId),
                new NpgsqlParameter<long> { TypedValue = lastSequence + n },
                Bytea(previous)));
            if (async) await write.ExecuteNonQueryAsync(cancellationToken);
            else write.ExecuteNonQuery();
        }
        finally
        {
            await DisposeAsync(write, async);
        }
        return lastSequence + n;
    }

    /// <summary>Locks the chain's head and reads it; with <paramref name="create"/>, creates it first if missing. Null: no head.</summary>
    private static async ValueTask<(long Sequence, byte[] Hash)?> LockHeadAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid chainId, bool create, bool async, CancellationToken cancellationToken)
    {
        var batch = new NpgsqlBatch(connection, transaction);
        try
        {
            if (create) batch.BatchCommands.Add(Command(CreateHeadSql, Uuid(chainId), Bytea(AuditChain.GenesisHash())));
            batch.BatchCommands.Add(Command(LockHeadSql, Uuid(chainId)));
            var reader = async ? await batch.ExecuteReaderAsync(cancellationToken) : batch.ExecuteReader();
            try
            {
                // The INSERT returns no rows; the reader starts on the SELECT's result.
                if (!(async ? await reader.ReadAsync(cancellationToken) : reader.Read())) return null;
                return (reader.GetInt64(0), reader.GetFieldValue<byte[]>(1));
            }
            finally
            {
                await DisposeAsync(reader, async);
            }
        }
        finally
        {
            await DisposeAsync(batch, async);
        }
    }

    /// <summary>Opens a connection, appends in its own READ COMMITTED transaction and commits.</summary>
    public static async ValueTask<long> AppendCommittedAsync(
        NpgsqlDataSource dataSource,
        Guid chainId,
        IReadOnlyList<PendingEntry> entries,
        TimeProvider clock,
        bool async,
        CancellationToken cancellationToken)
    {
        // No "await using": DisposeAsync can go asynchronous (a reader finishing its result, a connection going back
        // to the pool), and the synchronous caller must never wait on I/O it did not do synchronously.
        var connection = async ? await dataSource.OpenConnectionAsync(cancellationToken) : dataSource.OpenConnection();
        try
        {
            var transaction = async
                ? await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken)
                : connection.BeginTransaction(IsolationLevel.ReadCommitted);
            try
            {
                var last = await AppendAsync(connection, transaction, chainId, entries, clock, tolerateBadData: true, async, cancellationToken);
                if (async) await transaction.CommitAsync(cancellationToken);
                else transaction.Commit();
                return last;
            }
            finally
            {
                await DisposeAsync(transaction, async);
            }
        }
        finally
        {
            await DisposeAsync(connection, async);
        }
    }

    private static ValueTask DisposeAsync<T>(T disposable, bool async) where T : IDisposable, IAsyncDisposable
    {
        if (async) return disposable.DisposeAsync();
        disposable.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string Payload(Guid chainId, long sequence, DateTimeOffset at, AuditEvent e, bool tolerateBadData)
    {
        try
        {
            return AuditChain.CanonicalPayload(chainId, sequence, at, e);
        }
#pragma warning disable CA1031 // Whatever the data threw (a bad value, a dictionary changed while read), the read is still kept.
        catch (Exception ex) when (tolerateBadData)
#pragma warning restore CA1031
        {
            // Who did what, when, to which entity is still worth keeping; only the extra data is lost, and it says so.
            // Failing instead would fail the whole batch again on every retry.
            var note = new Dictionary<string, object?> { ["unrecordableData"] = ex.GetType().Name + ": " + ex.Message };
            return AuditChain.CanonicalPayload(chainId, sequence, at, e with { Data = note });
        }
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter<Guid> Uuid(Guid value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Uuid };

    private static NpgsqlParameter<byte[]> Bytea(byte[] value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Bytea };
}
