using ConsentHub.Consent;
using ConsentHub.Email;
using ConsentHub.Signing;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Smtp;
using ConsentHub.Tests.Audit;
using ConsentHub.Trust;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static ConsentHub.Tests.Email.EmailTestSupport;

namespace ConsentHub.Tests.Signing;

/// <summary>
/// The receipt PDF is made when its email is sent, from the recipe stored as the answers were recorded: the outbox
/// holds a few hundred bytes, the family gets the PDF (read back with PdfPig), and a recipe is never sent as it is.
/// </summary>
public sealed class ReceiptAttachmentTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly SmtpSink _sink = SmtpSink.Start();
    private readonly FakeTimeProvider _clock = Clock();
    // The crest cache of the host; the academies here have no crest, so nothing in it outlives a test.
    private static readonly MemoryCache Cache = new(new MemoryCacheOptions());

    public Task InitializeAsync() => ClearOutboxAsync(database);

    public async Task DisposeAsync() => await _sink.DisposeAsync();

    private DrainOutbox Drain(params IOutboxAttachmentMaker[] makers) =>
        new(database.DataSource, SmtpSender(_sink), Options(_sink), _clock, NullLogger<DrainOutbox>.Instance, attachmentMakers: makers);

    private ReceiptAttachment Maker() => new(new ReadSchoolCrest(new AuditTestSupport.ContextFactory(database), Cache));

    private async Task WriteAsync(OutgoingEmail email)
    {
        await using var db = database.CreateDbContext();
        await new OutboxWriter(Options(), _clock).WriteAsync(db, email);
    }

    private static ReceiptRecipe Recipe(string receipt) => new(SigningLanguage.English, PupilIsSigner: false, Guid.NewGuid(), "St Łukasz Primary Academy",
        "Thảo Đặng", receipt, "2026-1", new DateTimeOffset(2026, 9, 3, 17, 45, 0, TimeSpan.Zero), "Nguyễn Văn An",
        [new ReceiptLine("newsletter", "The school newsletter", AnswerKind.Grant), new ReceiptLine("academy-social", "Academy social media", AnswerKind.Refuse)]);

    [Fact]
    public async Task AReceiptEmail_StoresOnlyItsRecipe_AndTheFamilyGetsThePdfOfWhatWasSubmitted()
    {
        await WriteAsync(Outgoing("receipt:1") with { Attachments = [ReceiptAttachment.For(Recipe("R-ABCD-EFGH"))] });

        var stored = Assert.Single((await LoadAsync(database, "receipt:1")).Attachments);
        Assert.Equal(ReceiptAttachment.Type, stored.ContentType);
        Assert.True(stored.Content.Length < 2_000, $"the recipe is {stored.Content.Length} bytes");

        var result = await Drain(Maker()).RunAsync(CancellationToken.None);

        Assert.Equal(1, result.Sent);
        var mail = Assert.Single(_sink.Messages);
        var pdf = Assert.Single(mail.Message.Attachments.OfType<MimeKit.MimePart>());
        Assert.Equal("application/pdf", pdf.ContentType.MimeType);
        Assert.Equal("consent-receipt-R-ABCD-EFGH.pdf", pdf.FileName);
        using var content = new MemoryStream();
        await pdf.Content!.DecodeToAsync(content);
        using var document = UglyToad.PdfPig.PdfDocument.Open(content.ToArray());
        var text = string.Join(" ", document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        foreach (var expected in new[] { "Thảo", "Đặng", "R-ABCD-EFGH", "Nguyễn", "newsletter", "Yes", "No", "Łukasz" })
            Assert.Contains(expected, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARecipeThisHostCannotMake_IsKeptBackToRetry_AndNeverSentAsItIs()
    {
        await WriteAsync(Outgoing("receipt:2") with { Attachments = [ReceiptAttachment.For(Recipe("R-2222-2222"))] });

        var result = await Drain().RunAsync(CancellationToken.None);

        Assert.Equal((0, 1), (result.Sent, result.Retrying));
        Assert.Empty(_sink.Messages);
        var row = await LoadAsync(database, "receipt:2");
        Assert.Equal(OutboxStatus.Pending, row.Status);
        Assert.Contains("cannot make", row.LastError, StringComparison.Ordinal);

        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, (await Drain(Maker()).RunAsync(CancellationToken.None)).Sent);
        Assert.Equal("application/pdf", Assert.Single(Assert.Single(_sink.Messages).Message.Attachments.OfType<MimeKit.MimePart>()).ContentType.MimeType);
    }

    [Fact]
    public async Task AnUnreadableRecipe_FailsItsMessage_AndTheRestOfTheBatchIsSent()
    {
        await WriteAsync(Outgoing("receipt:bad") with { Attachments = [new EmailAttachment("consent-receipt.pdf", ReceiptAttachment.Type, "{not json"u8.ToArray())] });
        await WriteAsync(Outgoing("receipt:good", "other@home.example") with { Attachments = [ReceiptAttachment.For(Recipe("R-3333-3333"))] });

        var result = await Drain(Maker()).RunAsync(CancellationToken.None);

        Assert.Equal((1, 1), (result.Sent, result.Failed));
        Assert.Equal("other@home.example", Assert.Single(_sink.Messages).Message.To.Mailboxes.Single().Address);
        var bad = await LoadAsync(database, "receipt:bad");
        Assert.Equal(OutboxStatus.Failed, bad.Status);
        Assert.Contains("could not be made", bad.LastError, StringComparison.Ordinal);
    }
}
