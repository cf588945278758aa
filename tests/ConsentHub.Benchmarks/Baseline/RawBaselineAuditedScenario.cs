using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using ConsentHub.Benchmarks.App;
using Npgsql;
using NpgsqlTypes;

namespace ConsentHub.Benchmarks.Baseline;

/// <summary>
/// The fair floor for the check API: the same work a check must do and nothing else, in raw Npgsql on bare
/// Kestrel. It looks the API key up by the SHA-256 of its secret (cached for 30 s, as ours is), reads the same
/// facts row of the large trust, and appends one hash-chained audit row per read the way ours does: queued, and
/// written by one writer in batched transactions right after the answer (the same durability as ConsentHub's
/// batched check reads). Whatever the real host costs beyond this is what our pipeline adds.
/// </summary>
public sealed class RawBaselineAuditedScenario : IScenario
{
    private static readonly TimeSpan KeyCacheFor = TimeSpan.FromSeconds(30);

    private NpgsqlDataSource? _dataSource;
    private WebApplication? _app;
    private Channel<(Guid Pupil, Guid Key, DateTimeOffset At)>? _queue;
    private Task? _writer;
    private readonly ConcurrentDictionary<string, (KeyRow? Row, DateTimeOffset Until)> _keys = new(StringComparer.Ordinal);

    private sealed record KeyRow(Guid Id, byte[] SecretHash, bool Revoked);

    public string Name => "raw-baseline-audited";

    public string Description =>
        "GET /raw-audited/{id} on the large trust: API key by hash (cached), the facts row, one batched hash-chained audit row";

    public async Task<WrkTarget> SetupAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var large = await LargeTrust.GetAsync(context, cancellationToken);
        _dataSource = NpgsqlDataSource.Create(large.ConnectionString);
        await using (var create = _dataSource.CreateCommand("""
            DROP TABLE IF EXISTS public.raw_audit;
            CREATE TABLE public.raw_audit (
                id        bigserial PRIMARY KEY,
                at        timestamptz NOT NULL,
                actor     uuid NOT NULL,
                pupil_id  uuid NOT NULL,
                prev_hash bytea NOT NULL,
                hash      bytea NOT NULL
            );
            """))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        _queue = Channel.CreateUnbounded<(Guid, Guid, DateTimeOffset)>(new UnboundedChannelOptions { SingleReader = true });
        _writer = Task.Run(() => WriteAuditAsync(_dataSource, _queue.Reader), CancellationToken.None);

        var builder = LoopbackServer.CreateBuilder();
        _app = builder.Build();
        _app.MapGet("/raw-audited/{id:guid}", CheckAsync);
        var url = await LoopbackServer.StartAsync(_app, cancellationToken);

        var ids = large.Trust.Pupils.Where(p => p.LeftOn is null).Select(p => p.Id.ToString()).ToList();
        var headers = new Dictionary<string, string> { ["X-Api-Key"] = large.ApiKey };
        return new WrkTarget(url, WrkScript.RandomListRequest("/raw-audited/", ids, "", headers));
    }

    private async Task<IResult> CheckAsync(Guid id, HttpContext http)
    {
        var ct = http.RequestAborted;
        var presented = http.Request.Headers["X-Api-Key"].ToString();
        // "chk_<prefix>_<secret>"
        var parts = presented.Split('_', 3);
        if (parts is not ["chk", var prefix, var secret]) return Results.Unauthorized();

        var now = DateTimeOffset.UtcNow;
        if (!_keys.TryGetValue(prefix, out var cached) || cached.Until < now)
        {
            await using var keyCmd = _dataSource!.CreateCommand(
                "SELECT id, secret_hash, revoked_at IS NOT NULL FROM consenthub.api_keys WHERE prefix = $1");
            keyCmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = prefix });
            await using var r = await keyCmd.ExecuteReaderAsync(ct);
            cached = (await r.ReadAsync(ct) ? new KeyRow(r.GetGuid(0), (byte[])r[1], r.GetBoolean(2)) : null, now + KeyCacheFor);
            _keys[prefix] = cached;
        }
        if (cached.Row is not { Revoked: false } key
            || !CryptographicOperations.FixedTimeEquals(key.SecretHash, SHA256.HashData(Encoding.UTF8.GetBytes(secret))))
            return Results.Unauthorized();

        await using var cmd = _dataSource!.CreateCommand(
            "SELECT facts::text FROM consenthub.pupil_consent_facts WHERE pupil_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        var facts = await cmd.ExecuteScalarAsync(ct) as string;
        if (facts is null) return Results.NotFound();
        _queue!.Writer.TryWrite((id, key.Id, now));
        return Results.Text(facts, "application/json");
    }

    /// <summary>One writer: up to 500 queued reads per transaction, each row's hash chained to the one before.</summary>
    private static async Task WriteAuditAsync(NpgsqlDataSource dataSource, ChannelReader<(Guid Pupil, Guid Key, DateTimeOffset At)> reader)
    {
        var previous = new byte[32];
        var batch = new List<(Guid Pupil, Guid Key, DateTimeOffset At)>(500);
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < 500 && reader.TryRead(out var item)) batch.Add(item);
            var at = new DateTime[batch.Count];
            var actors = new Guid[batch.Count];
            var pupils = new Guid[batch.Count];
            var prevs = new byte[batch.Count][];
            var hashes = new byte[batch.Count][];
            for (var i = 0; i < batch.Count; i++)
            {
                at[i] = batch[i].At.UtcDateTime;
                actors[i] = batch[i].Key;
                pupils[i] = batch[i].Pupil;
                prevs[i] = previous;
                previous = SHA256.HashData([.. previous, .. batch[i].Pupil.ToByteArray(), .. batch[i].Key.ToByteArray(),
                    .. BitConverter.GetBytes(batch[i].At.UtcTicks)]);
                hashes[i] = previous;
            }
            await using var conn = await dataSource.OpenConnectionAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await using (var insert = new NpgsqlCommand("""
                INSERT INTO public.raw_audit (at, actor, pupil_id, prev_hash, hash)
                SELECT * FROM unnest($1, $2, $3, $4, $5)
                """, conn, tx))
            {
                insert.Parameters.Add(new NpgsqlParameter { Value = at, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
                insert.Parameters.Add(new NpgsqlParameter { Value = actors });
                insert.Parameters.Add(new NpgsqlParameter { Value = pupils });
                insert.Parameters.Add(new NpgsqlParameter { Value = prevs, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
                insert.Parameters.Add(new NpgsqlParameter { Value = hashes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
                await insert.ExecuteNonQueryAsync();
            }
            await tx.CommitAsync();
        }
    }

    public async Task TeardownAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
        _queue?.Writer.TryComplete();
        if (_writer is not null) await _writer;
        if (_dataSource is not null)
        {
            await using (var count = _dataSource.CreateCommand("SELECT count(*) FROM public.raw_audit"))
                Console.WriteLine($"  raw-baseline-audited wrote {await count.ExecuteScalarAsync()} audit rows");
            await _dataSource.DisposeAsync();
            _dataSource = null;
        }
    }
}
