using ConsentHub.Access;
using ConsentHub.Consent;
using ConsentHub.Data;
using ConsentHub.Requests;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.PaperReturns;

/// <summary>
/// Finds the request a signed paper form belongs to, by the short code printed on it, so office staff can record
/// what it says: the pupil, who was asked, the form version and the uses on it. Only requests in the caller's scope.
/// </summary>
public sealed class FindPaperReturn(IDbContextFactory<ConsentHubDbContext> factory)
{
    public sealed record Use(string Key, string Name);

    public sealed record Found(Guid RequestId, Guid PupilId, string PupilName, string YearGroup, string? RegistrationGroup, PartyKind Party,
        string PartyName, string FormVersionLabel, RequestStatus Status, string ShortCode, IReadOnlyList<Use> Uses);

    public abstract record Result
    {
        public sealed record Match(Found Request) : Result;
        public sealed record NotFound(string Message) : Result;
    }

    public async Task<Result> ByCodeAsync(AccessScope scope, string? typed, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (!SigningSecrets.TryNormaliseShortCode(typed, out var code))
            return new Result.NotFound("Type the 8-character code printed at the foot of the form, e.g. ACDE-FG23.");
        await using var db = await factory.CreateDbContextAsync(ct);
        var request = await db.SignatureRequests.AsNoTracking()
            .Where(r => r.ShortCode == code)
            .Join(db.Pupils.Where(ScopeFilter.Pupils(db, scope)), r => r.PupilId, p => p.Id, (r, p) => new { r, p })
            .FirstOrDefaultAsync(ct);
        if (request is null) return new Result.NotFound($"No form with the code {SigningSecrets.FormatShortCode(code)} was issued at your academy. Check the code, or find the pupil instead.");

        var partyName = request.r.PartyKind == PartyKind.Pupil
            ? request.p.DisplayName + " (the pupil)"
            : await db.Contacts.Where(c => c.Id == request.r.ContactId).Select(c => (c.Title == null || c.Title == "" ? "" : c.Title + " ") + c.FirstName + " " + c.LastName).FirstOrDefaultAsync(ct) ?? "a contact";
        var version = await db.FormVersions.AsNoTracking().Where(f => f.Id == request.r.FormVersionId).Select(f => f.Label).FirstAsync(ct);
        var uses = (await FormUses.OfAsync(db, request.r.FormVersionId, ct)).Select(p => new Use(p.Key, p.Name)).ToList();
        return new Result.Match(new Found(request.r.Id, request.p.Id, request.p.DisplayName, new YearGroup(request.p.YearGroup).DisplayName,
            request.p.RegistrationGroup, request.r.PartyKind, partyName, version, request.r.Status, code, uses));
    }
}
