using System.Text;
using ConsentHub.Email;
using ConsentHub.Testing.Smtp;
using MimeKit;
using static ConsentHub.Tests.Email.EmailTestSupport;

namespace ConsentHub.Tests.Email;

/// <summary>MailKit against the in-process SMTP sink: real SMTP on the loopback interface.</summary>
public sealed class MailKitEmailSenderTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly SmtpSink _sink = SmtpSink.Start();

    public ValueTask DisposeAsync() => _sink.DisposeAsync();

    private static MimeMessage Message(string key, string to = "parent@home.example", string? toName = null) =>
        OutboxMimeBuilder.Build(Row(key, to, toName), Options().Value, Clock().GetUtcNow());

    [Fact]
    public async Task Batch_IsDeliveredOverOneConnection()
    {
        var messages = Enumerable.Range(1, 5).Select(i => Message($"batch:{i}", $"parent{i}@home.example")).ToList();

        var outcomes = await SmtpSender(_sink).SendAsync(messages);

        Assert.All(outcomes, o => Assert.Equal(SendStatus.Sent, o.Status));
        Assert.Equal(1, _sink.ConnectionCount);
        Assert.Equal(
            Enumerable.Range(1, 5).Select(i => $"parent{i}@home.example"),
            _sink.Messages.Select(m => Assert.Single(m.Recipients)));
        Assert.All(_sink.Messages, m => Assert.Equal("consent@trust.example", m.EnvelopeFrom));
    }

    [Fact]
    public async Task Message_ArrivesIntact_WithHeadersBodiesAttachmentAndNonAsciiNames()
    {
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n% not really a form\n").Concat(Enumerable.Range(0, 256).Select(i => (byte)i)).ToArray();
        var row = Row("intact:1", "lukasz@home.example", "Łukasz Ødegaard");
        row.Subject = "Zgoda na zdjęcia – Ødegaard, Year 7";
        // A line starting with a dot must survive SMTP's dot-stuffing; so must non-ASCII text.
        row.TextBody = "Dear Łukasz Ødegaard,\r\n.hidden line starts with a dot\r\n..two dots\r\nZażółć gęślą jaźń.";
        row.HtmlBody = "<p>Dear Łukasz Ødegaard,</p><p>Zażółć gęślą jaźń.</p>";
        row.Attachments.Add(new OutboxAttachment { FileName = "consent-form.pdf", ContentType = "application/pdf", Content = pdf });

        var outcomes = await SmtpSender(_sink).SendAsync([OutboxMimeBuilder.Build(row, Options().Value, Clock().GetUtcNow())]);

        Assert.Equal(SendStatus.Sent, Assert.Single(outcomes).Status);
        var received = Assert.Single(_sink.Messages).Message;
        Assert.Equal(Bare(row.MessageId), received.MessageId);
        Assert.Equal("Zgoda na zdjęcia – Ødegaard, Year 7", received.Subject);
        var to = Assert.IsType<MailboxAddress>(Assert.Single(received.To));
        Assert.Equal("Łukasz Ødegaard", to.Name);
        Assert.Equal("lukasz@home.example", to.Address);
        var from = Assert.IsType<MailboxAddress>(Assert.Single(received.From));
        Assert.Equal(("Northfield Trust", "consent@trust.example"), (from.Name, from.Address));
        Assert.Equal(Clock().GetUtcNow(), received.Date);
        Assert.Equal("auto-generated", received.Headers["Auto-Submitted"]);
        // SMTP carries CRLF; MimeKit hands the text back with the platform's line ends.
        Assert.Equal(row.TextBody.ReplaceLineEndings("\n"), received.TextBody?.ReplaceLineEndings("\n").TrimEnd('\n'));
        Assert.Contains("Zażółć gęślą jaźń.", received.HtmlBody, StringComparison.Ordinal);
        var attachment = Assert.IsType<MimePart>(Assert.Single(received.Attachments));
        Assert.Equal("consent-form.pdf", attachment.FileName);
        Assert.Equal("application/pdf", attachment.ContentType.MimeType);
        using var content = new MemoryStream();
        await attachment.Content!.DecodeToAsync(content);
        Assert.Equal(pdf, content.ToArray());
    }

    [Fact]
    public async Task RejectedRecipient_IsPermanent_AndTheRestOfTheBatchStillGoesOnTheSameConnection()
    {
        _sink.RejectRecipient("gone@home.example");

        var outcomes = await SmtpSender(_sink).SendAsync([Message("r:1"), Message("r:2", "gone@home.example"), Message("r:3")]);

        Assert.Equal([SendStatus.Sent, SendStatus.PermanentFailure, SendStatus.Sent], outcomes.Select(o => o.Status));
        Assert.StartsWith("550", outcomes[1].Error, StringComparison.Ordinal);
        Assert.Equal([Bare(Row("r:1").MessageId), Bare(Row("r:3").MessageId)], _sink.Messages.Select(m => m.MessageId));
        Assert.Equal(1, _sink.ConnectionCount);
    }

    [Fact]
    public async Task DeferredRecipient_IsTransient()
    {
        _sink.DeferRecipientOnce("busy@home.example");

        var outcomes = await SmtpSender(_sink).SendAsync([Message("d:1", "busy@home.example"), Message("d:2")]);

        Assert.Equal([SendStatus.TransientFailure, SendStatus.Sent], outcomes.Select(o => o.Status));
        Assert.StartsWith("451", outcomes[0].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionDroppedAfterData_CountsAsTransient_AndTheBatchCarriesOnAfterOneReconnect()
    {
        _sink.DropConnectionAfterData(times: 1);

        var outcomes = await SmtpSender(_sink).SendAsync([Message("x:1"), Message("x:2"), Message("x:3")]);

        Assert.Equal([SendStatus.TransientFailure, SendStatus.Sent, SendStatus.Sent], outcomes.Select(o => o.Status));
        Assert.Equal(2, _sink.ConnectionCount);
        Assert.Equal([Bare(Row("x:2").MessageId), Bare(Row("x:3").MessageId)], _sink.Messages.Select(m => m.MessageId));
    }

    [Fact]
    public async Task ConnectionDroppedTwice_LeavesTheRestOfTheBatchForLater()
    {
        _sink.DropConnectionAfterData(times: 2);

        var outcomes = await SmtpSender(_sink).SendAsync([Message("y:1"), Message("y:2"), Message("y:3"), Message("y:4")]);

        Assert.All(outcomes, o => Assert.Equal(SendStatus.TransientFailure, o.Status));
        Assert.Equal(2, _sink.ConnectionCount);
        Assert.Empty(_sink.Messages);
    }

    [Fact]
    public async Task NoServerListening_EveryMessageIsTransient()
    {
        var closed = SmtpSink.Start();
        var sender = SmtpSender(closed);
        await closed.DisposeAsync();

        var outcomes = await sender.SendAsync([Message("n:1"), Message("n:2")]);

        Assert.All(outcomes, o =>
        {
            Assert.Equal(SendStatus.TransientFailure, o.Status);
            Assert.Contains("connect", o.Error, StringComparison.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public async Task SinkWaitsForMessagesFromConcurrentConnections()
    {
        var senders = Enumerable.Range(0, 4).Select(c =>
            SmtpSender(_sink).SendAsync([Message($"c:{c}:1"), Message($"c:{c}:2")]));

        await Task.WhenAll(senders);
        var received = await _sink.WaitForMessagesAsync(8, Patience);

        Assert.Equal(4, _sink.ConnectionCount);
        Assert.Equal(8, received.Select(m => m.MessageId).Distinct().Count());
    }
}
