using System.Diagnostics;
using ConsentHub.Api;
using ConsentHub.Audit;
using ConsentHub.Data;
using ConsentHub.Trust.Demo;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ConsentHub.Benchmarks.App;

/// <summary>
/// The large trust (30 academies, 30,000 pupils, ~50,000 contacts, fixed seed) in its own database, served by
/// ConsentHub's real host. Loaded once per harness run and shared by the ConsentHub scenarios.
/// </summary>
public sealed class LargeTrust : IAsyncDisposable
{
    private static LargeTrust? _shared;

    private LargeTrust(ConsentHubAppProcess app, string connectionString, DemoTrust trust, string apiKey, ServiceProvider services)
    {
        App = app;
        ConnectionString = connectionString;
        Trust = trust;
        ApiKey = apiKey;
        Services = services;
    }

    public ConsentHubAppProcess App { get; }
    public string ConnectionString { get; }
    public DemoTrust Trust { get; }
    public string ApiKey { get; }

    /// <summary>The core's services on the same database, for in-process (server-time) measurements.</summary>
    public ServiceProvider Services { get; }

    /// <summary>
    /// What the benchmark host changes from the shipped settings, for the signing scenario (the check API does not
    /// use either). All load comes from one loopback address, so the per-address limit on the signing pages (60 a
    /// minute) would turn the run into 429s: it is raised here, never in the shipped defaults (the per-link limit
    /// stays at 20 a minute: a signer makes four requests). The host speaks plain HTTP on loopback, where
    /// antiforgery refuses a Secure-only cookie policy; in production TLS ends before or at Kestrel.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> HostSettings = new Dictionary<string, string>
    {
        ["Signing__RequestsPerIpPerMinute"] = "100000",
        ["StaffSignIn__SecureCookies"] = "false",
    };

    public static async Task<LargeTrust> GetAsync(BenchmarkContext context, CancellationToken ct)
    {
        if (_shared is not null) return _shared;
        const string database = "bench_large_trust";
        context.Cluster.EnsureDatabase(database);
        var cs = context.Cluster.ConnectionString(database);

        var watch = Stopwatch.StartNew();
        var app = await ConsentHubAppProcess.StartAsync(cs, ct, HostSettings);
        Console.WriteLine($"  host started and migrated in {watch.Elapsed.TotalSeconds:F1} s");

        try
        {
            _shared = await LoadAsync(app, cs, watch, ct);
            return _shared;
        }
        catch
        {
            // The host is a separate process: stop it, or it outlives the run.
            await app.DisposeAsync();
            throw;
        }
    }

    private static async Task<LargeTrust> LoadAsync(ConsentHubAppProcess app, string cs, Stopwatch watch, CancellationToken ct)
    {
        watch.Restart();
        DemoTrust trust;
        // The bulk load runs long on a busy machine: no 30 s command timeout.
        await using (var conn = new NpgsqlConnection(cs + ";Command Timeout=600"))
        {
            await conn.OpenAsync(ct);
            var reference = await DemoTrustReference.ReadAsync(conn, null, ct);
            trust = DemoTrustGenerator.Generate(DemoTrustProfile.Large, reference);
            var generated = watch.Elapsed;
            DemoTrustCounts counts;
            await using (var tx = await conn.BeginTransactionAsync(ct))
            {
                counts = await DemoTrustLoader.LoadAsync(conn, trust, ct);
                await tx.CommitAsync(ct);
            }
            // A fresh bulk load leaves hint bits, the visibility map and dirty buffers for later queries to pay
            // for (and autovacuum to chase during the measurement): settle them before anything is timed.
            await using (var settle = new NpgsqlCommand("VACUUM (ANALYZE); CHECKPOINT;", conn) { CommandTimeout = 600 })
                await settle.ExecuteNonQueryAsync(ct);
            Console.WriteLine($"  large trust generated in {generated.TotalSeconds:F1} s, loaded in {(watch.Elapsed - generated).TotalSeconds:F1} s: {counts}");
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        services.AddSingleton(TimeProvider.System);
        services.AddConsentHubData(cs);
        services.AddConsentHubAudit();
        services.AddSingleton<CreateApiKey>();
        services.AddSingleton<ConsentHub.Checks.ConsentReferenceCache>();
        services.AddSingleton<ConsentHub.Checks.ConsentStatusReader>();
        var provider = services.BuildServiceProvider();
        var key = await provider.GetRequiredService<CreateApiKey>().HandleAsync(new CreateApiKey.Request("benchmark", null, "benchmark harness"), ct);

        return new LargeTrust(app, cs, trust, key.PlainTextKey, provider);
    }

    public static async Task ReleaseAsync()
    {
        if (_shared is null) return;
        await _shared.DisposeAsync();
        _shared = null;
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Services.DisposeAsync();
    }
}
