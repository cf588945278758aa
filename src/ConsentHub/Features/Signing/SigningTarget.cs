using ConsentHub.Consent;
using ConsentHub.Data;
using ConsentHub.Requests;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Signing;

public enum SigningTargetKind
{
    /// <summary>A signature request: the link in the request email, or its short code at /sign.</summary>
    Request = 0,

    /// <summary>A change or withdraw link (<see cref="SignerLink"/>).</summary>
    ChangeLink = 1,
}

/// <summary>
/// What a link or a short code opens: one party's form about one pupil. Only ever built for a target that can be
/// answered right now (open, not expired, the party still entitled to answer).
/// </summary>
public sealed record SigningTarget(
    SigningTargetKind Kind,
    Guid Id,
    Guid PupilId,
    Guid AcademyId,
    PartyKind PartyKind,
    Guid? ContactId,
    Guid? RequestFormVersionId,
    string PreferredLanguage)
{
    public Audience Audience => PartyKind == PartyKind.Pupil ? Audience.Pupil : Audience.Parent;

    /// <summary>"request:{id}" or "change-link:{id}": the actor in the audit chain; never a name or an address.</summary>
    public string Actor => Kind == SigningTargetKind.Request ? $"signer:request:{Id}" : $"signer:change-link:{Id}";
}

/// <summary>
/// Finds what a token or short code opens. Every way it can fail (no such token, expired, answered, cancelled,
/// revoked, the contact no longer entitled) gives the same null, so a page can only say one neutral thing.
/// Reads only: opening a link changes nothing.
/// </summary>
public sealed class SigningTargets(IDbContextFactory<ConsentHubDbContext> factory, TimeProvider clock)
{
    public async Task<SigningTarget?> ByRequestTokenAsync(string? token, CancellationToken ct = default)
    {
        if (!SigningSecrets.LooksLikeToken(token)) return null;
        var hash = SigningSecrets.HashToken(token!);
        await using var db = await factory.CreateDbContextAsync(ct);
        var id = await db.SignatureRequests.AsNoTracking().Where(r => r.TokenHash == hash).Select(r => (Guid?)r.Id).FirstOrDefaultAsync(ct);
        return id is null ? null : await RequestAsync(db, id.Value, ct);
    }

    public async Task<SigningTarget?> ByShortCodeAsync(string? typed, CancellationToken ct = default)
    {
        if (!SigningSecrets.TryNormaliseShortCode(typed, out var code)) return null;
        await using var db = await factory.CreateDbContextAsync(ct);
        var id = await db.SignatureRequests.AsNoTracking().Where(r => r.ShortCode == code).Select(r => (Guid?)r.Id).FirstOrDefaultAsync(ct);
        return id is null ? null : await RequestAsync(db, id.Value, ct);
    }

    public async Task<SigningTarget?> ByChangeTokenAsync(string? token, CancellationToken ct = default)
    {
        if (!SigningSecrets.LooksLikeToken(token)) return null;
        var hash = SigningSecrets.HashToken(token!);
        await using var db = await factory.CreateDbContextAsync(ct);
        var id = await db.SignerLinks.AsNoTracking().Where(l => l.TokenHash == hash).Select(l => (Guid?)l.Id).FirstOrDefaultAsync(ct);
        return id is null ? null : await ChangeLinkAsync(db, id.Value, ct);
    }

    /// <summary>The request a token belongs to, whatever its state (for the receipt after it was answered).</summary>
    public async Task<Guid?> RequestIdByTokenAsync(string? token, CancellationToken ct = default)
    {
        if (!SigningSecrets.LooksLikeToken(token)) return null;
        var hash = SigningSecrets.HashToken(token!);
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.SignatureRequests.AsNoTracking().Where(r => r.TokenHash == hash).Select(r => (Guid?)r.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>The change link a token belongs to, whatever its state.</summary>
    public async Task<Guid?> ChangeLinkIdByTokenAsync(string? token, CancellationToken ct = default)
    {
        if (!SigningSecrets.LooksLikeToken(token)) return null;
        var hash = SigningSecrets.HashToken(token!);
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.SignerLinks.AsNoTracking().Where(l => l.TokenHash == hash).Select(l => (Guid?)l.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>Again by id (from the signed-in-by-date-of-birth cookie), with every check repeated.</summary>
    public async Task<SigningTarget?> ByIdAsync(SigningTargetKind kind, Guid id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return kind == SigningTargetKind.Request ? await RequestAsync(db, id, ct) : await ChangeLinkAsync(db, id, ct);
    }

    internal async Task<SigningTarget?> RequestAsync(ConsentHubDbContext db, Guid id, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var r = await db.SignatureRequests.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (r is null || r.Status != RequestStatus.Open || r.ExpiresAt <= now) return null;
        var language = await EntitledLanguageAsync(db, r.PupilId, r.PartyKind, r.ContactId, ct);
        return language is null ? null
            : new SigningTarget(SigningTargetKind.Request, r.Id, r.PupilId, r.AcademyId, r.PartyKind, r.ContactId, r.FormVersionId, language);
    }

    internal async Task<SigningTarget?> ChangeLinkAsync(ConsentHubDbContext db, Guid id, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var l = await db.SignerLinks.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (l is null || l.RevokedAt is not null || l.ExpiresAt <= now) return null;
        var language = await EntitledLanguageAsync(db, l.PupilId, l.PartyKind, l.ContactId, ct);
        return language is null ? null
            : new SigningTarget(SigningTargetKind.ChangeLink, l.Id, l.PupilId, l.AcademyId, l.PartyKind, l.ContactId, null, language);
    }

    /// <summary>
    /// The party may still answer for the pupil: a pupil who has not left (and is old enough to be asked), or a
    /// contact still linked with parental responsibility and no no-contact order. Their preferred language if so.
    /// </summary>
    private async Task<string?> EntitledLanguageAsync(ConsentHubDbContext db, Guid pupilId, PartyKind party, Guid? contactId, CancellationToken ct)
    {
        var today = Consent.Rules.UkCalendar.DateOf(clock.GetUtcNow());
        var pupil = await db.Pupils.AsNoTracking().Where(p => p.Id == pupilId)
            .Select(p => new { p.YearGroup, p.LeftOn }).FirstOrDefaultAsync(ct);
        if (pupil is null || (pupil.LeftOn is { } left && left <= today)) return null;
        if (party == PartyKind.Pupil)
            return pupil.YearGroup >= 7 ? SigningLanguage.English : null;
        if (contactId is not { } cid) return null;
        var link = await db.PupilContacts.AsNoTracking()
            .Where(pc => pc.PupilId == pupilId && pc.ContactId == cid && pc.HasParentalResponsibility && !pc.NoContactOrder)
            .Select(pc => pc.Contact!.PreferredLanguage).FirstOrDefaultAsync(ct);
        return link is null ? null : SigningLanguage.Choose(null, link);
    }
}
