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

/// <param name="LastChangedAt">When this decision last changed (an answer, a flag, a class or year change, a pause, an expiry, a leaver); each answer's own date is under <paramref name="Parties"/>.</param>
public sealed record PurposeConsentDto(string Purpose, string PurposeName, ConsentStatus Status, string Reason, bool DoNotFeature, bool Conflict,
    DateTimeOffset? LastChangedAt, IReadOnlyList<PartyDto> Parties);

/// <summary>A page of the changes feed; pass <paramref name="NextCursor"/> back as <c>cursor</c> until it is null, then ask again later with <c>since</c> = the last <c>changedAt</c> you received.</summary>
public sealed record ChangesDto(Guid AcademyId, DateTimeOffset? Since, DateTimeOffset AsOf, int Count, IReadOnlyList<ChangedPupilDto> Pupils, string? NextCursor);

public sealed record ChangedPupilDto(DateTimeOffset ChangedAt, PupilConsentDto Consent);

/// <summary>The changes feed's cursor: opaque to callers (base64url of the last change time and pupil id).</summary>
public static class ChangesCursorText
{
    public static string Format(ConsentStatusReader.ChangesCursor cursor)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        var text = $"{cursor.ChangedAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture)}:{cursor.PupilId:N}";
        return Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(System.Text.Encoding.ASCII.GetBytes(text));
    }

    public static ConsentStatusReader.ChangesCursor? Parse(string text)
    {
        try
        {
            var raw = System.Text.Encoding.ASCII.GetString(Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(text));
            var parts = raw.Split(':');
            if (parts.Length == 2 && long.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ticks)
                && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks && Guid.TryParseExact(parts[1], "N", out var id))
                return new ConsentStatusReader.ChangesCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
        }
        catch (FormatException)
        {
        }
        return null;
    }
}

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
