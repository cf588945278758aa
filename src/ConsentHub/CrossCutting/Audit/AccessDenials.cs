using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ConsentHub.Audit;

/// <summary>Settings under "Audit:Denials": how many denials one caller may have written a minute, and all callers together.</summary>
public sealed class AccessDenialOptions
{
    public const string Section = "Audit:Denials";

    /// <summary>Denials written per caller (a member of staff, an API key, or an address when anonymous) per minute.</summary>
    public int PerCallerPerMinute { get; set; } = 30;

    /// <summary>Denials written per minute in all, so many addresses at once cannot fill the audit table either.</summary>
    public int PerMinute { get; set; } = 600;

    internal static bool IsValid(AccessDenialOptions o) => o.PerCallerPerMinute is >= 1 and <= 10_000 && o.PerMinute >= o.PerCallerPerMinute && o.PerMinute <= 100_000;
}

/// <summary>
/// One way every denial reaches the audit chain: a 403, a 401 (no or a bad API key), a not-found for an id outside
/// the caller's scope (pages, the API, a check). Each is written as a batched read, up to
/// <see cref="AccessDenialOptions.PerCallerPerMinute"/> per caller per minute and
/// <see cref="AccessDenialOptions.PerMinute"/> in all; past that they are counted, and one
/// <c>access.denials-suppressed</c> entry per caller says how many were left out of that minute, so a flood is on
/// record but cannot fill the table. Callers are never told their denial went unwritten.
/// </summary>
public sealed class AccessDenials(IAuditLog audit, TimeProvider clock, IOptions<AccessDenialOptions> options)
{
    public const string Denied = "access.denied";
    public const string NotFound = "access.not-found";
    public const string Unauthenticated = "access.unauthenticated";
    public const string Suppressed = "access.denials-suppressed";

    /// <summary>The audit log denials are written to.</summary>
    public IAuditLog Audit => audit;

    private readonly ConcurrentDictionary<string, Window> _callers = new(StringComparer.Ordinal);
    private readonly Lock _totalLock = new();
    private long _totalMinute = -1;
    private int _totalWritten;

    private sealed class Window
    {
        public long Minute;
        public int Written;
        public int Suppressed;
    }

    /// <summary>Set for the span of an HTTP request, so the request's own end can tell whether a denial was already recorded.</summary>
    public static readonly AsyncLocal<RequestDenials?> CurrentRequest = new();

    /// <summary>Marks that a denial was recorded during the current request.</summary>
    public sealed class RequestDenials
    {
        public bool Recorded { get; internal set; }
    }

    /// <param name="caller">Whom the limit counts against: the actor, or for anonymous callers their address.</param>
    /// <returns>True if an entry was written (queued); false if it was only counted.</returns>
    public bool Record(AuditEvent denial, string caller)
    {
        ArgumentNullException.ThrowIfNull(denial);
        if (CurrentRequest.Value is { } request) request.Recorded = true;
        var minute = clock.GetUtcNow().ToUnixTimeSeconds() / 60;
        SweepEndedWindows(minute);

        var window = _callers.GetOrAdd(caller, _ => new Window { Minute = minute });
        bool write;
        lock (window)
        {
            if (window.Minute != minute) FlushWindow(caller, window, minute);
            write = window.Written < options.Value.PerCallerPerMinute && TakeFromTotal(minute);
            if (write) window.Written++;
            else window.Suppressed++;
        }
        if (write) audit.RecordRead(denial);
        return write;
    }

    /// <summary>Writes the counts of minutes that have ended (also called by each denial; tests and a timer may call it).</summary>
    public void SweepEndedWindows() => SweepEndedWindows(clock.GetUtcNow().ToUnixTimeSeconds() / 60);

    /// <summary>Writes every count still open, ended or not (the app is stopping).</summary>
    public void SweepAll() => SweepEndedWindows(long.MaxValue);

    private void SweepEndedWindows(long minute)
    {
        foreach (var (caller, window) in _callers)
        {
            if (window.Minute == minute) continue;
            lock (window)
            {
                if (window.Minute == minute) continue;
                FlushWindow(caller, window, minute);
                if (window.Written == 0 && window.Suppressed == 0) _callers.TryRemove(new KeyValuePair<string, Window>(caller, window));
            }
        }
    }

    /// <summary>Called under the window's lock: reports what the ended minute left out, and starts <paramref name="minute"/>.</summary>
    private void FlushWindow(string caller, Window window, long minute)
    {
        if (window.Suppressed > 0)
        {
            audit.RecordRead(new AuditEvent(null, caller.StartsWith("ip:", StringComparison.Ordinal) ? "anonymous" : caller, Suppressed, "Caller", Truncate(caller),
                Data: new Dictionary<string, object?>
                {
                    ["count"] = window.Suppressed,
                    ["minute"] = DateTimeOffset.FromUnixTimeSeconds(window.Minute * 60).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                }));
        }
        window.Minute = minute;
        window.Written = 0;
        window.Suppressed = 0;
    }

    private bool TakeFromTotal(long minute)
    {
        lock (_totalLock)
        {
            if (_totalMinute != minute)
            {
                _totalMinute = minute;
                _totalWritten = 0;
            }
            if (_totalWritten >= options.Value.PerMinute) return false;
            _totalWritten++;
            return true;
        }
    }

    private static string Truncate(string s) => s.Length <= AuditChain.MaxEntityIdLength ? s : s[..AuditChain.MaxEntityIdLength];
}

/// <summary>
/// Writes the suppressed-denial counts of ended minutes even when no further denial comes, and all of them on stop.
/// A host registers it after AddConsentHubAudit, so it stops before the read writer and its last counts are written.
/// </summary>
public sealed class AccessDenialSweep(AccessDenials denials, TimeProvider clock) : Microsoft.Extensions.Hosting.BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(20), clock, stoppingToken);
                denials.SweepEndedWindows();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        denials.SweepAll();
    }
}
