using System.Security.Cryptography;
using System.Text;
using ConsentHub.Email;
using ConsentHub.Testing.Database;
using Microsoft.EntityFrameworkCore;
using static ConsentHub.Tests.Email.EmailTestSupport;

namespace ConsentHub.Tests.Email;

public sealed class OutboxWriterTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly OutboxWriter _writer = new(Options(), Clock());

    public Task InitializeAsync() => ClearOutboxAsync(database);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task NewMessage_IsPendingAndDueNow_WithItsAttachments()
    {
        var email = Outgoing("issued:1", toName: "Łukasz Ødegaard") with
        {
            HtmlBody = "<p>Hello</p>",
            Attachments = [new EmailAttachment("form.pdf", "application/pdf", new byte[] { 1, 2, 3 })],
        };

        await using (var db = database.CreateDbContext())
            Assert.Equal(1, await _writer.WriteAsync(db, email));

        var row = await LoadAsync(database, "issued:1");
        Assert.Equal(OutboxStatus.Pending, row.Status);
        Assert.Equal(0, row.Attempts);
        Assert.Equal(Clock().GetUtcNow(), row.NextAttemptAt);
        Assert.Equal(Clock().GetUtcNow(), row.CreatedAt);
        Assert.Equal("Łukasz Ødegaard", row.ToName);
        Assert.Equal("<p>Hello</p>", row.HtmlBody);
        var attachment = Assert.Single(row.Attachments);
        Assert.Equal(("form.pdf", "application/pdf"), (attachment.FileName, attachment.ContentType));
        Assert.Equal(new byte[] { 1, 2, 3 }, attachment.Content);
    }

    [Fact]
    public async Task SameBusinessKeyTwice_KeepsOneRowAndOneSetOfAttachments()
    {
        var email = Outgoing("reminder:7:1") with { Attachments = [new EmailAttachment("a.txt", "text/plain", "a"u8.ToArray())] };

        await using var db = database.CreateDbContext();
        var first = await _writer.WriteAsync(db, email);
        var second = await _writer.WriteAsync(db, email with { Subject = "A different subject" });

        Assert.Equal(1, first);
        Assert.Equal(0, second);
        Assert.Equal(1, await db.OutboxMessages.CountAsync());
        Assert.Equal(1, await db.Set<OutboxAttachment>().CountAsync());
        Assert.Equal("Consent form for reminder:7:1", (await LoadAsync(database, "reminder:7:1")).Subject);
    }

    [Fact]
    public async Task BulkWrite_AddsOnlyTheNewKeys_EvenWhenRepeatedInOneCall()
    {
        await using var db = database.CreateDbContext();
        await _writer.WriteAsync(db, Outgoing("bulk:1"));

        var added = await _writer.WriteAsync(db, [Outgoing("bulk:1"), Outgoing("bulk:2"), Outgoing("bulk:3"), Outgoing("bulk:3")]);

        Assert.Equal(2, added);
        Assert.Equal(["bulk:1", "bulk:2", "bulk:3"], await db.OutboxMessages.OrderBy(m => m.BusinessKey).Select(m => m.BusinessKey).ToListAsync());
    }

    [Fact]
    public async Task MessageId_IsDerivedFromTheBusinessKey()
    {
        await using (var db = database.CreateDbContext())
            await _writer.WriteAsync(db, Outgoing("request:42:contact:9"));

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("request:42:contact:9")))[..32];
        Assert.Equal($"<{hash}@{MessageIdDomain}>", (await LoadAsync(database, "request:42:contact:9")).MessageId);
        Assert.Equal(OutboxWriter.MessageIdFor("request:42:contact:9", MessageIdDomain), OutboxWriter.MessageIdFor("request:42:contact:9", MessageIdDomain));
        Assert.NotEqual(OutboxWriter.MessageIdFor("request:42:contact:9", MessageIdDomain), OutboxWriter.MessageIdFor("request:42:contact:10", MessageIdDomain));
    }

    [Fact]
    public async Task WrittenInsideAFeatureTransactionThatRollsBack_LeavesNoRow()
    {
        await using (var db = database.CreateDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await _writer.WriteAsync(db, Outgoing("rolled-back:1"));
            await transaction.RollbackAsync();
        }

        await using var check = database.CreateDbContext();
        Assert.False(await check.OutboxMessages.AnyAsync());
    }

    [Fact]
    public async Task WrittenInsideAFeatureTransaction_CommitsWithTheFeaturesOwnChanges()
    {
        await using (var db = database.CreateDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await _writer.WriteAsync(db, Outgoing("committed:1"));
            db.OutboxMessages.Add(new OutboxMessage
            {
                BusinessKey = "tracked:1",
                MessageId = "<tracked.1@test>",
                ToAddress = "x@home.example",
                Subject = "s",
                TextBody = "t",
            });
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        await using var check = database.CreateDbContext();
        Assert.Equal(2, await check.OutboxMessages.CountAsync());
    }

    [Fact]
    public async Task NotBefore_DelaysTheMessage()
    {
        var later = Clock().GetUtcNow().AddDays(3);
        await using (var db = database.CreateDbContext())
            await _writer.WriteAsync(db, Outgoing("later:1") with { NotBefore = later });

        Assert.Equal(later, (await LoadAsync(database, "later:1")).NextAttemptAt);
    }

    [Theory]
    [InlineData("not an address")]
    [InlineData("a@b.example, c@d.example")]
    [InlineData("")]
    public async Task InvalidRecipient_IsRefusedBeforeAnythingIsWritten(string to)
    {
        await using var db = database.CreateDbContext();

        var e = await Assert.ThrowsAsync<ArgumentException>(() => _writer.WriteAsync(db, [Outgoing("ok:1"), Outgoing("bad:1", to)]));

        Assert.Contains("bad:1", e.Message, StringComparison.Ordinal);
        Assert.False(await db.OutboxMessages.AnyAsync());
    }
}
