using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Checks;

/// <summary>
/// Everything the pupil page shows: who the pupil is, their contacts (not for teachers), the current decision per
/// purpose with its reason, and the whole history of answers with their provenance — who answered, as what
/// relationship, when, how, recorded by whom, on which wording version, with what evidence. The safeguarding
/// reason is shown to the DSL only. Each view is audited.
/// </summary>
public sealed class GetPupilRecord(IDbContextFactory<ConsentHubDbContext> factory, ConsentStatusReader status, IAuditLog audit)
{
    /// <summary>
    /// Who is looking: the scope they may see pupils in, and the scopes in which their roles let them see contact
    /// details and safeguarding reasons (a DSL at one academy who teaches at another sees reasons at the first only).
    /// </summary>
    public sealed record Viewer(AccessScope Scope, IReadOnlyList<AccessScope> ContactScopes, IReadOnlyList<AccessScope> SafeguardingScopes)
    {
        /// <summary>One role assignment: teachers never see contact details; only the DSL sees safeguarding reasons.</summary>
        public static Viewer For(AccessScope scope, IReadOnlyCollection<string> roles) => new(scope,
            roles.Any(r => StaffCapabilities.IsGranted(r, StaffCapabilities.ViewContactDetails)) ? [scope] : [],
            roles.Any(r => StaffCapabilities.IsGranted(r, StaffCapabilities.Safeguarding)) ? [scope] : []);

        internal static bool Covers(IReadOnlyList<AccessScope> scopes, Guid academyId, Guid regionId) => scopes.Any(s => s.Level switch
        {
            ScopeLevel.Trust => true,
            ScopeLevel.Region => s.Id == regionId,
            _ => s.Id == academyId,
        });
    }

    public sealed record ContactRow(Guid ContactId, string Name, string Relationship, bool HasParentalResponsibility, bool NoContactOrder,
        int Priority, string? Email, string? Phone, string? PreferredLanguage);

    public sealed record AnswerRow(long Id, string PurposeKey, string PurposeName, string Party, string? Relationship, AnswerKind Kind,
        AnswerMethod Method, DateTimeOffset At, DateTimeOffset RecordedAt, string RecordedBy, string FormVersion, string? SignatureName,
        string? ScanReference, bool Attested, string? Note);

    public sealed record Record(
        Guid PupilId, Guid AcademyId, string AcademyName, string Name, string LegalName, DateOnly DateOfBirth, YearGroup YearGroup,
        string? RegistrationGroup, DateOnly? LeftOn, bool AlsoAskParent, string? AlsoAskParentReason,
        bool SafeguardingFlag, string? SafeguardingReason, PupilConsent Consent,
        IReadOnlyList<ContactRow>? Contacts, IReadOnlyList<AnswerRow> History);

    public async Task<Record?> HandleAsync(Viewer viewer, Guid pupilId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        await using var db = await factory.CreateDbContextAsync(ct);
        var pupil = await db.Pupils.AsNoTracking().Where(p => p.Id == pupilId).Where(ScopeFilter.Pupils(db, viewer.Scope))
            .Include(p => p.Contacts).ThenInclude(c => c.Contact).FirstOrDefaultAsync(ct);
        if (pupil is null) return null;
        var consent = await status.ForPupilAsync(viewer.Scope, pupilId, null, ct);
        if (consent is null) return null;

        var academy = await db.Academies.AsNoTracking().Where(a => a.Id == pupil.AcademyId).Select(a => new { a.Name, a.RegionId }).SingleAsync(ct);
        var seesContacts = Viewer.Covers(viewer.ContactScopes, pupil.AcademyId, academy.RegionId);
        var seesReason = Viewer.Covers(viewer.SafeguardingScopes, pupil.AcademyId, academy.RegionId);
        var flag = await db.SafeguardingFlags.AsNoTracking().Where(f => f.PupilId == pupilId && f.ClearedAt == null).FirstOrDefaultAsync(ct);
        var purposes = await db.Purposes.AsNoTracking().ToDictionaryAsync(p => p.Id, ct);
        var versions = await db.FormVersions.AsNoTracking().ToDictionaryAsync(v => v.Id, v => v.Label, ct);
        var links = pupil.Contacts.ToDictionary(c => c.ContactId);
        var answers = await db.ConsentAnswers.AsNoTracking().Where(a => a.PupilId == pupilId)
            .OrderByDescending(a => a.At).ThenByDescending(a => a.Id).ToListAsync(ct);
        // Answers from contacts no longer linked still show who they were.
        var missing = answers.Where(a => a.ContactId is { } c && !links.ContainsKey(c)).Select(a => a.ContactId!.Value).Distinct().ToList();
        var formerContacts = await db.Contacts.AsNoTracking().Where(c => missing.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.DisplayName, ct);

        var history = answers.Select(a =>
        {
            var purpose = purposes[a.PurposeId];
            string party;
            string? relationship = null;
            if (a.PartyKind == PartyKind.Pupil) party = pupil.DisplayName + " (the pupil)";
            else if (links.TryGetValue(a.ContactId!.Value, out var link)) (party, relationship) = (link.Contact!.DisplayName, link.Relationship);
            else party = formerContacts.GetValueOrDefault(a.ContactId!.Value, "A former contact") + " (no longer linked)";
            return new AnswerRow(a.Id, purpose.Key, purpose.Name, party, relationship, a.Kind, a.Method, a.At, a.RecordedAt, a.RecordedBy,
                versions.GetValueOrDefault(a.FormVersionId, "?"), a.SignatureName, a.ScanReference, a.Attested, a.Note);
        }).ToList();

        var contacts = seesContacts
            ? pupil.Contacts.OrderBy(c => c.Priority).Select(c => new ContactRow(c.ContactId, c.Contact!.DisplayName, c.Relationship,
                c.HasParentalResponsibility, c.NoContactOrder, c.Priority, c.Contact.Email, c.Contact.Phone, c.Contact.PreferredLanguage)).ToList()
            : null;

        audit.RecordRead(new AuditEvent(pupil.AcademyId, viewer.Scope.Actor, "pupil.viewed", "Pupil", pupilId.ToString(), pupilId,
            new Dictionary<string, object?> { ["contacts"] = seesContacts, ["safeguardingReason"] = seesReason && flag is not null }));

        return new Record(pupil.Id, pupil.AcademyId, academy.Name, pupil.DisplayName, $"{pupil.LegalFirstName} {pupil.LegalLastName}", pupil.DateOfBirth,
            new YearGroup(pupil.YearGroup), pupil.RegistrationGroup, pupil.LeftOn, pupil.AlsoAskParent, pupil.AlsoAskParentReason,
            flag is not null, seesReason ? flag?.Reason : null, consent, contacts, history);
    }
}
