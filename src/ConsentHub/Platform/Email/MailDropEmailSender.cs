using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ConsentHub.Email;

/// <summary>
/// The development default: every message becomes <c>{pickup}/{yyyyMMddTHHmmssfffZ}-{message-id}.eml</c>, readable
/// in any mail program and on the /dev/mail page. Nothing leaves the machine.
/// </summary>
public sealed partial class MailDropEmailSender(IOptions<EmailOptions> options, TimeProvider clock, ILogger<MailDropEmailSender> logger) : IEmailSender
{
    private int _announced;

    public async Task<IReadOnlyList<SendOutcome>> SendAsync(IReadOnlyList<MimeMessage> messages, CancellationToken cancellationToken = default)
    {
        var outcomes = new SendOutcome[messages.Count];
        if (messages.Count == 0) return outcomes;

        var folder = options.Value.ResolvePickupDirectory();
        if (Interlocked.Exchange(ref _announced, 1) == 0)
            LogMailDrop(logger, folder);

        for (var i = 0; i < messages.Count; i++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                outcomes[i] = SendOutcome.Transient("Not attempted: the worker was stopping.");
                continue;
            }
            try
            {
                Directory.CreateDirectory(folder);
                var path = Path.Combine(folder, MailDrop.FileName(clock.GetUtcNow(), messages[i].MessageId));
                // Write beside, then rename: the page never reads a half-written file.
                var partial = path + ".partial";
                await using (var file = File.Create(partial))
                    await messages[i].WriteToAsync(file, CancellationToken.None);
                File.Move(partial, path, overwrite: true);
                outcomes[i] = SendOutcome.Sent;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                outcomes[i] = SendOutcome.Transient($"Could not write to the mail drop: {e.Message}");
            }
        }
        return outcomes;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email:Smtp:Host is not set: mail is written to {Folder} and not delivered.")]
    private static partial void LogMailDrop(ILogger logger, string folder);
}
