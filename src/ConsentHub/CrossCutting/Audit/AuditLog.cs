using System.Threading.Channels;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConsentHub.Audit;

/// <summary>A read waiting for <see cref="AuditReadWriter"/>, or (with <see cref="FlushMarker"/>) a flush request.</summary>
internal readonly record struct QueuedRead(PendingEntry Entry, TaskCompletionSource? FlushMarker);

/// <summary>
/// The audit log. Changes are appended in the caller's transaction; reads go through a bounded queue that
/// <see cref="AuditReadWriter"/> writes in batches. See README.md in this folder.
/// </summary>
public sealed partial class AuditLog : IAuditLog
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _clock;
    private readonly AuditOptions _options;
    private readonly ILogger<AuditLog> _logger;
    private readonly Channel<QueuedRead> _reads;
    private long _directWrites;

    public AuditLog(NpgsqlDataSource dataSource, TimeProvider clock, IOptions<AuditOptions> options, ILogger<AuditLog> logger)
    {
        _dataSource = dataSource;
        _clock = clock;
        _options = options.Value;
        _logger = logger;
        _reads = Channel.CreateBounded<QueuedRead>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });
    }

    /// <summary>Reads written on the request thread because the queue was full or closed (see <see cref="RecordRead"/>).</summary>
    public long DirectWrites => Interlocked.Read(ref _directWrites);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">No transaction has been begun on <paramref name="db"/>.</exception>
    public async Task AppendAsync(ConsentHubDbContext db, AuditEvent auditEvent, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        AuditChain.Validate(auditEvent);
        if (db.Database.CurrentTransaction?.GetDbTransaction() is not NpgsqlTransaction { Connection: { } connection } transaction)
        {
            throw new InvalidOperationException(
                "AuditLog.AppendAsync needs a transaction on the DbContext (db.Database.BeginTransactionAsync()), so the change " +
                "and its audit entry commit or roll back together.");
        }
        await AuditAppender.AppendAsync(connection, transaction, AuditChain.ChainFor(auditEvent.AcademyId),
            [new PendingEntry(auditEvent, null)], _clock, tolerateBadData: false, async: true, ct);
    }

    /// <summary>
    /// Queues the read, stamped with the time now, for <see cref="AuditReadWriter"/>. Never drops it: when the
    /// queue is full the caller blocks for up to <see cref="AuditOptions.FullQueueWait"/> for room, and if there is
    /// still none (or the writer has stopped) writes the read itself, synchronously, in its own transaction. A
    /// request is slowed, or fails if the database is down, rather than left unaudited. The event's data is
    /// serialised later, by the writer: do not change the dictionary after recording it.
    /// </summary>
    /// <exception cref="ArgumentException">The event cannot be stored (see <see cref="AuditChain.Validate"/>).</exception>
    public void RecordRead(AuditEvent auditEvent)
    {
        AuditChain.Validate(auditEvent);
        var read = new QueuedRead(new PendingEntry(auditEvent, _clock.GetUtcNow()), null);
        if (_reads.Writer.TryWrite(read) || WaitForRoom(read)) return;
        WriteDirectly(read.Entry);
    }

    internal ChannelReader<QueuedRead> Reads => _reads.Reader;

    /// <summary>From here on reads are written directly; the writer drains what is queued and stops.</summary>
    internal void CloseQueue() => _reads.Writer.TryComplete();

    /// <summary>Queues a marker behind every read queued so far; false if the queue is closed.</summary>
    internal async ValueTask<bool> TryQueueFlushAsync(TaskCompletionSource marker, CancellationToken ct)
    {
        try
        {
            await _reads.Writer.WriteAsync(new QueuedRead(default, marker), ct);
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    private bool WaitForRoom(QueuedRead read)
    {
        if (_options.FullQueueWait <= TimeSpan.Zero) return false;
        using var timeout = new CancellationTokenSource(_options.FullQueueWait, _clock);
        try
        {
            // Blocking the request thread is the point: it is back-pressure while the writer catches up. The wait
            // is short and bounded; after it the read is written directly.
            while (_reads.Writer.WaitToWriteAsync(timeout.Token).AsTask().GetAwaiter().GetResult())
            {
                if (_reads.Writer.TryWrite(read)) return true;
            }
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void WriteDirectly(PendingEntry entry)
    {
        var count = Interlocked.Increment(ref _directWrites);
        // One line per thousand: a full queue at peak would otherwise flood the log.
        if (count % 1000 == 1) LogDirectWrite(_logger, count);
        var chainId = AuditChain.ChainFor(entry.Event.AcademyId);
        var write = AuditAppender.AppendCommittedAsync(_dataSource, chainId, [entry], _clock, async: false, CancellationToken.None);
        if (!write.IsCompleted) throw new InvalidOperationException("A synchronous audit write did not complete synchronously.");
        write.GetAwaiter().GetResult();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit read queue full or closed: reads are being written on the request thread ({Count} so far)")]
    private static partial void LogDirectWrite(ILogger logger, long count);
}
