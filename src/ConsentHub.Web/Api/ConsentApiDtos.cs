using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;

namespace ConsentHub.Web.Api;

public sealed record PupilConsentDto(Guid PupilId, string Name, string YearGroup, string? RegistrationGroup, bool DoNotFeature, IReadOnlyList<PurposeConsentDto> Purposes)
{
    public static PupilConsentDto From(PupilConsent p) => new(p.PupilId, p.DisplayName, p.YearGroup.Code, p.RegistrationGroup, p.DoNotFeature,
        [.. p.Purposes.Select(d => new PurposeConsentDto(d.Key, d.Name, d.Decision.Status, d.Decision.Reason, d.Decision.DoNotFeature, d.Decision.Conflict, d.LastChangedAt,
            [.. d.Decision.RequiredParties.Select(r => new PartyDto(r.Kind, r.ContactId, r.DisplayName, r.State, r.LatestAnswer?.At))]))]);
}

public sealed record PurposeConsentDto(string Purpose, string PurposeName, ConsentStatus Status, string Reason, bool DoNotFeature, bool Conflict,
    DateTimeOffset? LastChangedAt, IReadOnlyList<PartyDto> Parties);

public sealed record PartyDto(PartyKind Kind, Guid? ContactId, string Name, PartyState State, DateTimeOffset? AnsweredAt);

public sealed record RosterDto(Guid AcademyId, string? Class, string? YearGroup, int Count, IReadOnlyList<PupilConsentDto> Pupils);

public sealed record SummaryDto(Guid AcademyId, int Pupils, IReadOnlyList<PurposeSummaryDto> Purposes);

public sealed record PurposeSummaryDto(string Purpose, string PurposeName, IReadOnlyDictionary<ConsentStatus, int> Counts);

/// <summary>A staff-entered answer. Strings, not enums, so a wrong value gets a message naming the field.</summary>
public sealed record RecordAnswerBody(
    string? Purpose,
    string? Party,
    Guid? ContactId,
    string? Answer,
    string? Method,
    bool? Attested,
    string? RecordedBy,
    DateTimeOffset? At,
    string? FormVersion,
    string? ScanReference,
    string? Note);

public sealed record RecordedAnswerDto(long AnswerId, PurposeConsentDto Consent);
