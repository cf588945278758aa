using ConsentHub.Email;
using ConsentHub.Testing.Database;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Tests.Data;

/// <summary>
/// Two classes write the same table at the same time. Each must see only its own rows: every class has its own
/// database copied from the migrated template.
/// </summary>
public abstract class DatabaseIsolationTestsBase(DatabaseFixture database, string marker)
{
    [Fact]
    public async Task WritingTheSameTableInParallel_SeesOnlyItsOwnRows()
    {
        for (var round = 0; round < 20; round++)
        {
            await using (var db = database.CreateDbContext())
            {
                db.OutboxMessages.Add(new OutboxMessage
                {
                    BusinessKey = $"{marker}:{round}",
                    MessageId = $"<{marker}.{round}@test>",
                    ToAddress = "someone@example.org",
                    Subject = marker,
                    TextBody = "hello",
                    CreatedAt = DateTimeOffset.UtcNow,
                    NextAttemptAt = DateTimeOffset.UtcNow,
                });
                await db.SaveChangesAsync();
            }
            // Let the other class's writes in between (both classes run at the same time); no sleep needed.
            await Task.Yield();
        }

        await using var check = database.CreateDbContext();
        var subjects = await check.OutboxMessages.Select(m => m.Subject).Distinct().ToListAsync();
        Assert.Equal([marker], subjects);
        Assert.Equal(20, await check.OutboxMessages.CountAsync());
    }
}

public sealed class DatabaseIsolationTestsA(DatabaseFixture database)
    : DatabaseIsolationTestsBase(database, "class-a"), IClassFixture<DatabaseFixture>;

public sealed class DatabaseIsolationTestsB(DatabaseFixture database)
    : DatabaseIsolationTestsBase(database, "class-b"), IClassFixture<DatabaseFixture>;
