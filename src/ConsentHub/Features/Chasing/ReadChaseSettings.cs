using ConsentHub.Trust;
using Npgsql;

namespace ConsentHub.Chasing;

/// <summary>The trust's chase settings from its row; <see cref="ChaseSettings.Default"/> before the trust exists.</summary>
public sealed class ReadChaseSettings(NpgsqlDataSource dataSource)
{
    public async Task<ChaseSettings> HandleAsync(CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT chase_anchor, chase_offsets_days, chase_quiet_from, chase_quiet_until, chase_skip_weekends, chase_follow_up_after_days
            FROM consenthub.trusts ORDER BY id LIMIT 1
            """);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return ChaseSettings.Default;
        var settings = new ChaseSettings(Enum.Parse<ChaseAnchor>(reader.GetString(0)), reader.GetFieldValue<int[]>(1),
            reader.GetFieldValue<TimeOnly>(2), reader.GetFieldValue<TimeOnly>(3), reader.GetBoolean(4), reader.GetInt32(5));
        // A row edited by hand into something unusable falls back to the defaults rather than stopping the chase.
        return settings.Validate().Count == 0 ? settings : ChaseSettings.Default;
    }
}
