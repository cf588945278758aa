using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ConsentHub.Email;

public sealed record DroppedMailSummary(string Name, DateTimeOffset Date, string To, string Subject);

public sealed record DroppedMail(string Name, DateTimeOffset Date, string From, string To, string Subject, string MessageId,
    string? TextBody, IReadOnlyList<string> AttachmentNames);

/// <summary>Reads the mail drop for the Development page: newest first, one message in full.</summary>
public sealed class ReadMailDrop(IOptions<EmailOptions> options)
{
    public string Folder => options.Value.ResolvePickupDirectory();

    public IReadOnlyList<DroppedMailSummary> List(int max = 200)
    {
        if (!Directory.Exists(Folder)) return [];
        // The name starts with a sortable UTC timestamp.
        return Directory.EnumerateFiles(Folder, "*" + MailDrop.Extension)
            .OrderDescending(StringComparer.Ordinal)
            .Take(max)
            .Select(Load)
            .OfType<(string Name, MimeMessage Message, DateTimeOffset Date)>()
            .Select(m => new DroppedMailSummary(m.Name, m.Date, Show(m.Message.To), m.Message.Subject ?? ""))
            .ToList();
    }

    /// <summary>One message by the name <see cref="List"/> gave; null for an unknown or unsafe name.</summary>
    public DroppedMail? Find(string name)
    {
        if (!MailDrop.IsName(name)) return null;
        var loaded = Load(Path.Combine(Folder, name + MailDrop.Extension));
        if (loaded is not var (_, message, date)) return null;
        return new DroppedMail(name, date, Show(message.From), Show(message.To), message.Subject ?? "", message.MessageId ?? "",
            message.TextBody, message.Attachments.Select(a => a.ContentDisposition?.FileName ?? a.ContentType.Name ?? "(unnamed)").ToList());
    }

    /// <summary>"Name &lt;address&gt;" for reading, without the quoting and encoding of the header form.</summary>
    private static string Show(InternetAddressList addresses) =>
        string.Join(", ", addresses.Mailboxes.Select(m => string.IsNullOrWhiteSpace(m.Name) ? m.Address : $"{m.Name} <{m.Address}>"));

    private static (string Name, MimeMessage Message, DateTimeOffset Date)? Load(string path)
    {
        try
        {
            var message = MimeMessage.Load(path);
            var date = message.Date != DateTimeOffset.MinValue ? message.Date : File.GetLastWriteTimeUtc(path);
            return (Path.GetFileNameWithoutExtension(path), message, date);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            // Removed while listing, or not a message: leave it out.
            return null;
        }
    }
}

/// <summary>How mail drop files are named.</summary>
internal static partial class MailDrop
{
    public const string Extension = ".eml";

    public static string FileName(DateTimeOffset at, string? messageId)
    {
        var local = messageId?.Split('@')[0] ?? "";
        local = Unsafe().Replace(local, "");
        if (local.Length == 0) local = Guid.NewGuid().ToString("N");
        return at.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture) + "-" + local + Extension;
    }

    public static bool IsName(string name) => name.Length is > 0 and <= 200 && Name().IsMatch(name);

    [GeneratedRegex("[^A-Za-z0-9_-]")]
    private static partial Regex Unsafe();

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex Name();
}
