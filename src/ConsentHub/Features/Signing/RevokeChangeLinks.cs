using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Signing;

/// <summary>
/// Office staff stop every change link a party holds for a pupil (a lost phone, a shared mailbox, a parent who
/// says "that wasn't me"): from then on those links open the same "cannot be used" page as a guessed one. The
/// party can still ask for a new link at /sign/lost, which goes to the address the academy holds. Audited as
/// <c>signing.links-revoked</c>.
/// </summary>
public sealed class RevokeChangeLinks(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit, TimeProvider clock)
{
    public abstract record Result
    {
        public sealed record Revoked(int Links) : Result;
        public sealed record NotFound : Result;
    }

    /// <param name="contactId">The contact whose links to stop; null for the pupil's own.</param>
    public async Task<Result> HandleAsync(AccessScope scope, Guid pupilId, Guid? contactId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var now = clock.GetUtcNow();
        await using var db = await factory.CreateDbContextAsync(ct);
        var pupil = await db.Pupils.AsNoTracking().Where(p => p.Id == pupilId).Where(ScopeFilter.Pupils(db, scope))
            .Select(p => new { p.Id, p.AcademyId }).FirstOrDefaultAsync(ct);
        if (pupil is null) return new Result.NotFound();
        if (contactId is { } c && !await db.PupilContacts.AnyAsync(pc => pc.PupilId == pupilId && pc.ContactId == c, ct)) return new Result.NotFound();

        var party = contactId is null ? PartyKind.Pupil : PartyKind.Contact;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var revoked = await IssueChangeLink.RevokeAsync(db, pupilId, party, contactId, now, ct);
        await audit.AppendAsync(db, new AuditEvent(pupil.AcademyId, scope.Actor, "signing.links-revoked", "Pupil", pupilId.ToString(), pupilId,
            new Dictionary<string, object?> { ["party"] = party.ToString(), ["contactId"] = contactId, ["links"] = revoked }), ct);
        await tx.CommitAsync(ct);
        return new Result.Revoked(revoked);
    }
}
