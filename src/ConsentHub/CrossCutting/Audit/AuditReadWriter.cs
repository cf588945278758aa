using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConsentHub.Audit;

/// <summary>
/// Writes the reads queued by <see cref="AuditLog.RecordRead"/>: a batch closes at
/// <see cref="AuditOptions.MaxBatchSize"/> reads or <see cref="AuditOptions.FlushInterval"/> after its first,
/// and is appended one transaction per chain, so a chain's head is locked once per batch rather than once per
/// read. On stop the queue is closed (later reads are written directly) and everything queued is written before
/// the host's shutdown deadline. A failed write is retried with backoff; reads are only lost, with an error logged,
/// when the deadline passes first or the process dies.
/// </summary>
public sealed partial class AuditReadWriter(
    AuditLog log,
    NpgsqlDataSource dataSource,
    TimeProvider clock,
    IOptions<AuditOptions> options,
    ILogger<AuditReadWriter> logger) : BackgroundService
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    private readonly AuditOptions _options = options.Value;
    private readonly SemaphoreSlim _drainGate = new(1, 1);

    /// <summary>
    /// Returns once every read recorded before the call is committed. While the writer runs it is asked to write
    /// its batch now; when it is not running (not started, or stopped) the queue is written on this thread.
    /// </summary>
    /// <exception cref="InvalidOperationException">Some reads could not be written (the database is unreachable).</exception>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        if (ExecuteTask is { IsCompleted: false } loop)
        {
            var marker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (await log.TryQueueFlushAsync(marker, cancellationToken))
            {
                await marker.Task.WaitAsync(cancellationToken);
                return;
            }
            // The queue is closed: the writer is draining it before it stops.
            await loop.WaitAsync(cancellationToken);
        }
        if (!await DrainAsync(cancellationToken))
            throw new InvalidOperationException("Some audit reads could not be written; see the log.");
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Closing first lets the loop write everything queued and end by itself, retrying failures until the
        // deadline; only then does base.StopAsync cancel it.
        log.CloseQueue();
        if (ExecuteTask is { } loop)
        {
            try
            {
                await loop.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Shutdown deadline: cancelling below makes the loop give up and log what it could not write.
            }
        }
        await base.StopAsync(cancellationToken);
        // Never started (the host failed to start after reads were recorded): nobody else will write them.
        if (ExecuteTask is null && !await DrainAsync(cancellationToken))
            throw new InvalidOperationException("Some audit reads could not be written; see the log.");
    }

    public override void Dispose()
    {
        _drainGate.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = log.Reads;
        var batch = new List<PendingEntry>(_options.MaxBatchSize);
        var markers = new List<TaskCompletionSource>();
        try
        {
            // Ends when the queue is closed (StopAsync) and empty.
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                await FillAsync(reader, batch, markers, stoppingToken);
                var written = await WriteAsync(batch, stoppingToken);
                Complete(markers, written);
                batch.Clear();
                markers.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Cancelled while idle: anything still queued is tried once more below.
        }
        await DrainAsync(stoppingToken);
    }

    /// <summary>Takes reads until the batch is full, the interval since its first read is over, a flush is asked for, or the queue closes.</summary>
    private async Task FillAsync(ChannelReader<QueuedRead> reader, List<PendingEntry> batch, List<TaskCompletionSource> markers, CancellationToken stoppingToken)
    {
        using var interval = new CancellationTokenSource(_options.FlushInterval, clock);
        using var linger = CancellationTokenSource.CreateLinkedTokenSource(interval.Token, stoppingToken);
        while (true)
        {
            while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var item))
            {
                if (item.FlushMarker is { } marker)
                {
                    markers.Add(marker);
                    return;
                }
                batch.Add(item.Entry);
            }
            if (batch.Count >= _options.MaxBatchSize) return;
            try
            {
                if (!await reader.WaitToReadAsync(linger.Token)) return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Writes what is queued on the calling thread; false if some reads could not be written.</summary>
    private async Task<bool> DrainAsync(CancellationToken cancellationToken)
    {
        await _drainGate.WaitAsync(CancellationToken.None);
        try
        {
            var allWritten = true;
            var batch = new List<PendingEntry>(_options.MaxBatchSize);
            var markers = new List<TaskCompletionSource>();
            while (true)
            {
                while (batch.Count < _options.MaxBatchSize && log.Reads.TryRead(out var item))
                {
                    if (item.FlushMarker is { } marker) markers.Add(marker);
                    else batch.Add(item.Entry);
                }
                if (batch.Count == 0 && markers.Count == 0) return allWritten;
                var written = await WriteAsync(batch, cancellationToken);
                Complete(markers, written);
                allWritten &= written;
                batch.Clear();
                markers.Clear();
            }
        }
        finally
        {
            _drainGate.Release();
        }
    }

    /// <summary>
    /// One transaction per chain, in the order the reads were recorded. A chain that fails is retried with backoff
    /// until it succeeds or <paramref name="giveUp"/> fires; then its reads are reported lost.
    /// </summary>
    private async Task<bool> WriteAsync(List<PendingEntry> batch, CancellationToken giveUp)
    {
        if (batch.Count == 0) return true;
        var byChain = new Dictionary<Guid, List<PendingEntry>>();
        foreach (var entry in batch)
        {
            var chainId = AuditChain.ChainFor(entry.Event.AcademyId);
            if (!byChain.TryGetValue(chainId, out var entries)) byChain[chainId] = entries = [];
            entries.Add(entry);
        }

        var remaining = byChain.Keys.ToList();
        for (var attempt = 1; ; attempt++)
        {
            var failed = new List<Guid>();
            Exception? error = null;
            foreach (var chainId in remaining)
            {
                try
                {
                    // Not cancellable: a half-written batch is rolled back anyway, and stopping must not lose it.
                    await AuditAppender.AppendCommittedAsync(dataSource, chainId, byChain[chainId], clock, async: true, CancellationToken.None);
                }
#pragma warning disable CA1031 // Any failure is retried; an exception escaping here would stop the host.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    failed.Add(chainId);
                    error = e;
                }
            }
            if (failed.Count == 0) return true;

            remaining = failed;
            var pending = failed.Sum(c => byChain[c].Count);
            var delay = TimeSpan.FromSeconds(Math.Min(MaxRetryDelay.TotalSeconds, Math.Pow(2, attempt - 1)));
            if (!giveUp.IsCancellationRequested)
            {
                LogRetrying(logger, error, pending, delay);
                try
                {
                    await Task.Delay(delay, clock, giveUp);
                    continue;
                }
                catch (OperationCanceledException)
                {
                }
            }
            LogLost(logger, error, pending);
            return false;
        }
    }

    private static void Complete(List<TaskCompletionSource> markers, bool written)
    {
        foreach (var marker in markers)
        {
            if (written) marker.TrySetResult();
            else marker.TrySetException(new InvalidOperationException("Some audit reads could not be written; see the log."));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write {Count} audit reads; retrying in {Delay}")]
    private static partial void LogRetrying(ILogger logger, Exception? exception, int count, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} audit reads could not be written before the writer had to give up (shutdown deadline or cancelled flush); they are lost")]
    private static partial void LogLost(ILogger logger, Exception? exception, int count);
}
