using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Consent;

namespace ConsentHub.Checks;

/// <summary>
/// Session mode: before a photo session, every pupil of a class or year group with their answer for one purpose,
/// in one read of the check model. One audit entry per view lists each pupil's answer.
/// </summary>
public sealed class CheckSession(ConsentStatusReader reader, ConsentReferenceCache reference, IAuditLog audit)
{
    public sealed record Request(Guid AcademyId, string PurposeKey, string? RegistrationGroup = null, YearGroup? YearGroup = null);

    public sealed record Row(Guid PupilId, string Name, string YearGroup, string? RegistrationGroup, bool DoNotFeature, PurposeCheck Check);

    public sealed record Result(string PurposeKey, string PurposeName, IReadOnlyList<Row> Pupils)
    {
        public int CannotBeFeatured => Pupils.Count(p => p.Check.Answer != CheckAnswer.Yes);
    }

    /// <summary>Null when the academy is outside the scope or the purpose is unknown.</summary>
    public async Task<Result?> HandleAsync(AccessScope scope, Request request, string via, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(request);
        if (request.RegistrationGroup is null && request.YearGroup is null) return null;
        var purpose = (await reference.GetAsync(ct)).Purposes.FirstOrDefault(p => p.Facts.Key == request.PurposeKey);
        if (purpose is null) return null;
        // One round trip: the roster read is scoped in its SQL; only an empty answer needs telling apart.
        var pupils = await reader.ForRosterAsync(scope, new RosterFilter(request.AcademyId, request.RegistrationGroup, request.YearGroup), request.PurposeKey, ct);
        if (pupils.Count == 0 && !await reader.AcademyVisibleAsync(scope, request.AcademyId, ct)) return null;
        var rows = new List<Row>(pupils.Count);
        foreach (var consent in pupils)
        {
            var card = PupilCheckCard.From(consent);
            var check = card.Purposes[0];
            rows.Add(new Row(card.PupilId, card.Name, card.YearGroup, card.RegistrationGroup, card.DoNotFeature, check));
        }
        audit.RecordRead(new AuditEvent(request.AcademyId, scope.Actor, "consent.session-checked", "Roster",
            request.RegistrationGroup is { } g ? "group:" + g : "year:" + request.YearGroup!.Value.Value, null,
            new Dictionary<string, object?>
            {
                ["via"] = via,
                ["purpose"] = request.PurposeKey,
                ["answers"] = rows.ToDictionary(r => r.PupilId.ToString(), r => (object?)r.Check.Answer.ToString()),
            }));
        return new Result(request.PurposeKey, purpose.Facts.Name, rows);
    }
}
