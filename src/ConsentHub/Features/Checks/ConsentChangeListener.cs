using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ConsentHub.Checks;

/// <summary>Where the listener connects: its own connection, outside the pool (a pooled connection is never left LISTENing).</summary>
public sealed record ConsentChangeListenerOptions(string ConnectionString)
{
    /// <summary>How long to wait before the first reconnection; doubled up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often an idle connection is checked, so a dead one is noticed and replaced.</summary>
    public TimeSpan IdleCheck { get; init; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// One per app instance: LISTENs on <see cref="ConsentChangeNotifications.Channel"/> on a dedicated connection and
/// publishes each notification to this instance's open checks. A lost connection is logged and re-opened with
/// backoff; after a reconnection every open check re-reads (anything announced meanwhile was missed). A posting
/// pause notification also drops the reference cache, so the re-read sees the pause at once.
/// </summary>
public sealed partial class ConsentChangeListener(
    ConsentChangeListenerOptions options,
    ConsentChangeNotifications notifications,
    ConsentReferenceCache reference,
    ILogger<ConsentChangeListener> logger) : BackgroundService
{
    public const string ApplicationName = "consenthub-live-checks";

    private TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The server process of the current connection (tests end it to prove the listener comes back).</summary>
    public int? BackendProcessId { get; private set; }

    /// <summary>How many times the connection was re-opened after being lost.</summary>
    public int Reconnections { get; private set; }

    /// <summary>Completes once LISTEN is in place on the current connection.</summary>
    public Task WaitUntilListeningAsync(CancellationToken ct = default) => _listening.Task.WaitAsync(ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = options.FirstRetryDelay;
        var connectedBefore = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(options.ConnectionString)
                {
                    Pooling = false,
                    ApplicationName = ApplicationName,
                    KeepAlive = (int)Math.Max(1, options.IdleCheck.TotalSeconds),
                }.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => OnNotification(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {ConsentChangeNotifications.Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                BackendProcessId = connection.ProcessID;
                if (connectedBefore)
                {
                    Reconnections++;
                    LogReconnected(logger);
                    // Whatever was announced while we were away is lost: every open check re-reads.
                    reference.Invalidate();
                    notifications.Publish(ConsentChange.Everything);
                }
                connectedBefore = true;
                delay = options.FirstRetryDelay;
                _listening.TrySetResult();

                while (!stoppingToken.IsCancellationRequested)
                {
                    if (!await connection.WaitAsync(options.IdleCheck, stoppingToken))
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteScalarAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                BackendProcessId = null;
                if (_listening.Task.IsCompleted) _listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                LogConnectionLost(logger, delay.TotalSeconds, ex);
                try
                {
                    await Task.Delay(delay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxRetryDelay.Ticks));
            }
        }
    }

    private void OnNotification(string payload)
    {
        var change = ConsentChange.Parse(payload);
        if (change is null)
        {
            LogUnknownPayload(logger);
            return;
        }
        if (change.AcademyId is null) reference.Invalidate();
        notifications.Publish(change);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live checks lost their database connection; trying again in {DelaySeconds} s.")]
    private static partial void LogConnectionLost(ILogger logger, double delaySeconds, Exception ex);

    [LoggerMessage(Level = LogLevel.Information, Message = "Live checks reconnected to the database; open checks re-read.")]
    private static partial void LogReconnected(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live checks ignored a notification in a form this version does not know.")]
    private static partial void LogUnknownPayload(ILogger logger);
}
