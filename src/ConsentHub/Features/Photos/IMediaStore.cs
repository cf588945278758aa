using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Photos;

/// <summary>
/// Where original photos are kept. Callers check the academy scope on <see cref="Photo"/> first: the store has no
/// notion of who asks, and nothing in it is addressable from outside (no URL, no public path).
/// </summary>
public interface IMediaStore
{
    Task SaveAsync(Guid photoId, Guid academyId, byte[] content, CancellationToken ct);

    Task<byte[]?> ReadAsync(Guid photoId, CancellationToken ct);

    Task DeleteAsync(IReadOnlyCollection<Guid> photoIds, CancellationToken ct);
}

/// <summary>The default store: a row per original in PostgreSQL, so backups, scoping and deletion go with the rest.</summary>
public sealed class PostgresMediaStore(IDbContextFactory<ConsentHubDbContext> factory) : IMediaStore
{
    public async Task SaveAsync(Guid photoId, Guid academyId, byte[] content, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        db.PhotoOriginals.Add(new PhotoOriginal { PhotoId = photoId, AcademyId = academyId, Content = content });
        await db.SaveChangesAsync(ct);
    }

    public async Task<byte[]?> ReadAsync(Guid photoId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.PhotoOriginals.Where(o => o.PhotoId == photoId).Select(o => o.Content).SingleOrDefaultAsync(ct);
    }

    public async Task DeleteAsync(IReadOnlyCollection<Guid> photoIds, CancellationToken ct)
    {
        if (photoIds.Count == 0) return;
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.PhotoOriginals.Where(o => photoIds.Contains(o.PhotoId)).ExecuteDeleteAsync(ct);
    }
}
