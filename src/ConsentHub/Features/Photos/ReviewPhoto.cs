using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Photos;

/// <summary>What a photo is to be used for: a purpose, optionally on one account from the register.</summary>
public sealed record PhotoUse(string PurposeKey, Guid? AccountId = null);

/// <summary>One face and whether it may be shown for the use, with the teacher's reason.</summary>
public sealed record FaceDecision(Guid FaceId, FaceBox Box, FaceSource Source, FaceTag Tag, Guid? PupilId, string? PupilName, bool Shown, string Reason);

/// <summary>A photo's faces decided for one use. <see cref="Paused"/>: a posting pause covers the academy for this use.</summary>
public sealed record PhotoReview(Guid PhotoId, Guid AcademyId, int Width, int Height, DateTimeOffset UploadedAt, PhotoUse Use, string UseName,
    bool Paused, IReadOnlyList<FaceDecision> Faces)
{
    public IEnumerable<Guid> ShownPupils => Faces.Where(f => f.Shown && f.PupilId is not null).Select(f => f.PupilId!.Value).Distinct();
    public IEnumerable<Guid> HiddenPupils => Faces.Where(f => !f.Shown && f.PupilId is not null).Select(f => f.PupilId!.Value).Distinct();
    public IEnumerable<Guid> TaggedPupils => Faces.Where(f => f.PupilId is not null).Select(f => f.PupilId!.Value).Distinct();
}

/// <summary>
/// Decides every face of a photo for a use through the teacher's check (the same read model and rule engine, read
/// now, so a withdrawal a moment ago counts): a pupil is shown only when Allowed; "not a pupil" is shown; an
/// untagged face, "don't know", and any pupil refused, pending, flagged, left or paused are hidden. Audited as a
/// check of each tagged pupil.
/// </summary>
public sealed class ReviewPhoto(IDbContextFactory<ConsentHubDbContext> factory, ConsentStatusReader reader, ConsentReferenceCache reference,
    IAuditLog audit, TimeProvider clock)
{
    public abstract record Result
    {
        public sealed record Reviewed(PhotoReview Review, AccessScope Scope) : Result;

        public sealed record NotFound : Result;

        public sealed record BadUse(string Message) : Result;
    }

    public async Task<Result> HandleAsync(IReadOnlyList<AccessScope> scopes, Guid photoId, PhotoUse use, string via = "photo", CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(use);
        Photo photo;
        AccessScope scope;
        string useName;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            if (await PhotoAccess.FindAsync(db, scopes, photoId, track: false, ct) is not { } found)
            {
                audit.RecordRead(new AuditEvent(null, scopes.Count > 0 ? scopes[0].Actor : "unknown", "access.not-found", "Photo", photoId.ToString()));
                return new Result.NotFound();
            }
            (photo, scope) = found;
            var refs = await reference.GetAsync(ct);
            var purpose = refs.Purposes.FirstOrDefault(p => p.Facts.Key == use.PurposeKey);
            if (purpose is null) return new Result.BadUse("Choose what the photo is for.");
            useName = purpose.Facts.Name;
            if (use.AccountId is { } accountId)
            {
                var account = await AccountFor(db, accountId, photo.AcademyId, ct);
                if (account is null) return new Result.BadUse("That account is not in the register for this academy.");
                if (!purpose.Facts.PublishesOnTrustAccounts) return new Result.BadUse($"\"{purpose.Facts.Name}\" does not publish on social media accounts.");
                useName = $"{purpose.Facts.Name} on {account}";
            }
        }

        var now = clock.GetUtcNow();
        var refsNow = await reference.GetAsync(ct);
        var publishes = refsNow.Purposes.First(p => p.Facts.Key == use.PurposeKey).Facts.PublishesOnTrustAccounts;
        var paused = publishes && refsNow.PausesFor(photo.AcademyId).Any(p => p.From <= now && (p.Until is null || p.Until > now));

        var pupils = new Dictionary<Guid, PupilConsent?>();
        foreach (var id in photo.Faces.Where(f => f.Tag == FaceTag.Pupil && f.PupilId is not null).Select(f => f.PupilId!.Value).Distinct())
            pupils[id] = await reader.ForPupilAsync(scope, id, use.PurposeKey, ct);

        var decisions = new List<FaceDecision>(photo.Faces.Count);
        foreach (var face in photo.Faces.OrderBy(f => f.X).ThenBy(f => f.Y))
            decisions.Add(Decide(face, pupils, paused));

        var review = new PhotoReview(photo.Id, photo.AcademyId, photo.Width, photo.Height, photo.UploadedAt, use, useName, paused, decisions);
        audit.RecordRead(new AuditEvent(photo.AcademyId, scope.Actor, "photo.reviewed", "Photo", photo.Id.ToString(), null,
            new Dictionary<string, object?>
            {
                ["via"] = via,
                ["purpose"] = use.PurposeKey,
                ["account"] = use.AccountId?.ToString(),
                ["shown"] = review.ShownPupils.Select(p => p.ToString()).ToList(),
                ["hidden"] = review.HiddenPupils.Select(p => p.ToString()).ToList(),
                ["faces"] = decisions.Count,
            }));
        return new Result.Reviewed(review, scope);
    }

    private static FaceDecision Decide(PhotoFace face, Dictionary<Guid, PupilConsent?> pupils, bool paused)
    {
        switch (face.Tag)
        {
            case FaceTag.NotAPupil:
                return new(face.Id, face.Box, face.Source, face.Tag, null, null, !paused,
                    paused ? "Posting is paused: nothing may be published." : "Not a pupil (adult or visitor): shown.");
            case FaceTag.Pupil when face.PupilId is { } id && pupils.GetValueOrDefault(id) is { } consent:
                var purpose = consent.Purposes.Count > 0 ? consent.Purposes[0] : null;
                var allowed = purpose is not null && purpose.Decision.Status == ConsentStatus.Allowed && !consent.DoNotFeature && !paused;
                var reason = purpose is null ? "Unknown use." : PupilCheckCard.ReasonFor(purpose.Decision);
                if (!allowed && consent.DoNotFeature && purpose?.Decision.Status == ConsentStatus.Allowed) reason = "Do not photograph or feature.";
                return new(face.Id, face.Box, face.Source, face.Tag, id, consent.DisplayName, allowed, (allowed ? "Shown: " : "Hidden: ") + reason);
            case FaceTag.Pupil:
                return new(face.Id, face.Box, face.Source, FaceTag.Untagged, null, null, false, "Hidden: the pupil is no longer on the roster.");
            case FaceTag.DontKnow:
                return new(face.Id, face.Box, face.Source, face.Tag, null, null, false, "Hidden: nobody knows who this is.");
            default:
                return new(face.Id, face.Box, face.Source, face.Tag, null, null, false, "Hidden: not tagged yet.");
        }
    }

    /// <summary>"@handle on Platform" for an open account that can feature the academy's pupils, else null.</summary>
    internal static async Task<string?> AccountFor(ConsentHubDbContext db, Guid accountId, Guid academyId, CancellationToken ct)
    {
        var academy = await db.Academies.AsNoTracking().Where(a => a.Id == academyId).Select(a => new { a.Id, a.RegionId }).SingleAsync(ct);
        var account = await db.AffiliatedAccounts.AsNoTracking()
            .Where(a => a.Id == accountId && a.ClosedAt == null && (a.Scope == Trust.PauseScope.Trust
                || (a.Scope == Trust.PauseScope.Region && a.ScopeId == academy.RegionId)
                || (a.Scope == Trust.PauseScope.Academy && a.ScopeId == academy.Id)))
            .Select(a => new { a.Handle, a.Platform }).SingleOrDefaultAsync(ct);
        return account is null ? null : $"{account.Handle} on {account.Platform}";
    }
}
