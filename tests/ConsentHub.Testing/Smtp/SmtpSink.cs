using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace ConsentHub.Testing.Smtp;

/// <summary>A message the sink accepted: the envelope as the client gave it and the parsed message.</summary>
public sealed record ReceivedMessage(int ConnectionId, string EnvelopeFrom, IReadOnlyList<string> Recipients, MimeMessage Message)
{
    /// <summary>Without angle brackets, as MimeKit gives it.</summary>
    public string? MessageId => Message.MessageId;
}

/// <summary>
/// An SMTP server for tests, on 127.0.0.1 and a free port, speaking enough real SMTP (RFC 5321) for MailKit:
/// EHLO/HELO, MAIL, RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT, pipelined commands, several messages per
/// connection and several connections at once. Accepted messages are parsed with MimeKit and kept in order.
/// Faults are injected with rules (<see cref="AddFault"/>) that may replace any reply or drop the connection.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    public const string Greeting = "127.0.0.1 ConsentHub test SMTP sink";
    private const int MaxMessageSize = 50 * 1024 * 1024;

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<ReceivedMessage> _messages = [];
    private readonly List<Func<SmtpCommandContext, SmtpReply?>> _faults = [];
    private readonly List<Task> _sessions = [];
    private readonly Lock _lock = new();
    private readonly Task _acceptLoop;
    private int _connections;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SmtpSink()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public static SmtpSink Start() => new();

    public string Host { get; } = IPAddress.Loopback.ToString();
    public int Port { get; }

    /// <summary>Connections accepted so far.</summary>
    public int ConnectionCount => Volatile.Read(ref _connections);

    public IReadOnlyList<ReceivedMessage> Messages
    {
        get
        {
            lock (_lock) return [.. _messages];
        }
    }

    /// <summary>
    /// A rule consulted before every reply, in the order added; the first non-null answer is sent instead of the
    /// normal one. A non-2xx/3xx answer to RCPT drops that recipient, to DataEnd drops the message.
    /// </summary>
    public void AddFault(Func<SmtpCommandContext, SmtpReply?> rule)
    {
        lock (_lock) _faults.Add(rule);
    }

    /// <summary>Every RCPT TO for <paramref name="address"/> gets <paramref name="code"/> (550: no such user).</summary>
    public void RejectRecipient(string address, int code = 550, string text = "5.1.1 Mailbox unavailable") =>
        AddFault(c => c.Command == SmtpCommand.RcptTo && IsAddress(c, address) ? new SmtpReply(code, text) : null);

    /// <summary>The next RCPT TO for <paramref name="address"/> gets <paramref name="code"/> (451: try later); later ones are accepted.</summary>
    public void DeferRecipientOnce(string address, int code = 451, string text = "4.2.0 Greylisted, try again later")
    {
        var fired = 0;
        AddFault(c => c.Command == SmtpCommand.RcptTo && IsAddress(c, address) && Interlocked.Exchange(ref fired, 1) == 0
            ? new SmtpReply(code, text)
            : null);
    }

    /// <summary>The next <paramref name="times"/> messages are read in full and then the connection is dropped without a reply.</summary>
    public void DropConnectionAfterData(int times = 1)
    {
        var left = times;
        AddFault(c => c.Command == SmtpCommand.DataEnd && Interlocked.Decrement(ref left) >= 0 ? SmtpReply.Disconnect : null);
    }

    /// <summary>Waits until at least <paramref name="count"/> messages arrived; throws <see cref="TimeoutException"/> otherwise.</summary>
    public async Task<IReadOnlyList<ReceivedMessage>> WaitForMessagesAsync(int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_messages.Count >= count) return [.. _messages];
                changed = _changed.Task;
            }
            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The SMTP sink received {Messages.Count} of {count} messages within {timeout}.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        Task[] sessions;
        lock (_lock) sessions = [.. _sessions];
        await Task.WhenAll(sessions);
        _stopping.Dispose();
    }

    private static bool IsAddress(SmtpCommandContext c, string address) =>
        string.Equals(c.Address, address, StringComparison.OrdinalIgnoreCase);

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            // Replies go at once, as a real server's do; otherwise Nagle's algorithm and delayed ACKs add ~40 ms a message.
            client.NoDelay = true;
            var id = Interlocked.Increment(ref _connections);
            lock (_lock) _sessions.Add(Task.Run(() => RunSessionAsync(client, id)));
        }
    }

    private async Task RunSessionAsync(TcpClient client, int connectionId)
    {
        using (client)
        {
            try
            {
                await new Session(this, client.GetStream(), connectionId).RunAsync(_stopping.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away or the sink is stopping.
            }
        }
    }

    private SmtpReply? Fault(SmtpCommandContext context)
    {
        Func<SmtpCommandContext, SmtpReply?>[] rules;
        lock (_lock) rules = [.. _faults];
        foreach (var rule in rules)
        {
            if (rule(context) is { } reply) return reply;
        }
        return null;
    }

    private void Accept(ReceivedMessage message)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            _messages.Add(message);
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.SetResult();
    }

    /// <summary>One client connection: a loop over command lines, replies written in order (so pipelining works).</summary>
    private sealed class Session(SmtpSink sink, NetworkStream stream, int connectionId)
    {
        private readonly LineReader _reader = new(stream);
        private bool _greeted;
        private string? _from;
        private readonly List<string> _recipients = [];
        private int _messages;

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            if (!await ReplyAsync(Context(SmtpCommand.Connect, "", null), new SmtpReply(220, Greeting + " ESMTP ready"), cancellationToken))
                return;

            while (await _reader.ReadLineAsync(cancellationToken) is { } bytes)
            {
                var line = Encoding.UTF8.GetString(bytes);
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                var verb = (space < 0 ? line : line[..space]).ToUpperInvariant();
                var argument = space < 0 ? "" : line[(space + 1)..].Trim();
                if (!await HandleAsync(verb, argument, cancellationToken)) return;
            }
        }

        /// <returns>false when the connection is to close.</returns>
        private async Task<bool> HandleAsync(string verb, string argument, CancellationToken ct)
        {
            switch (verb)
            {
                case "EHLO":
                    ResetTransaction();
                    _greeted = true;
                    return await ReplyAsync(Context(SmtpCommand.Ehlo, argument, null),
                        new SmtpReply(250, $"{Greeting} greets {argument}\n8BITMIME\nSIZE {MaxMessageSize}\nPIPELINING"), ct);
                case "HELO":
                    ResetTransaction();
                    _greeted = true;
                    return await ReplyAsync(Context(SmtpCommand.Helo, argument, null), new SmtpReply(250, Greeting), ct);
                case "MAIL":
                    {
                        var address = PathArgument(argument, "FROM:");
                        var normal = !_greeted ? new SmtpReply(503, "5.5.1 Send EHLO first")
                            : _from is not null ? new SmtpReply(503, "5.5.1 Sender already given")
                            : address is null ? new SmtpReply(501, "5.5.4 Syntax: MAIL FROM:<address>")
                            : new SmtpReply(250, "2.1.0 Sender OK");
                        var reply = Fault(SmtpCommand.MailFrom, argument, address) ?? normal;
                        if (reply.IsPositive) _from = address;
                        return await SendAsync(reply, ct);
                    }
                case "RCPT":
                    {
                        var address = PathArgument(argument, "TO:");
                        var normal = _from is null ? new SmtpReply(503, "5.5.1 Send MAIL first")
                            : string.IsNullOrEmpty(address) ? new SmtpReply(501, "5.5.4 Syntax: RCPT TO:<address>")
                            : new SmtpReply(250, "2.1.5 Recipient OK");
                        var reply = Fault(SmtpCommand.RcptTo, argument, address) ?? normal;
                        if (reply.IsPositive) _recipients.Add(address!);
                        return await SendAsync(reply, ct);
                    }
                case "DATA":
                    return await DataAsync(ct);
                case "RSET":
                    ResetTransaction();
                    return await ReplyAsync(Context(SmtpCommand.Rset, argument, null), new SmtpReply(250, "2.0.0 OK"), ct);
                case "NOOP":
                    return await ReplyAsync(Context(SmtpCommand.Noop, argument, null), new SmtpReply(250, "2.0.0 OK"), ct);
                case "QUIT":
                    await ReplyAsync(Context(SmtpCommand.Quit, argument, null), new SmtpReply(221, "2.0.0 Bye"), ct);
                    return false;
                default:
                    return await ReplyAsync(Context(SmtpCommand.Unknown, argument, null), new SmtpReply(502, "5.5.2 Command not implemented"), ct);
            }
        }

        private async Task<bool> DataAsync(CancellationToken ct)
        {
            var normal = _from is null ? new SmtpReply(503, "5.5.1 Send MAIL first")
                : _recipients.Count == 0 ? new SmtpReply(554, "5.5.1 No valid recipients")
                : new SmtpReply(354, "Start mail input; end with <CRLF>.<CRLF>");
            var reply = Fault(SmtpCommand.Data, "", null) ?? normal;
            if (!await SendAsync(reply, ct)) return false;
            if (reply.Code != 354) return true;

            using var content = new MemoryStream();
            while (true)
            {
                var line = await _reader.ReadLineAsync(ct) ?? throw new IOException("The client closed the connection during DATA.");
                if (line.Length == 1 && line[0] == (byte)'.') break;
                // Dot-unstuffing (RFC 5321 4.5.2): a leading dot was doubled by the client.
                var start = line.Length > 0 && line[0] == (byte)'.' ? 1 : 0;
                content.Write(line, start, line.Length - start);
                content.Write("\r\n"u8);
                if (content.Length > MaxMessageSize) throw new IOException("Message over the advertised SIZE.");
            }

            content.Position = 0;
            var message = await MimeMessage.LoadAsync(content, ct);
            var recipients = _recipients.ToList();
            var from = _from!;
            var done = Fault(SmtpCommand.DataEnd, "", null, message) ?? new SmtpReply(250, $"2.0.0 Queued as {connectionId}.{_messages + 1}");
            if (done.IsPositive)
            {
                _messages++;
                sink.Accept(new ReceivedMessage(connectionId, from, recipients, message));
            }
            ResetTransaction();
            return await SendAsync(done, ct);
        }

        private SmtpReply? Fault(SmtpCommand command, string argument, string? address, MimeMessage? message = null) =>
            sink.Fault(Context(command, argument, address, message));

        private SmtpCommandContext Context(SmtpCommand command, string argument, string? address, MimeMessage? message = null) =>
            new(connectionId, command, argument, address, _from, [.. _recipients], _messages, message);

        private async Task<bool> ReplyAsync(SmtpCommandContext context, SmtpReply normal, CancellationToken ct) =>
            await SendAsync(sink.Fault(context) ?? normal, ct);

        /// <returns>false when the reply was to disconnect.</returns>
        private async Task<bool> SendAsync(SmtpReply reply, CancellationToken ct)
        {
            if (reply.IsDisconnect) return false;
            var lines = reply.Text.Split('\n');
            var text = new StringBuilder();
            for (var i = 0; i < lines.Length; i++)
                text.Append(reply.Code).Append(i < lines.Length - 1 ? '-' : ' ').Append(lines[i]).Append("\r\n");
            await stream.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), ct);
            return true;
        }

        private void ResetTransaction()
        {
            _from = null;
            _recipients.Clear();
        }

        /// <summary>"FROM:&lt;a@b&gt; BODY=8BITMIME" → "a@b"; "" for the null path &lt;&gt;; null if malformed.</summary>
        private static string? PathArgument(string argument, string prefix)
        {
            if (!argument.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return null;
            var rest = argument[prefix.Length..].TrimStart();
            if (!rest.StartsWith('<')) return null;
            var end = rest.IndexOf('>', StringComparison.Ordinal);
            return end < 0 ? null : rest[1..end];
        }
    }

    /// <summary>Reads CRLF-terminated lines as bytes: message content may be 8-bit and is not decoded here.</summary>
    private sealed class LineReader(Stream stream)
    {
        private const int MaxLine = 64 * 1024;
        private readonly byte[] _buffer = new byte[MaxLine * 2];
        private int _start;
        private int _end;

        public async Task<byte[]?> ReadLineAsync(CancellationToken ct)
        {
            while (true)
            {
                var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (newline >= 0)
                {
                    var length = newline - _start;
                    if (length > 0 && _buffer[newline - 1] == (byte)'\r') length--;
                    var line = _buffer.AsSpan(_start, length).ToArray();
                    _start = newline + 1;
                    return line;
                }
                if (_end - _start > MaxLine) throw new IOException("Line too long.");
                if (_start > 0)
                {
                    Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                    _end -= _start;
                    _start = 0;
                }
                var read = await stream.ReadAsync(_buffer.AsMemory(_end), ct);
                if (read == 0) return null;
                _end += read;
            }
        }
    }
}
