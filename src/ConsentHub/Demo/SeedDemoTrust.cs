using ConsentHub.Api;
using ConsentHub.Consent;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace ConsentHub.Trust.Demo;

/// <summary>
/// First Development run: fills an empty database with the demo trust (<see cref="DemoTrustProfile.Demo"/>) and
/// creates a trust-wide API key, so there is something to click through and call straight away. Does nothing
/// outside Development or once any academy exists, whatever the caller asks: a real trust's fresh install is
/// also "a database without academies", and must never receive invented children.
/// </summary>
public sealed class SeedDemoTrust(
    NpgsqlDataSource dataSource,
    SeedReferenceData referenceData,
    CreateApiKey createApiKey,
    IHostEnvironment environment,
    TimeProvider clock)
{
    public const string ApiKeyName = "Demo trust-wide key";
    public const string CreatedBy = "demo-seed";

    /// <summary>Held while checking for academies and loading, so two instances starting together load once.</summary>
    private const long AdvisoryLockKey = 0x436F_6E73_656E_7402; // "Consent" + 02: demo trust

    /// <param name="Created">False when this is not Development or academies already exist.</param>
    /// <param name="Counts">The rows written; null when nothing was.</param>
    /// <param name="ApiKey">The plain-text key, shown this once for the host to print; null when nothing was created.</param>
    public sealed record Result(bool Created, DemoTrustCounts? Counts, string? ApiKey)
    {
        public static Result NotCreated { get; } = new(false, null, null);
    }

    public async Task<Result> HandleAsync(CancellationToken ct = default)
    {
        if (!environment.IsDevelopment()) return Result.NotCreated;

        await referenceData.HandleAsync(ct);

        DemoTrustCounts counts;
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        {
            await using (var tx = await conn.BeginTransactionAsync(ct))
            {
                await using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", conn, tx))
                {
                    lockCmd.Parameters.AddWithValue("key", AdvisoryLockKey);
                    await lockCmd.ExecuteNonQueryAsync(ct);
                }
                await using (var any = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM consenthub.academies)", conn, tx))
                {
                    if ((bool)(await any.ExecuteScalarAsync(ct))!) return Result.NotCreated;
                }

                // "Now" rather than the profile's fixed date: the demo should look like this term's data whenever
                // a developer first runs it, with this academic year's year groups and recent answers.
                var reference = await DemoTrustReference.ReadAsync(conn, tx, ct);
                var trust = DemoTrustGenerator.Generate(DemoTrustProfile.Demo with { AsOf = clock.GetUtcNow() }, reference);
                counts = await DemoTrustLoader.LoadAsync(conn, trust, ct);
                counts = counts with { Accounts = await RegisterDemoAccountsAsync(conn, tx, ct) };
                await tx.CommitAsync(ct);
            }
            await DemoTrustLoader.AnalyzeAsync(conn, ct);
        }

        // A separate step with its own audited transaction. Should it fail, the demo stays loaded without a key;
        // one can be created as for any trust.
        var key = await createApiKey.HandleAsync(new CreateApiKey.Request(ApiKeyName, AcademyId: null, CreatedBy), ct);
        return new Result(true, counts, key.PlainTextKey);
    }

    /// <summary>
    /// The register of affiliated accounts (policy §4.4) for the demo: the trust's Facebook, Instagram and X, and
    /// each academy's Facebook, with two administrative contacts on the demo staff's domain (added to the trust's
    /// domains). Without it a demo withdrawal would create no takedown task, and the takedown page would show
    /// nothing to do.
    /// </summary>
    private static async Task<int> RegisterDemoAccountsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        const string domain = ConsentHub.Staff.SeedDemoStaff.EmailDomain;
        await using (var domains = new NpgsqlCommand(
            "UPDATE consenthub.trusts SET email_domains = array_append(email_domains, @domain) WHERE NOT (@domain = ANY(email_domains))", conn, tx))
        {
            domains.Parameters.AddWithValue("domain", domain);
            await domains.ExecuteNonQueryAsync(ct);
        }
        var academies = new List<(Guid Id, string Code)>();
        await using (var read = new NpgsqlCommand("SELECT id, code FROM consenthub.academies ORDER BY code", conn, tx))
        await using (var reader = await read.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) academies.Add((reader.GetGuid(0), reader.GetString(1)));
        }
        var accounts = new List<(string Platform, string Handle, string Scope, Guid? ScopeId)>
        {
            ("Facebook", "Demo Learning Trust", "Trust", null),
            ("Instagram", "@demolearningtrust", "Trust", null),
            ("X", "@DemoLearningTrust", "Trust", null),
        };
        accounts.AddRange(academies.Select(a => ("Facebook", $"@demo{a.Code.ToLowerInvariant()}", "Academy", (Guid?)a.Id)));
        foreach (var (platform, handle, scope, scopeId) in accounts)
        {
            await using var insert = new NpgsqlCommand("""
                INSERT INTO consenthub.affiliated_accounts (id, platform, handle, url, scope, scope_id, first_admin_name,
                    first_admin_email, second_admin_name, second_admin_email, registered_at, registered_by)
                VALUES (@id, @platform, @handle, NULL, @scope, @scopeId, 'Communications lead', @first, 'Trust administrator',
                    @second, now(), @by)
                """, conn, tx);
            insert.Parameters.AddWithValue("id", Guid.CreateVersion7());
            insert.Parameters.AddWithValue("platform", platform);
            insert.Parameters.AddWithValue("handle", handle);
            insert.Parameters.AddWithValue("scope", scope);
            insert.Parameters.AddWithValue("scopeId", (object?)scopeId ?? DBNull.Value);
            insert.Parameters.AddWithValue("first", ConsentHub.Staff.SeedDemoStaff.EmailFor(ConsentHub.Access.StaffRoles.CommunicationsDirector));
            insert.Parameters.AddWithValue("second", ConsentHub.Staff.SeedDemoStaff.EmailFor(ConsentHub.Access.StaffRoles.TrustAdmin));
            insert.Parameters.AddWithValue("by", CreatedBy);
            await insert.ExecuteNonQueryAsync(ct);
        }
        return accounts.Count;
    }
}
