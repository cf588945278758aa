using MimeKit;

namespace ConsentHub.Email;

/// <summary>
/// Sends ready-made messages. Only the outbox job calls this: features write outbox rows
/// (<see cref="OutboxWriter"/>) and never send directly.
/// </summary>
public interface IEmailSender
{
    /// <summary>
    /// Sends <paramref name="messages"/> over one connection and reports one outcome per message, in the same
    /// order. Failures are reported, not thrown. Cancellation stops the batch between messages (a message already on
    /// the wire is finished, so its outcome is known and it is never sent twice): messages not sent by then are
    /// reported as transient failures, so what did go out is still recorded.
    /// </summary>
    Task<IReadOnlyList<SendOutcome>> SendAsync(IReadOnlyList<MimeMessage> messages, CancellationToken cancellationToken = default);
}

public enum SendStatus
{
    Sent,

    /// <summary>Worth trying again later: an SMTP 4xx reply, a lost or refused connection, a timeout.</summary>
    TransientFailure,

    /// <summary>Trying again will not help: an SMTP 5xx reply, or a message that cannot be built.</summary>
    PermanentFailure,
}

/// <param name="Error">What went wrong, for the outbox row: SMTP code and the server's words, addresses masked.</param>
public sealed record SendOutcome(SendStatus Status, string? Error = null)
{
    public static SendOutcome Sent { get; } = new(SendStatus.Sent);

    public static SendOutcome Transient(string error) => new(SendStatus.TransientFailure, SendErrors.Clean(error));

    public static SendOutcome Permanent(string error) => new(SendStatus.PermanentFailure, SendErrors.Clean(error));
}
