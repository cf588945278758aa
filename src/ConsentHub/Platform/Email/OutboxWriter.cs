using System.Data;
using System.Security.Cryptography;
using System.Text;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using MimeKit;
using Npgsql;
using NpgsqlTypes;

namespace ConsentHub.Email;

/// <summary>A message a feature wants sent. <see cref="BusinessKey"/> names it, so writing it twice is harmless.</summary>
/// <param name="BusinessKey">What the message is about, e.g. "request-issued:{requestId}:{contactId}". At most 200 characters.</param>
public sealed record OutgoingEmail(string BusinessKey, string ToAddress, string Subject, string TextBody)
{
    public string? ToName { get; init; }

    /// <summary>Sent as an alternative to <see cref="TextBody"/>; the text part is always there.</summary>
    public string? HtmlBody { get; init; }

    public IReadOnlyList<EmailAttachment> Attachments { get; init; } = [];
    public Guid? AcademyId { get; init; }

    /// <summary>Not sent before this time; now if null.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>The signature request the message asks to be answered: it is not sent once that request is closed.</summary>
    public Guid? SignatureRequestId { get; init; }

    /// <summary>
    /// Secrets in the bodies exactly as they appear in the text body (a link's token, an escaped reset token): never
    /// stored in clear, put back only as the message is sent (<see cref="OutboxSecrets"/>).
    /// </summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];
}

public sealed record EmailAttachment(string FileName, string ContentType, ReadOnlyMemory<byte> Content);

/// <summary>
/// The only way features send mail: rows in the outbox, written on the feature's own DbContext so they commit or
/// roll back with its work. Call inside the feature's transaction (<c>db.Database.BeginTransactionAsync</c>);
/// without one, each call commits on its own. Then <see cref="RequestOutboxDrain"/> to send without waiting for
/// the next scheduled run.
/// </summary>
public sealed class OutboxWriter(IOptions<EmailOptions> options, TimeProvider clock, OutboxSecrets? secrets = null)
{
    private readonly OutboxSecrets _secrets = secrets ?? OutboxSecrets.Ephemeral;

    // One statement for messages and attachments, so a row is never visible without its attachments, and
    // ON CONFLICT makes a repeated business key a no-op (its attachments are skipped with it).
    private const string InsertSql = """
        WITH input AS (
            SELECT * FROM unnest(@business_keys, @message_ids, @to_addresses, @to_names, @subjects, @text_bodies,
                                 @html_bodies, @academy_ids, @next_attempts, @request_ids, @sealed)
                AS t(business_key, message_id, to_address, to_name, subject, text_body, html_body, academy_id, next_attempt_at,
                     signature_request_id, sealed_secrets)
        ), inserted AS (
            INSERT INTO consenthub.outbox_messages
                (business_key, message_id, to_address, to_name, subject, text_body, html_body, academy_id,
                 status, attempts, created_at, next_attempt_at, signature_request_id, sealed_secrets)
            SELECT business_key, message_id, to_address, to_name, subject, text_body, html_body, academy_id,
                   'Pending', 0, @now, next_attempt_at, signature_request_id, sealed_secrets
            FROM input
            ON CONFLICT (business_key) DO NOTHING
            RETURNING id, business_key
        ), attached AS (
            INSERT INTO consenthub.outbox_attachments (outbox_message_id, file_name, content_type, content)
            SELECT i.id, a.file_name, a.content_type, a.content
            FROM unnest(@attachment_keys, @file_names, @content_types, @contents) AS a(business_key, file_name, content_type, content)
            JOIN inserted i ON i.business_key = a.business_key
        )
        SELECT count(*)::int FROM inserted
        """;

    /// <summary>
    /// <c>&lt;{first 32 hex digits of sha256(businessKey)}@{domain}&gt;</c>: the same key always gives the same
    /// Message-ID, so a message resent after a crash can be recognised as a duplicate by the receiving side.
    /// </summary>
    public static string MessageIdFor(string businessKey, string domain) =>
        $"<{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(businessKey)))[..32]}@{domain}>";

    public Task<int> WriteAsync(ConsentHubDbContext db, OutgoingEmail email, CancellationToken cancellationToken = default) =>
        WriteAsync(db, [email], cancellationToken);

    /// <summary>Adds the messages whose business key is new; returns how many were added.</summary>
    public async Task<int> WriteAsync(ConsentHubDbContext db, IReadOnlyCollection<OutgoingEmail> emails, CancellationToken cancellationToken = default)
    {
        if (emails.Count == 0) return 0;
        foreach (var email in emails) Validate(email);

        var now = clock.GetUtcNow();
        var domain = options.Value.ResolveMessageIdDomain();
        var sealedEmails = emails.Select(_secrets.Seal).ToList();
        var attachments = emails.SelectMany(e => e.Attachments.Select(a => (e.BusinessKey, Attachment: a))).ToList();

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var openedHere = connection.State != ConnectionState.Open;
        if (openedHere) await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var cmd = new NpgsqlCommand(InsertSql, connection, (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction());
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", now));
            Add(cmd, "business_keys", NpgsqlDbType.Text, emails.Select(e => e.BusinessKey));
            Add(cmd, "message_ids", NpgsqlDbType.Text, emails.Select(e => MessageIdFor(e.BusinessKey, domain)));
            Add(cmd, "to_addresses", NpgsqlDbType.Text, emails.Select(e => e.ToAddress.Trim()));
            Add(cmd, "to_names", NpgsqlDbType.Text, emails.Select(e => string.IsNullOrWhiteSpace(e.ToName) ? null : e.ToName.Trim()));
            Add(cmd, "subjects", NpgsqlDbType.Text, sealedEmails.Select(e => e.Subject));
            Add(cmd, "text_bodies", NpgsqlDbType.Text, sealedEmails.Select(e => e.TextBody));
            Add(cmd, "html_bodies", NpgsqlDbType.Text, sealedEmails.Select(e => e.HtmlBody));
            Add(cmd, "sealed", NpgsqlDbType.Text, sealedEmails.Select(e => e.Sealed));
            Add(cmd, "academy_ids", NpgsqlDbType.Uuid, emails.Select(e => e.AcademyId));
            Add(cmd, "next_attempts", NpgsqlDbType.TimestampTz, emails.Select(e => (e.NotBefore ?? now).ToUniversalTime()));
            Add(cmd, "request_ids", NpgsqlDbType.Uuid, emails.Select(e => e.SignatureRequestId));
            Add(cmd, "attachment_keys", NpgsqlDbType.Text, attachments.Select(a => a.BusinessKey));
            Add(cmd, "file_names", NpgsqlDbType.Text, attachments.Select(a => a.Attachment.FileName));
            Add(cmd, "content_types", NpgsqlDbType.Text, attachments.Select(a => a.Attachment.ContentType));
            Add(cmd, "contents", NpgsqlDbType.Bytea, attachments.Select(a => a.Attachment.Content.ToArray()));
            return (int)(await cmd.ExecuteScalarAsync(cancellationToken))!;
        }
        finally
        {
            if (openedHere) await db.Database.CloseConnectionAsync();
        }
    }

    private static void Add<T>(NpgsqlCommand cmd, string name, NpgsqlDbType elementType, IEnumerable<T> values) =>
        cmd.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | elementType) { Value = values.ToArray() });

    private static void Validate(OutgoingEmail email)
    {
        Require(!string.IsNullOrWhiteSpace(email.BusinessKey) && email.BusinessKey.Length <= 200,
            "An outbox message needs a business key of 1 to 200 characters.");
        Require(email.ToAddress.Length <= 320 && MailboxAddress.TryParse(email.ToAddress, out var to)
            && to.Address.Contains('@', StringComparison.Ordinal),
            $"Outbox message '{email.BusinessKey}': the recipient is not a single email address.");
        Require(email.ToName is null || email.ToName.Length <= 200, $"Outbox message '{email.BusinessKey}': the recipient name is over 200 characters.");
        Require(!string.IsNullOrWhiteSpace(email.Subject) && email.Subject.Length <= 300,
            $"Outbox message '{email.BusinessKey}': the subject must be 1 to 300 characters.");
        Require(email.TextBody is not null, $"Outbox message '{email.BusinessKey}': a text body is required.");
        foreach (var a in email.Attachments)
        {
            Require(!string.IsNullOrWhiteSpace(a.FileName) && a.FileName.Length <= 200,
                $"Outbox message '{email.BusinessKey}': an attachment needs a file name of 1 to 200 characters.");
            Require(a.ContentType.Length <= 100 && ContentType.TryParse(a.ContentType, out _),
                $"Outbox message '{email.BusinessKey}': attachment '{a.FileName}' has an invalid content type.");
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new ArgumentException(message);
    }
}
