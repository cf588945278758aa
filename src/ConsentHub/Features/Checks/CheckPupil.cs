using ConsentHub.Access;
using ConsentHub.Audit;

namespace ConsentHub.Checks;

/// <summary>
/// A teacher's check of one pupil: the card, read in the first of the caller's scopes that holds the pupil (a
/// pupil outside them is not found, whatever id is asked for), and one audit entry with the answer per purpose.
/// </summary>
public sealed class CheckPupil(ConsentStatusReader reader, AccessDenials denials)
{
    /// <param name="via">How the check was made, for the audit: "card", "live-update", "page".</param>
    public async Task<PupilCheckCard?> HandleAsync(IReadOnlyList<AccessScope> scopes, Guid pupilId, string via, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        PupilConsent? consent = null;
        foreach (var scope in scopes)
        {
            consent = await reader.ForPupilAsync(scope, pupilId, null, ct);
            if (consent is not null) break;
        }
        var actor = scopes.Count > 0 ? scopes[0].Actor : "unknown";
        if (consent is null)
        {
            denials.Record(new AuditEvent(null, actor, AccessDenials.NotFound, "Pupil", pupilId.ToString()), actor);
            return null;
        }
        var card = PupilCheckCard.From(consent);
        denials.Audit.RecordRead(new AuditEvent(card.AcademyId, actor, "consent.checked", "Pupil", pupilId.ToString(), pupilId,
            new Dictionary<string, object?>
            {
                ["via"] = via,
                ["doNotFeature"] = card.DoNotFeature,
                ["answers"] = card.Purposes.ToDictionary(p => p.Key, p => (object?)p.Answer.ToString()),
            }));
        return card;
    }
}
