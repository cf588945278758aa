using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ConsentHub.Checks;

/// <summary>
/// What changed, as far as an open check needs to know: an academy's pupils (some, or all of them), or
/// everything (a posting pause changed, or notifications may have been missed while the database was away).
/// Only ids: the notification names nobody.
/// </summary>
public sealed record ConsentChange(Guid? AcademyId, IReadOnlySet<Guid>? PupilIds)
{
    public static readonly ConsentChange Everything = new(null, null);

    /// <summary>True when a view of <paramref name="academyId"/> showing <paramref name="shown"/> may be out of date.</summary>
    public bool Affects(Guid academyId, IReadOnlyCollection<Guid> shown)
    {
        ArgumentNullException.ThrowIfNull(shown);
        if (AcademyId is null) return true;
        if (AcademyId != academyId) return false;
        return PupilIds is null || shown.Any(PupilIds.Contains);
    }

    /// <summary>Reads a payload of the <c>consent_changed</c> channel; null for one this version does not know.</summary>
    public static ConsentChange? Parse(string payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (payload == "pauses") return Everything;
        if (payload.StartsWith("a:", StringComparison.Ordinal) && Guid.TryParse(payload.AsSpan(2), out var academy))
            return new ConsentChange(academy, null);
        if (payload.StartsWith("p:", StringComparison.Ordinal) && payload.Length > 39 && payload[38] == ':'
            && Guid.TryParse(payload.AsSpan(2, 36), out academy))
        {
            var ids = new HashSet<Guid>();
            foreach (var part in payload[39..].Split(','))
            {
                if (!Guid.TryParse(part, out var id)) return null;
                ids.Add(id);
            }
            return new ConsentChange(academy, ids);
        }
        return null;
    }
}

/// <summary>
/// Fans changes out to the open checks of this app instance. <see cref="ConsentChangeListener"/> publishes what
/// PostgreSQL announces (from any instance); a card or grid subscribes for its academy while it is open and
/// disposes the subscription when it closes. Handlers run on the listener's thread and must only schedule work
/// (a component calls InvokeAsync).
/// </summary>
public sealed partial class ConsentChangeNotifications(ILogger<ConsentChangeNotifications> logger)
{
    /// <summary>The PostgreSQL channel the triggers of the check read model notify.</summary>
    public const string Channel = "consent_changed";

    private readonly ConcurrentDictionary<Subscription, byte> _subscriptions = new();

    public int SubscriberCount => _subscriptions.Count;

    /// <summary>Calls <paramref name="onChange"/> for every change that may concern <paramref name="academyId"/>.</summary>
    public IDisposable Subscribe(Guid academyId, Action<ConsentChange> onChange)
    {
        ArgumentNullException.ThrowIfNull(onChange);
        var subscription = new Subscription(this, academyId, onChange);
        _subscriptions.TryAdd(subscription, 0);
        return subscription;
    }

    public void Publish(ConsentChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        foreach (var subscription in _subscriptions.Keys)
        {
            if (change.AcademyId is { } academy && academy != subscription.AcademyId) continue;
            try
            {
                subscription.OnChange(change);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogHandlerFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An open check failed to take a consent change.")]
    private static partial void LogHandlerFailed(ILogger logger, Exception ex);

    private sealed class Subscription(ConsentChangeNotifications owner, Guid academyId, Action<ConsentChange> onChange) : IDisposable
    {
        public Guid AcademyId { get; } = academyId;
        public Action<ConsentChange> OnChange { get; } = onChange;

        public void Dispose() => owner._subscriptions.TryRemove(this, out _);
    }
}
