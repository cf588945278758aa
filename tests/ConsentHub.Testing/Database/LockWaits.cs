using Npgsql;

namespace ConsentHub.Testing.Database;

/// <summary>
/// Waits on what PostgreSQL says rather than on a clock: "this session is now waiting for a lock" is a fact in
/// pg_stat_activity, where a fixed sleep only hopes the statement got that far.
/// </summary>
public static class LockWaits
{
    /// <summary>
    /// Returns once the backend <paramref name="pid"/> is waiting for a lock, or once <paramref name="work"/> has
    /// finished without having to wait; fails after <paramref name="timeout"/> (30 s unless given).
    /// </summary>
    public static async Task UntilWaitingForALockAsync(DatabaseFixture database, int pid, Task work, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(work);
        await using var conn = await database.DataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("SELECT coalesce(bool_or(wait_event_type = 'Lock'), false) FROM pg_stat_activity WHERE pid = @pid", conn);
        cmd.Parameters.AddWithValue("pid", pid);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!work.IsCompleted)
        {
            if ((bool)(await cmd.ExecuteScalarAsync())!) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Backend {pid} neither waited for a lock nor finished in time.");
            await Task.Delay(20);
        }
    }
}
