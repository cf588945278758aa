using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Checks;
using ConsentHub.Consent.Rules;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Photos;

/// <summary>
/// Records a publication in the post register: an account from the register, the post's address, the day, and
/// the safe exports it used. This is what ties pupils to a post, so a later withdrawal or safeguarding flag names
/// the post to take down. Refused while a posting pause covers the academy, and when any pupil an export shows is
/// not Allowed for that account now (consent may have changed since the export).
/// </summary>
public sealed class RecordPost(IDbContextFactory<ConsentHubDbContext> factory, ReviewPhoto review, ConsentReferenceCache reference, IAuditLog audit,
    TimeProvider clock)
{
    public const int MaxUrlLength = 2000;

    public sealed record Request(Guid AccountId, string Url, DateOnly PostedOn, IReadOnlyList<Guid> ExportIds);

    public abstract record Result
    {
        public sealed record Recorded(Guid PostId) : Result;

        public sealed record Refused(string Message) : Result;

        public sealed record NotFound : Result;
    }

    public async Task<Result> HandleAsync(IReadOnlyList<AccessScope> scopes, Request request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentNullException.ThrowIfNull(request);
        var url = request.Url?.Trim() ?? "";
        if (url.Length == 0 || url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            return new Result.Refused("Enter the post's full web address, starting https://.");
        if (request.ExportIds.Count == 0) return new Result.Refused("Choose the exported photos the post used.");
        var today = UkCalendar.DateOf(clock.GetUtcNow());
        if (request.PostedOn > today) return new Result.Refused("The post's date cannot be in the future.");

        await using var db = await factory.CreateDbContextAsync(ct);
        var exports = await db.PhotoExports.AsNoTracking().Where(e => request.ExportIds.Contains(e.Id))
            .Select(e => new { e.Id, e.PhotoId, e.AcademyId, e.PurposeId, e.ShownPupilIds }).ToListAsync(ct);
        if (exports.Count != request.ExportIds.Distinct().Count()) return new Result.NotFound();
        var academyId = exports[0].AcademyId;
        if (exports.Any(e => e.AcademyId != academyId)) return new Result.Refused("A post is recorded for one academy's photos at a time.");
        AccessScope? scope = null;
        foreach (var s in scopes)
        {
            if (await PhotoAccess.AcademyInScopeAsync(db, s, academyId, ct)) { scope = s; break; }
        }
        if (scope is null) return new Result.NotFound();
        if (await ReviewPhoto.AccountFor(db, request.AccountId, academyId, ct) is null)
            return new Result.Refused("That account is not in the register for this academy.");

        var refs = await reference.GetAsync(ct);
        var now = clock.GetUtcNow();
        if (refs.PausesFor(academyId).Any(p => p.From <= now && (p.Until is null || p.Until > now)))
            return new Result.Refused("Posting is paused for this academy: nothing may be published until the pause is lifted.");

        var purposes = refs.Purposes.ToDictionary(p => p.Id);
        foreach (var e in exports)
        {
            if (!purposes.TryGetValue(e.PurposeId, out var purpose) || !purpose.Facts.PublishesOnTrustAccounts)
                return new Result.Refused("An export was made for a use that does not publish on social media accounts: export it again for this account.");
            var now2 = await review.HandleAsync([scope], e.PhotoId, new PhotoUse(purpose.Facts.Key, request.AccountId), "post", ct);
            if (now2 is not ReviewPhoto.Result.Reviewed { Review: var current }) return new Result.NotFound();
            var notAllowed = e.ShownPupilIds.Except(current.ShownPupils).ToList();
            if (notAllowed.Count > 0)
            {
                var names = current.Faces.Where(f => f.PupilId is { } p && notAllowed.Contains(p)).Select(f => f.PupilName).Distinct().ToList();
                return new Result.Refused($"Consent has changed since the export: {(names.Count > 0 ? string.Join(", ", names) : "a pupil")} may not be shown now. Export the photo again; do not post the old file.");
            }
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var post = new PhotoPost
        {
            Id = Guid.CreateVersion7(),
            AcademyId = academyId,
            AccountId = request.AccountId,
            Url = url,
            PostedOn = request.PostedOn,
            RecordedBy = scope.Actor,
            RecordedAt = now,
        };
        post.Images.AddRange(exports.Select(e => new PhotoPostImage { PostId = post.Id, ExportId = e.Id }));
        var pupils = exports.SelectMany(e => e.ShownPupilIds).Distinct().ToList();
        post.Pupils.AddRange(pupils.Select(p => new PhotoPostPupil { PostId = post.Id, PupilId = p }));
        db.PhotoPosts.Add(post);
        var photoIds = exports.Select(e => e.PhotoId).Distinct().ToList();
        await db.Photos.Where(p => photoIds.Contains(p.Id) && p.PublishedAt == null).ExecuteUpdateAsync(s => s.SetProperty(p => p.PublishedAt, now), ct);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(academyId, scope.Actor, "photo.post-recorded", "PhotoPost", post.Id.ToString(), null,
            new Dictionary<string, object?>
            {
                ["account"] = request.AccountId.ToString(),
                ["exports"] = exports.Select(e => e.Id.ToString()).ToList(),
                ["pupils"] = pupils.Select(p => p.ToString()).ToList(),
            }), ct);
        await tx.CommitAsync(ct);
        return new Result.Recorded(post.Id);
    }
}
