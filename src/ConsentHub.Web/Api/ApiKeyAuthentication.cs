using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using ConsentHub.Access;
using ConsentHub.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConsentHub.Web.Api;

/// <summary>
/// This instance's copy of API key rows, each kept at most <see cref="CacheFor"/> (30 seconds, the revocation delay
/// docs/API.md promises) so a check does not cost a second query. A key revoked on this instance is forgotten at
/// once (<see cref="ApiKeyRevocations"/>); other instances reload it within <see cref="CacheFor"/>. Ages are measured
/// on the host's <see cref="TimeProvider"/>. Also records a key's last use, at most once a minute per key.
/// </summary>
public sealed class ApiKeyCache : IDisposable
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LastUseEvery = TimeSpan.FromMinutes(1);

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _clock;
    private readonly ApiKeyRevocations _revocations;
    private readonly ConcurrentDictionary<string, Entry> _rows = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _lastUseWritten = new();

    public ApiKeyCache(NpgsqlDataSource dataSource, TimeProvider clock, ApiKeyRevocations revocations)
    {
        _dataSource = dataSource;
        _clock = clock;
        _revocations = revocations;
        _revocations.KeyRevoked += Forget;
    }

    public sealed record KeyRow(Guid Id, string Name, byte[] SecretHash, Guid? AcademyId, bool Revoked, DateTimeOffset? ExpiresAt);

    private sealed record Entry(KeyRow? Row, DateTimeOffset LoadedAt);

    public async Task<KeyRow?> GetAsync(string prefix, CancellationToken ct)
    {
        var now = _clock.GetUtcNow();
        if (_rows.TryGetValue(prefix, out var cached) && now - cached.LoadedAt < CacheFor) return cached.Row;
        await using var cmd = _dataSource.CreateCommand("SELECT id, name, secret_hash, academy_id, revoked_at IS NOT NULL, expires_at FROM consenthub.api_keys WHERE prefix = $1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = prefix });
        KeyRow? row = null;
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            if (await r.ReadAsync(ct))
                row = new KeyRow(r.GetGuid(0), r.GetString(1), (byte[])r[2], r.IsDBNull(3) ? null : r.GetGuid(3), r.GetBoolean(4), r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5));
        }
        // Unknown prefixes are not kept: a flood of made-up keys must not grow the cache.
        if (row is not null) _rows[prefix] = new Entry(row, now);
        return row;
    }

    /// <summary>Writes the key's last use if this instance has not written it in the last minute.</summary>
    public async Task NoteUseAsync(Guid keyId, CancellationToken ct)
    {
        var now = _clock.GetUtcNow();
        if (_lastUseWritten.TryGetValue(keyId, out var written) && now - written < LastUseEvery) return;
        _lastUseWritten[keyId] = now;
        await using var cmd = _dataSource.CreateCommand("UPDATE consenthub.api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)");
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = keyId });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public DateTimeOffset Now => _clock.GetUtcNow();

    private void Forget(string prefix) => _rows.TryRemove(prefix, out _);

    public void Dispose() => _revocations.KeyRevoked -= Forget;
}

/// <summary>
/// API keys: "X-Api-Key: chk_…" or "Authorization: Bearer chk_…", looked up through <see cref="ApiKeyCache"/>. A
/// revoked or expired key is refused; a revoked one within 30 seconds on every instance, at once on the one that
/// revoked it.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyCache keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string KeyIdClaim = "consenthub:api_key";
    public const string AcademyClaim = "consenthub:academy";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Presented(Request);
        if (presented is null) return AuthenticateResult.NoResult();
        if (!CreateApiKey.TryParse(presented, out var prefix, out var secret))
            return AuthenticateResult.Fail("Malformed API key.");

        var row = await keys.GetAsync(prefix, Context.RequestAborted);
        if (row is null || row.Revoked || (row.ExpiresAt is { } expires && expires <= keys.Now)
            || !CryptographicOperations.FixedTimeEquals(row.SecretHash, CreateApiKey.HashSecret(secret)))
            return AuthenticateResult.Fail("Unknown, revoked or expired API key.");
        await keys.NoteUseAsync(row.Id, Context.RequestAborted);

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, row.Id.ToString()),
            new(ClaimTypes.Name, $"api-key:{prefix}"),
            new(KeyIdClaim, row.Id.ToString()),
        };
        if (row.AcademyId is { } academy) claims.Add(new Claim(AcademyClaim, academy.ToString()));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    private static string? Presented(HttpRequest request)
    {
        var presented = request.Headers["X-Api-Key"].FirstOrDefault();
        if (presented is null && request.Headers.Authorization.FirstOrDefault() is { } auth && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            presented = auth["Bearer ".Length..].Trim();
        return presented;
    }

    /// <summary>The prefix of a well-formed key the request presents (for the audit of a refused key: never the secret).</summary>
    public static string? PresentedPrefix(HttpRequest request) =>
        CreateApiKey.TryParse(Presented(request), out var prefix, out _) ? prefix : null;

    /// <summary>The scope the authenticated key grants: its academy, or the trust.</summary>
    public static AccessScope ScopeOf(ClaimsPrincipal user)
    {
        var actor = user.Identity?.Name ?? "api-key";
        return user.FindFirst(AcademyClaim)?.Value is { } academy
            ? AccessScope.Academy(Guid.Parse(academy), actor)
            : AccessScope.Trust(actor);
    }
}
