using System.Security.Cryptography;
using System.Text;
using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Api;

/// <summary>Creates an API key for an academy or the whole trust. The secret is shown once and stored only hashed.</summary>
public sealed class CreateApiKey(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit, TimeProvider clock)
{
    public const string KeyPrefix = "chk_";
    public const int MaxNameLength = 120;

    /// <param name="ExpiresAt">When the key stops working; null: until revoked. Must be in the future.</param>
    public sealed record Request(string Name, Guid? AcademyId, string CreatedBy, DateTimeOffset? ExpiresAt = null);

    /// <summary>The full key ("chk_&lt;prefix&gt;_&lt;secret&gt;") is in <see cref="PlainTextKey"/>, returned only here.</summary>
    public sealed record Result(Guid Id, string PlainTextKey, string Prefix);

    public async Task<Result> HandleAsync(Request request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Name))
            throw new ArgumentException("Give the key a name that says who uses it.", nameof(request));
        if (request.Name.Trim().Length > MaxNameLength)
            throw new ArgumentException($"A key's name is at most {MaxNameLength} characters.", nameof(request));
        if (request.ExpiresAt is { } expires && expires <= clock.GetUtcNow())
            throw new ArgumentException("A key's expiry must be in the future.", nameof(request));

        await using var db = await factory.CreateDbContextAsync(ct);
        if (request.AcademyId is { } academyId && !await db.Academies.AnyAsync(a => a.Id == academyId, ct))
            throw new ArgumentException("No such academy.", nameof(request));

        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var key = new ApiKey
        {
            Id = Guid.CreateVersion7(),
            Name = request.Name.Trim(),
            Prefix = prefix,
            SecretHash = HashSecret(secret),
            AcademyId = request.AcademyId,
            CreatedBy = request.CreatedBy,
            CreatedAt = clock.GetUtcNow(),
            ExpiresAt = request.ExpiresAt,
        };

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(request.AcademyId, request.CreatedBy, "api-key.created", "ApiKey", key.Id.ToString(),
            Data: new Dictionary<string, object?>
            {
                ["name"] = key.Name,
                ["prefix"] = prefix,
                ["scope"] = request.AcademyId is null ? "trust" : "academy",
                ["expiresAt"] = request.ExpiresAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            }), ct);
        await tx.CommitAsync(ct);

        return new Result(key.Id, $"{KeyPrefix}{prefix}_{secret}", prefix);
    }

    public static byte[] HashSecret(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>Splits "chk_&lt;prefix&gt;_&lt;secret&gt;"; false for anything else.</summary>
    public static bool TryParse(string? presented, out string prefix, out string secret)
    {
        prefix = secret = "";
        if (presented is null || !presented.StartsWith(KeyPrefix, StringComparison.Ordinal)) return false;
        var rest = presented.AsSpan(KeyPrefix.Length);
        var sep = rest.IndexOf('_');
        if (sep != 8 || rest.Length < sep + 20) return false;
        prefix = rest[..sep].ToString();
        secret = rest[(sep + 1)..].ToString();
        return true;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
