using ConsentHub.Checks;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Photos;

/// <summary>What a photo of an academy may be checked for: every purpose, and the open registered accounts that can feature its pupils.</summary>
public sealed class ListPhotoUses(IDbContextFactory<ConsentHubDbContext> factory, ConsentReferenceCache reference)
{
    public sealed record PurposeChoice(string Key, string Name, bool PublishesOnAccounts);

    public sealed record AccountChoice(Guid Id, string Name);

    public sealed record Uses(IReadOnlyList<PurposeChoice> Purposes, IReadOnlyList<AccountChoice> Accounts);

    /// <returns>The uses for the photo's academy, or null when the photo is not in the caller's scope.</returns>
    public async Task<Uses?> HandleAsync(IReadOnlyList<Access.AccessScope> scopes, Guid photoId, CancellationToken ct = default)
    {
        var refs = await reference.GetAsync(ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        if (await PhotoAccess.FindAsync(db, scopes, photoId, track: false, ct) is not { } found) return null;
        var academyId = found.Photo.AcademyId;
        var academy = await db.Academies.AsNoTracking().Where(a => a.Id == academyId).Select(a => new { a.Id, a.RegionId }).SingleAsync(ct);
        var accounts = await db.AffiliatedAccounts.AsNoTracking()
            .Where(a => a.ClosedAt == null && (a.Scope == Trust.PauseScope.Trust
                || (a.Scope == Trust.PauseScope.Region && a.ScopeId == academy.RegionId)
                || (a.Scope == Trust.PauseScope.Academy && a.ScopeId == academy.Id)))
            .OrderBy(a => a.Platform).ThenBy(a => a.Handle)
            .Select(a => new { a.Id, a.Handle, a.Platform }).ToListAsync(ct);
        // Purposes that publish on the trust's accounts first: the usual reason to check a photo.
        return new Uses(
            [.. refs.Purposes.OrderByDescending(p => p.Facts.PublishesOnTrustAccounts).Select(p => new PurposeChoice(p.Facts.Key, p.Facts.Name, p.Facts.PublishesOnTrustAccounts))],
            [.. accounts.Select(a => new AccountChoice(a.Id, $"{a.Handle} on {a.Platform}"))]);
    }
}
