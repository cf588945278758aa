using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using Npgsql;

namespace ConsentHub.Checks;

/// <summary>
/// The small, rarely changing facts every check needs — active purposes, current posting pauses per academy, the
/// trust's rule settings — read in one round trip and kept for <see cref="MaxAge"/>. A change made on this
/// instance takes effect at once (<see cref="Invalidate"/>); on another instance within <see cref="MaxAge"/>.
/// </summary>
public sealed class ConsentReferenceCache(NpgsqlDataSource dataSource, TimeProvider clock) : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Ended pauses are kept this long: they no longer decide anything (the rule engine compares times), but their
    /// end is when a decision last changed, which the API's <c>lastChangedAt</c> reports.
    /// </summary>
    public static readonly TimeSpan EndedPausesKept = TimeSpan.FromDays(400);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Snapshot? _snapshot;

    public sealed record PurposeRow(Guid Id, PurposeFacts Facts);

    public sealed record Snapshot(
        IReadOnlyList<PurposeRow> Purposes,
        IReadOnlyDictionary<Guid, IReadOnlyList<PauseFacts>> PausesByAcademy,
        ConsentRuleSettings Settings,
        DateTimeOffset LoadedAt)
    {
        public IReadOnlyList<PauseFacts> PausesFor(Guid academyId) => PausesByAcademy.TryGetValue(academyId, out var p) ? p : [];
    }

    public void Invalidate() => _snapshot = null;

    public void Dispose() => _gate.Dispose();

    public async ValueTask<Snapshot> GetAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var current = _snapshot;
        if (current is not null && now - current.LoadedAt < MaxAge) return current;
        await _gate.WaitAsync(ct);
        try
        {
            current = _snapshot;
            if (current is not null && now - current.LoadedAt < MaxAge) return current;
            current = await LoadAsync(now, ct);
            _snapshot = current;
            return current;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Snapshot> LoadAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(conn)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("""
                    SELECT id, key, name, lawful_basis, validity_kind, validity_months, publishes_on_trust_accounts
                    FROM consenthub.purposes WHERE active ORDER BY sort_order, name
                    """),
                new NpgsqlBatchCommand("""
                    SELECT a.id, pp."from", pp.until, pp.reason
                    FROM consenthub.posting_pauses pp
                    JOIN consenthub.academies a ON pp.scope = 'Trust' OR (pp.scope = 'Academy' AND pp.scope_id = a.id) OR (pp.scope = 'Region' AND pp.scope_id = a.region_id)
                    WHERE pp.until IS NULL OR pp.until > $1
                    """) { Parameters = { new NpgsqlParameter<DateTimeOffset> { TypedValue = now - EndedPausesKept } } },
                new NpgsqlBatchCommand("""
                    SELECT require_every_parental_responsibility_holder, academic_year_start_month, academic_year_start_day
                    FROM consenthub.trusts ORDER BY id LIMIT 1
                    """),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);

        var purposes = new List<PurposeRow>();
        while (await reader.ReadAsync(ct))
        {
            var validity = new PurposeValidity(Enum.Parse<ValidityKind>(reader.GetString(4)), reader.GetInt32(5));
            purposes.Add(new PurposeRow(reader.GetGuid(0),
                new PurposeFacts(reader.GetString(1), reader.GetString(2), Enum.Parse<LawfulBasis>(reader.GetString(3)), validity, reader.GetBoolean(6))));
        }

        await reader.NextResultAsync(ct);
        var pauses = new Dictionary<Guid, List<PauseFacts>>();
        while (await reader.ReadAsync(ct))
        {
            var academy = reader.GetGuid(0);
            if (!pauses.TryGetValue(academy, out var list)) pauses[academy] = list = [];
            list.Add(new PauseFacts(reader.GetFieldValue<DateTimeOffset>(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3)));
        }

        await reader.NextResultAsync(ct);
        var settings = ConsentRuleSettings.Default;
        if (await reader.ReadAsync(ct))
            settings = new ConsentRuleSettings(reader.GetBoolean(0), reader.GetInt32(1), reader.GetInt32(2));

        return new Snapshot(purposes, pauses.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<PauseFacts>)kv.Value), settings, now);
    }
}
