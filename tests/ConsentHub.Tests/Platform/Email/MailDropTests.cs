using ConsentHub.Email;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using static ConsentHub.Tests.Email.EmailTestSupport;

namespace ConsentHub.Tests.Email;

public sealed class MailDropTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "consenthub-maildrop-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private Microsoft.Extensions.Options.IOptions<EmailOptions> DropOptions() => Options(configure: o => o.PickupDirectory = _folder);

    [Fact]
    public async Task EachMessage_BecomesAReadableEmlFile_NamedByTimeAndMessageId()
    {
        var clock = Clock();
        var row = Row("drop:1", "lukasz@home.example", "Łukasz Ødegaard");
        var sender = new MailDropEmailSender(DropOptions(), clock, NullLogger<MailDropEmailSender>.Instance);

        var outcomes = await sender.SendAsync([OutboxMimeBuilder.Build(row, DropOptions().Value, clock.GetUtcNow())]);

        Assert.Equal(SendStatus.Sent, Assert.Single(outcomes).Status);
        var file = Assert.Single(Directory.GetFiles(_folder));
        var hash = Bare(row.MessageId).Split('@')[0];
        Assert.Equal($"20260901T080000000Z-{hash}.eml", Path.GetFileName(file));
        using var message = await MimeMessage.LoadAsync(file);
        Assert.Equal(row.Subject, message.Subject);
        Assert.Equal(Bare(row.MessageId), message.MessageId);
        Assert.Equal("Łukasz Ødegaard", Assert.IsType<MailboxAddress>(Assert.Single(message.To)).Name);
        Assert.Equal(row.TextBody.ReplaceLineEndings("\n"), message.TextBody?.ReplaceLineEndings("\n").TrimEnd('\n'));
    }

    [Fact]
    public async Task ReadMailDrop_ListsNewestFirst_AndShowsOneMessage()
    {
        var clock = Clock();
        var sender = new MailDropEmailSender(DropOptions(), clock, NullLogger<MailDropEmailSender>.Instance);
        await sender.SendAsync([OutboxMimeBuilder.Build(Row("older"), DropOptions().Value, clock.GetUtcNow())]);
        clock.Advance(TimeSpan.FromMinutes(5));
        await sender.SendAsync([OutboxMimeBuilder.Build(Row("newer", "b@home.example"), DropOptions().Value, clock.GetUtcNow())]);
        var reader = new ReadMailDrop(DropOptions());

        var list = reader.List();
        var newest = reader.Find(list[0].Name);

        Assert.Equal(["Consent form for newer", "Consent form for older"], list.Select(m => m.Subject));
        Assert.Equal(clock.GetUtcNow(), list[0].Date);
        Assert.Contains("b@home.example", list[0].To, StringComparison.Ordinal);
        Assert.NotNull(newest);
        Assert.Contains("(newer)", newest.TextBody, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("..")]
    [InlineData("missing")]
    public void ReadMailDrop_FindsNothingForUnknownOrUnsafeNames(string name)
    {
        Directory.CreateDirectory(_folder);
        Assert.Null(new ReadMailDrop(DropOptions()).Find(name));
    }

    [Fact]
    public void ReadMailDrop_WithNoFolderYet_ListsNothing() =>
        Assert.Empty(new ReadMailDrop(DropOptions()).List());
}
