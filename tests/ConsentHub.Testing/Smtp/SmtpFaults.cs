using MimeKit;

namespace ConsentHub.Testing.Smtp;

public enum SmtpCommand
{
    /// <summary>A client connected; a reply here replaces the 220 greeting.</summary>
    Connect,
    Ehlo,
    Helo,
    MailFrom,
    RcptTo,

    /// <summary>The DATA command itself, before the client sends the content.</summary>
    Data,

    /// <summary>The content has arrived (the lone "." line); a reply here replaces "250 queued".</summary>
    DataEnd,
    Rset,
    Noop,
    Quit,
    Unknown,
}

/// <summary>What the sink is about to answer, for a fault rule to look at.</summary>
public sealed record SmtpCommandContext(
    int ConnectionId,
    SmtpCommand Command,
    string Argument,
    string? Address,
    string? EnvelopeFrom,
    IReadOnlyList<string> Recipients,
    int MessagesOnConnection,
    MimeMessage? Message);

/// <summary>An SMTP reply, or <see cref="Disconnect"/> to close the connection without one.</summary>
public sealed record SmtpReply(int Code, string Text)
{
    public static SmtpReply Disconnect { get; } = new(0, "");

    public bool IsDisconnect => Code == 0;

    public bool IsPositive => Code is >= 200 and < 400;

    public override string ToString() => IsDisconnect ? "(disconnect)" : $"{Code} {Text}";
}
