using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Api;

/// <summary>
/// Revokes an API key, audited. The instance that revokes it forgets the key at once
/// (<see cref="ApiKeyRevocations"/>); other instances stop accepting it when their cached copy expires (at most 30
/// seconds, see docs/API.md).
/// </summary>
public sealed class RevokeApiKey(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit, TimeProvider clock, ApiKeyRevocations revocations)
{
    public enum Result
    {
        Revoked,
        AlreadyRevoked,
        NotFound,
    }

    public async Task<Result> HandleAsync(IReadOnlyList<AccessScope> scopes, Guid keyId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        if (scopes.Count == 0) return Result.NotFound;
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == keyId, ct);
        // Another academy's key is not found, as a guessed id would not be.
        if (key is null || !ListApiKeys.MayManage(scopes, key.AcademyId)) return Result.NotFound;
        if (key.RevokedAt is not null) return Result.AlreadyRevoked;
        key.RevokedAt = clock.GetUtcNow();
        key.RevokedBy = scopes[0].Actor;
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(key.AcademyId, scopes[0].Actor, "api-key.revoked", "ApiKey", key.Id.ToString(),
            Data: new Dictionary<string, object?> { ["name"] = key.Name, ["prefix"] = key.Prefix }), ct);
        await tx.CommitAsync(ct);
        revocations.Revoked(key.Prefix);
        return Result.Revoked;
    }
}
