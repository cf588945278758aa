using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace ConsentHub.Email;

/// <summary>
/// Keeps the secrets an email carries (a signing link's token, a set-password token) out of the outbox in clear.
/// The writer swaps each secret in the subject and bodies for a placeholder and keeps the secrets sealed with the
/// Data Protection key ring; the drain unseals them into the message only as it sends, and the row's sealed copy
/// is wiped the moment the message is sent, fails for good or is cancelled. The delivered message (the
/// recipient's mailbox, or the development mail drop standing for it) is the only place the link lives on.
/// </summary>
public sealed class OutboxSecrets
{
    private const string Purpose = "ConsentHub.Email.OutboxSecrets.v1";

    /// <summary>For hosts and tests without a configured key ring: keys in memory, shared by the whole process.</summary>
    private static readonly Lazy<OutboxSecrets> InMemory = new(() => new OutboxSecrets(new EphemeralDataProtectionProvider()));

    private readonly IDataProtector _protector;

    public OutboxSecrets(IDataProtectionProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _protector = provider.CreateProtector(Purpose);
    }

    public static OutboxSecrets Ephemeral => InMemory.Value;

    /// <summary>What stands in the stored message for secret number <paramref name="index"/>.</summary>
    public static string Placeholder(int index) => "{{sealed-secret-" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}}";

    /// <summary>The email as it may be stored: secrets replaced by placeholders, plus the sealed secrets (null when none).</summary>
    public (string Subject, string TextBody, string? HtmlBody, string? Sealed) Seal(OutgoingEmail email)
    {
        ArgumentNullException.ThrowIfNull(email);
        if (email.Secrets.Count == 0) return (email.Subject, email.TextBody, email.HtmlBody, null);
        string subject = email.Subject, text = email.TextBody;
        var html = email.HtmlBody;
        // Longest first, so a secret that contains another is replaced whole.
        foreach (var (secret, index) in email.Secrets.Select((s, i) => (s, i)).OrderByDescending(x => x.s.Length))
        {
            // A trust-edited template may leave the link out of one of the bodies; nothing to hide there then.
            if (string.IsNullOrEmpty(secret)) throw new ArgumentException($"Outbox message '{email.BusinessKey}': secret {index} is empty.");
            var placeholder = Placeholder(index);
            subject = subject.Replace(secret, placeholder, StringComparison.Ordinal);
            text = text.Replace(secret, placeholder, StringComparison.Ordinal);
            html = html?.Replace(secret, placeholder, StringComparison.Ordinal)
                .Replace(WebUtility.HtmlEncode(secret), placeholder, StringComparison.Ordinal);
        }
        return (subject, text, html, _protector.Protect(JsonSerializer.Serialize(email.Secrets)));
    }

    /// <summary>Puts the secrets back into a claimed message, just before it is sent. Throws when they cannot be unsealed.</summary>
    public void Unseal(OutboxMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.SealedSecrets is null) return;
        var secrets = JsonSerializer.Deserialize<string[]>(_protector.Unprotect(message.SealedSecrets)) ?? [];
        for (var i = 0; i < secrets.Length; i++)
        {
            var placeholder = Placeholder(i);
            message.Subject = message.Subject.Replace(placeholder, secrets[i], StringComparison.Ordinal);
            message.TextBody = message.TextBody.Replace(placeholder, secrets[i], StringComparison.Ordinal);
            message.HtmlBody = message.HtmlBody?.Replace(placeholder, WebUtility.HtmlEncode(secrets[i]), StringComparison.Ordinal);
        }
    }
}
