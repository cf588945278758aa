using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using ConsentHub.Access;
using ConsentHub.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConsentHub.Web.Api;

/// <summary>
/// API keys: "X-Api-Key: chk_…" or "Authorization: Bearer chk_…". The key's row is cached for 30 seconds so a
/// check does not cost a second query; a revoked key therefore stops working within 30 seconds.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    NpgsqlDataSource dataSource,
    IMemoryCache cache) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string KeyIdClaim = "consenthub:api_key";
    public const string AcademyClaim = "consenthub:academy";
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private sealed record KeyRow(Guid Id, string Name, byte[] SecretHash, Guid? AcademyId, bool Revoked);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Request.Headers["X-Api-Key"].FirstOrDefault();
        if (presented is null && Request.Headers.Authorization.FirstOrDefault() is { } auth && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            presented = auth["Bearer ".Length..].Trim();
        if (presented is null) return AuthenticateResult.NoResult();
        if (!CreateApiKey.TryParse(presented, out var prefix, out var secret))
            return AuthenticateResult.Fail("Malformed API key.");

        var row = await cache.GetOrCreateAsync("api-key:" + prefix, async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            await using var cmd = dataSource.CreateCommand("SELECT id, name, secret_hash, academy_id, revoked_at IS NOT NULL FROM consenthub.api_keys WHERE prefix = $1");
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = prefix });
            await using var r = await cmd.ExecuteReaderAsync(Context.RequestAborted);
            return await r.ReadAsync(Context.RequestAborted)
                ? new KeyRow(r.GetGuid(0), r.GetString(1), (byte[])r[2], r.IsDBNull(3) ? null : r.GetGuid(3), r.GetBoolean(4))
                : null;
        });
        if (row is null || row.Revoked || !CryptographicOperations.FixedTimeEquals(row.SecretHash, CreateApiKey.HashSecret(secret)))
            return AuthenticateResult.Fail("Unknown or revoked API key.");

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, row.Id.ToString()),
            new(ClaimTypes.Name, $"api-key:{prefix}"),
            new(KeyIdClaim, row.Id.ToString()),
        };
        if (row.AcademyId is { } academy) claims.Add(new Claim(AcademyClaim, academy.ToString()));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    /// <summary>The scope the authenticated key grants: its academy, or the trust.</summary>
    public static AccessScope ScopeOf(ClaimsPrincipal user)
    {
        var actor = user.Identity?.Name ?? "api-key";
        return user.FindFirst(AcademyClaim)?.Value is { } academy
            ? AccessScope.Academy(Guid.Parse(academy), actor)
            : AccessScope.Trust(actor);
    }
}
