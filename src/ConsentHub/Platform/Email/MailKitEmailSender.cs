using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ConsentHub.Email;

/// <summary>
/// Sends through an SMTP server: one connection for the whole batch (connect and log in once), one reconnect
/// if the server drops it part-way. 4xx replies and connection trouble are transient, 5xx permanent.
/// </summary>
public sealed partial class MailKitEmailSender(IOptions<EmailOptions> options, ILogger<MailKitEmailSender> logger) : IEmailSender
{
    private const int ConnectionsPerBatch = 2;
    private const string NotAttempted = "Not attempted: the worker was stopping.";

    public async Task<IReadOnlyList<SendOutcome>> SendAsync(IReadOnlyList<MimeMessage> messages, CancellationToken cancellationToken = default)
    {
        var outcomes = new SendOutcome[messages.Count];
        if (messages.Count == 0) return outcomes;

        var settings = options.Value;
        using var client = new SmtpClient
        {
            Timeout = settings.Smtp.TimeoutSeconds * 1000,
            LocalDomain = settings.ResolveMessageIdDomain(),
        };
        var connections = 0;
        try
        {
            for (var i = 0; i < messages.Count; i++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    Fill(outcomes, i, SendOutcome.Transient(NotAttempted));
                    break;
                }
                if (!client.IsConnected)
                {
                    if (connections == ConnectionsPerBatch)
                    {
                        Fill(outcomes, i, SendOutcome.Transient("The SMTP connection was lost again after reconnecting; the rest of the batch waits for a later run."));
                        break;
                    }
                    connections++;
                    var refused = await TryConnectAsync(client, settings.Smtp, cancellationToken);
                    if (refused is not null)
                    {
                        Fill(outcomes, i, refused);
                        break;
                    }
                }
                outcomes[i] = await TrySendAsync(client, messages[i]);
                if (cancellationToken.IsCancellationRequested && outcomes[i].Status != SendStatus.Sent)
                {
                    Fill(outcomes, i + 1, SendOutcome.Transient(NotAttempted));
                    break;
                }
            }
        }
        finally
        {
            await QuitAsync(client);
        }
        return outcomes;
    }

    private async Task<SendOutcome?> TryConnectAsync(SmtpClient client, SmtpOptions smtp, CancellationToken cancellationToken)
    {
        try
        {
            await client.ConnectAsync(smtp.Host!, smtp.Port, ToSocketOptions(smtp.Security), cancellationToken);
            if (!string.IsNullOrEmpty(smtp.UserName))
                await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", cancellationToken);
            return null;
        }
        catch (AuthenticationException e)
        {
            // The server or the settings are at fault, not the messages: retried like any other outage.
            LogConnectFailed(logger, smtp.Host!, smtp.Port, e.GetType().Name, SendErrors.Clean(e.Message));
            return SendOutcome.Transient($"SMTP login failed: {e.Message}");
        }
        catch (SmtpCommandException e)
        {
            LogConnectFailed(logger, smtp.Host!, smtp.Port, e.GetType().Name, SendErrors.Clean(e.Message));
            return SendOutcome.Transient($"The SMTP server refused the session: {(int)e.StatusCode} {e.Message}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return SendOutcome.Transient(NotAttempted);
        }
        catch (Exception e) when (IsConnectionFailure(e, cancellationToken))
        {
            LogConnectFailed(logger, smtp.Host!, smtp.Port, e.GetType().Name, SendErrors.Clean(e.Message));
            return SendOutcome.Transient($"Could not connect to the SMTP server: {e.GetType().Name}: {e.Message}");
        }
    }

    private async Task<SendOutcome> TrySendAsync(SmtpClient client, MimeMessage message)
    {
        try
        {
            // Never cancelled part-way: a message cut off after its DATA may have been accepted, and sending it again
            // would deliver it twice. Cancellation stops the batch between messages; the client's timeout bounds this one.
            await client.SendAsync(message, CancellationToken.None);
            return SendOutcome.Sent;
        }
        catch (SmtpCommandException e)
        {
            // MailKit resets the transaction after a refused command, so the connection carries on.
            var code = (int)e.StatusCode;
            LogRefused(logger, message.MessageId, code, e.ErrorCode);
            var error = $"{code} {e.ErrorCode}: {e.Message}";
            return code >= 500 ? SendOutcome.Permanent(error) : SendOutcome.Transient(error);
        }
        catch (Exception e) when (IsConnectionFailure(e, CancellationToken.None))
        {
            // Whether the server kept the message is unknown; sending it again later with the same Message-ID
            // is the safer side.
            LogConnectionLost(logger, message.MessageId, e.GetType().Name);
            await DropAsync(client);
            return SendOutcome.Transient($"The SMTP connection failed while sending: {e.GetType().Name}: {e.Message}");
        }
    }

    private static bool IsConnectionFailure(Exception e, CancellationToken cancellationToken) => e switch
    {
        IOException or SocketException or TimeoutException or SmtpProtocolException or SslHandshakeException
            or ServiceNotConnectedException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    private static SecureSocketOptions ToSocketOptions(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };

    private static void Fill(SendOutcome[] outcomes, int from, SendOutcome outcome)
    {
        for (var i = from; i < outcomes.Length; i++) outcomes[i] = outcome;
    }

    private static async Task DropAsync(SmtpClient client)
    {
        if (!client.IsConnected) return;
        try
        {
            await client.DisconnectAsync(quit: false);
        }
        catch (Exception e) when (IsConnectionFailure(e, CancellationToken.None))
        {
        }
    }

    private static async Task QuitAsync(SmtpClient client)
    {
        if (!client.IsConnected) return;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await client.DisconnectAsync(quit: true, timeout.Token);
        }
        catch (Exception e) when (IsConnectionFailure(e, CancellationToken.None) || e is OperationCanceledException or SmtpCommandException)
        {
            // The batch is done; a server that will not say goodbye changes nothing.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not open an SMTP session with {Host}:{Port}: {ErrorType}: {Error}")]
    private static partial void LogConnectFailed(ILogger logger, string host, int port, string errorType, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMTP server refused message {MessageId}: {StatusCode} {ErrorCode}")]
    private static partial void LogRefused(ILogger logger, string? messageId, int statusCode, SmtpErrorCode errorCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMTP connection lost while sending message {MessageId} ({ErrorType})")]
    private static partial void LogConnectionLost(ILogger logger, string? messageId, string errorType);
}
