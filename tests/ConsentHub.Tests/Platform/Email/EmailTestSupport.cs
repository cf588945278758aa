using ConsentHub.Email;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ConsentHub.Tests.Email;

/// <summary>Small builders for the email tests.</summary>
internal static class EmailTestSupport
{
    public const string MessageIdDomain = "mail.trust.example";

    /// <summary>A school morning, so times in assertions read plainly.</summary>
    public static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 9, 1, 8, 0, 0, TimeSpan.Zero));

    public static IOptions<EmailOptions> Options(SmtpSink? sink = null, Action<EmailOptions>? configure = null)
    {
        var options = new EmailOptions
        {
            FromAddress = "consent@trust.example",
            FromName = "Northfield Trust",
            MessageIdDomain = MessageIdDomain,
        };
        if (sink is not null)
        {
            options.Smtp.Host = sink.Host;
            options.Smtp.Port = sink.Port;
            options.Smtp.Security = SmtpSecurity.None;
            options.Smtp.TimeoutSeconds = 20;
        }
        configure?.Invoke(options);
        return Microsoft.Extensions.Options.Options.Create(options);
    }

    public static MailKitEmailSender SmtpSender(SmtpSink sink, Action<EmailOptions>? configure = null) =>
        new(Options(sink, configure), NullLogger<MailKitEmailSender>.Instance);

    public static OutgoingEmail Outgoing(string key, string to = "parent@home.example", string? toName = null) =>
        new(key, to, $"Consent form for {key}", $"Hello, please answer the consent form ({key}).") { ToName = toName };

    public static OutboxMessage Row(string key, string to = "parent@home.example", string? toName = null) => new()
    {
        BusinessKey = key,
        MessageId = OutboxWriter.MessageIdFor(key, MessageIdDomain),
        ToAddress = to,
        ToName = toName,
        Subject = $"Consent form for {key}",
        TextBody = $"Hello, please answer the consent form ({key}).",
    };

    /// <summary>Tests in one class share its database; each starts from an empty outbox.</summary>
    public static async Task ClearOutboxAsync(DatabaseFixture database)
    {
        await using var db = database.CreateDbContext();
        await db.Database.ExecuteSqlRawAsync("TRUNCATE consenthub.outbox_messages, consenthub.outbox_attachments");
    }

    public static async Task<OutboxMessage> LoadAsync(DatabaseFixture database, string key)
    {
        await using var db = database.CreateDbContext();
        return await db.OutboxMessages.AsNoTracking().Include(m => m.Attachments).SingleAsync(m => m.BusinessKey == key);
    }

    /// <summary>"&lt;abc@d&gt;" → "abc@d", as MimeKit reports a received Message-ID.</summary>
    public static string Bare(string messageId) => messageId.Trim('<', '>');
}
