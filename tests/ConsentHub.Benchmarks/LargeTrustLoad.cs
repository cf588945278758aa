using System.Diagnostics;
using ConsentHub.Trust.Demo;
using Npgsql;

namespace ConsentHub.Benchmarks;

/// <summary>
/// The steps the in-process scenarios share on a freshly migrated, seeded database: load the large demo trust (30
/// academies, 30,000 pupils, fixed seed) in one transaction, publish a new form version so every party is asked
/// again, and settle the statistics before timing anything.
/// </summary>
public static class LargeTrustLoad
{
    /// <summary>Generates and loads the large trust on <paramref name="conn"/>, and prints what it loaded and how long it took.</summary>
    public static async Task<DemoTrustCounts> LoadAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var reference = await DemoTrustReference.ReadAsync(conn, null, ct);
        var trust = DemoTrustGenerator.Generate(DemoTrustProfile.Large, reference);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var counts = await DemoTrustLoader.LoadAsync(conn, trust, ct);
        await tx.CommitAsync(ct);
        Console.WriteLine($"  large trust generated and loaded in {watch.Elapsed.TotalSeconds:F1} s: {counts}");
        return counts;
    }

    /// <summary>Publishes a new form version (label bench-2027.1): last September's requests expired, everyone is asked.</summary>
    public static async Task<Guid> PublishFormVersionAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var formId = Guid.CreateVersion7();
        await using var publish = new NpgsqlCommand("INSERT INTO consenthub.form_versions (id, label, published_at) VALUES (@id, 'bench-2027.1', now())", conn);
        publish.Parameters.AddWithValue("id", formId);
        await publish.ExecuteNonQueryAsync(ct);
        return formId;
    }

    /// <summary>VACUUM (ANALYZE) and a checkpoint, so plans and the first timed statements see settled tables.</summary>
    public static async Task SettleAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var settle = new NpgsqlCommand("VACUUM (ANALYZE); CHECKPOINT;", conn) { CommandTimeout = 600 };
        await settle.ExecuteNonQueryAsync(ct);
    }
}
