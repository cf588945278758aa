using MimeKit;

namespace ConsentHub.Email;

/// <summary>Turns an outbox row into the message that goes on the wire: text, optional HTML alternative, attachments.</summary>
public static class OutboxMimeBuilder
{
    public static MimeMessage Build(OutboxMessage row, EmailOptions options, DateTimeOffset date)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(options.FromName, options.FromAddress));
        message.To.Add(new MailboxAddress(row.ToName ?? "", row.ToAddress));
        message.Subject = row.Subject;
        message.Date = date;
        // MimeMessage makes up a random Message-ID; the row's one is derived from its business key and must win.
        message.MessageId = row.MessageId.Trim().TrimStart('<').TrimEnd('>');
        // RFC 3834: tells auto-responders (out-of-office) not to answer.
        message.Headers.Add("Auto-Submitted", "auto-generated");

        var body = new BodyBuilder { TextBody = row.TextBody, HtmlBody = row.HtmlBody };
        foreach (var attachment in row.Attachments)
            body.Attachments.Add(attachment.FileName, attachment.Content, ContentType.Parse(attachment.ContentType));
        message.Body = body.ToMessageBody();
        return message;
    }
}
