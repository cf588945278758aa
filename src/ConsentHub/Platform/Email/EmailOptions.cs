using ConsentHub.Hosting;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ConsentHub.Email;

/// <summary>
/// Settings under "Email". With no <see cref="SmtpOptions.Host"/> mail goes to the development mail drop
/// (.eml files in <see cref="PickupDirectory"/>) instead of a server, so the app runs with no mail server.
/// </summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    /// <summary>
    /// Sender address on every message and the SMTP envelope sender. The default only suits the mail drop; a real
    /// address is required once <see cref="SmtpOptions.Host"/> is set.
    /// </summary>
    public string FromAddress { get; set; } = PlaceholderFromAddress;

    internal const string PlaceholderFromAddress = "consenthub@localhost";

    public string FromName { get; set; } = "ConsentHub";

    /// <summary>Right-hand side of generated Message-IDs. Empty: the domain of <see cref="FromAddress"/>.</summary>
    public string? MessageIdDomain { get; set; }

    /// <summary>Mail drop folder. Empty: <c>maildrop</c> under the app's data folder (see <see cref="DataFolder"/>).</summary>
    public string? PickupDirectory { get; set; }

    /// <summary>Messages claimed and sent over one SMTP connection at a time.</summary>
    public int BatchSize { get; set; } = 25;

    /// <summary>Tries before a message that keeps failing transiently is marked Failed.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait before the first retry; doubled on each further try, up to six hours.</summary>
    public int RetryDelaySeconds { get; set; } = 60;

    /// <summary>
    /// A row left in Sending longer than this belongs to a worker that died; it goes back to Pending. Must be longer
    /// than a batch can take, or a slow batch is sent twice.
    /// </summary>
    public int ClaimTimeoutMinutes { get; set; } = 15;

    public SmtpOptions Smtp { get; set; } = new();

    public bool UsesMailDrop => string.IsNullOrWhiteSpace(Smtp.Host);

    public string ResolvePickupDirectory() =>
        string.IsNullOrWhiteSpace(PickupDirectory) ? DataFolder.Resolve("maildrop") : Path.GetFullPath(PickupDirectory);

    public string ResolveMessageIdDomain()
    {
        if (!string.IsNullOrWhiteSpace(MessageIdDomain)) return MessageIdDomain.Trim();
        var at = FromAddress.LastIndexOf('@');
        return at >= 0 ? FromAddress[(at + 1)..].Trim() : "";
    }
}

public enum SmtpSecurity
{
    /// <summary>Plain text; only for a relay on the same host or network segment.</summary>
    None,

    /// <summary>Connect in plain text and require STARTTLS (usually port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (usually port 465).</summary>
    SslOnConnect,

    /// <summary>TLS on connect for port 465, otherwise STARTTLS when the server offers it.</summary>
    Auto,
}

public sealed class SmtpOptions
{
    /// <summary>Empty means: do not use SMTP, write to the mail drop.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;
    public string? UserName { get; set; }
    public string? Password { get; set; }

    /// <summary>Timeout for connecting and for each SMTP command.</summary>
    public int TimeoutSeconds { get; set; } = 30;
}

/// <summary>Checks the settings on start, with messages that name the setting to fix.</summary>
internal sealed class EmailOptionsValidator : IValidateOptions<EmailOptions>
{
    public ValidateOptionsResult Validate(string? name, EmailOptions options)
    {
        var errors = new List<string>();

        if (string.IsNullOrWhiteSpace(options.FromAddress))
            errors.Add("Email:FromAddress is required: the address mail is sent from, e.g. consent@trust.example.");
        else if (!IsMailbox(options.FromAddress))
            errors.Add($"Email:FromAddress '{options.FromAddress}' is not an email address.");

        var domain = options.ResolveMessageIdDomain();
        if (!IsDomain(domain))
            errors.Add($"Email:MessageIdDomain '{domain}' is not a domain name (letters, digits, '-' and '.').");
        if (!options.UsesMailDrop && IsLocal(options.FromAddress))
            errors.Add($"Email:FromAddress is '{options.FromAddress}', which only suits the development mail drop; set the trust's sending address before setting Email:Smtp:Host.");
        if (!options.UsesMailDrop && !string.IsNullOrWhiteSpace(options.MessageIdDomain) && IsLocal("x@" + domain))
            errors.Add($"Email:MessageIdDomain '{domain}' is a local name; use the trust's domain when sending through SMTP.");

        Range(errors, "Email:BatchSize", options.BatchSize, 1, 500);
        Range(errors, "Email:MaxAttempts", options.MaxAttempts, 1, 50);
        Range(errors, "Email:RetryDelaySeconds", options.RetryDelaySeconds, 1, 86_400);
        Range(errors, "Email:ClaimTimeoutMinutes", options.ClaimTimeoutMinutes, 1, 1_440);

        var smtp = options.Smtp;
        if (!options.UsesMailDrop)
        {
            Range(errors, "Email:Smtp:Port", smtp.Port, 1, 65_535);
            Range(errors, "Email:Smtp:TimeoutSeconds", smtp.TimeoutSeconds, 1, 600);
            if (!Enum.IsDefined(smtp.Security))
                errors.Add($"Email:Smtp:Security must be one of {string.Join(", ", Enum.GetNames<SmtpSecurity>())}.");
            if (string.IsNullOrEmpty(smtp.UserName) != string.IsNullOrEmpty(smtp.Password))
                errors.Add("Email:Smtp:UserName and Email:Smtp:Password go together: set both or neither.");
        }
        else if (!string.IsNullOrWhiteSpace(options.PickupDirectory) && options.PickupDirectory.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            errors.Add("Email:PickupDirectory is not a valid folder path.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Range(List<string> errors, string setting, int value, int min, int max)
    {
        if (value < min || value > max)
            errors.Add($"{setting} is {value}; it must be between {min} and {max}.");
    }

    private static bool IsMailbox(string value) =>
        MailboxAddress.TryParse(value, out var mailbox) && mailbox.Address.Contains('@', StringComparison.Ordinal)
        && string.Equals(mailbox.Address, value.Trim(), StringComparison.OrdinalIgnoreCase);

    private static bool IsLocal(string address) =>
        address.Trim().EndsWith("@localhost", StringComparison.OrdinalIgnoreCase)
        || address.Trim().EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);

    private static bool IsDomain(string value) =>
        value.Length is > 0 and <= 253
        && value.Split('.').All(label => label.Length is > 0 and <= 63
            && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            && label[0] != '-' && label[^1] != '-');
}
