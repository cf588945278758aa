using ConsentHub.Consent;
using ConsentHub.Email;
using ConsentHub.Requests;
using ConsentHub.Signing;
using Microsoft.Extensions.Options;

namespace ConsentHub.Chasing;

/// <summary>
/// The reminder email: <c>consent-reminder</c> for a parent (their language where the trust has it),
/// <c>consent-reminder-pupil</c> for a pupil. The request's link token is stored only as a hash, so a reminder
/// cannot repeat the original link: it carries <c>/sign?code=…</c> with the request's short code, which opens the
/// paper form's way in (the code filled in; the pupil's date of birth is still asked, and three wrong dates lock it).
/// </summary>
public sealed class ReminderEmails(EmailTemplates templates, IOptions<SigningOptions> signing)
{
    public const string ParentTemplate = "consent-reminder";
    public const string PupilTemplate = "consent-reminder-pupil";

    public static string BusinessKey(Guid requestId, int number) => $"reminder:{requestId}:{number}";

    /// <param name="Number">1 for the first reminder.</param>
    /// <param name="IsLast">The last reminder before the office follows up another way.</param>
    public sealed record Message(
        Guid RequestId,
        int Number,
        bool IsLast,
        PartyKind PartyKind,
        string ToAddress,
        string RecipientName,
        string? PreferredLanguage,
        string PupilFirstName,
        string AcademyName,
        Guid AcademyId,
        DateOnly? Deadline,
        string ShortCode,
        DateTimeOffset NotBefore)
    {
        /// <summary>A parent's title, forename and surname for the greeting; without them the greeting uses <see cref="RecipientName"/>.</summary>
        public Pupils.ContactName? Names { get; init; }
    }

    public OutgoingEmail Build(Message m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var template = m.PartyKind == PartyKind.Pupil ? PupilTemplate : ParentTemplate;
        var language = templates.LanguageFor(template, m.PartyKind == PartyKind.Pupil ? null : m.PreferredLanguage);
        var options = signing.Value;
        var rendered = templates.Render(template, language, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["recipient_name"] = m.RecipientName,
            ["greeting"] = Pupils.Salutation.For(m.Names ?? new Pupils.ContactName(null, m.RecipientName, null), language),
            ["pupil_first_name"] = m.PupilFirstName,
            ["academy_name"] = m.AcademyName,
            ["deadline"] = m.Deadline is { } d ? RequestEmails.FormatDeadline(d, language) : "",
            ["link"] = options.ShortCodeUrlFor(m.ShortCode).ToString(),
            ["sign_url"] = new Uri(options.PublicBaseUrl, "sign").ToString(),
            ["short_code"] = SigningSecrets.FormatShortCode(m.ShortCode),
            ["reminder_number"] = m.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["last"] = m.IsLast ? "yes" : "no",
        });
        return new OutgoingEmail(BusinessKey(m.RequestId, m.Number), m.ToAddress.Trim(), rendered.Subject, rendered.TextBody)
        {
            ToName = m.RecipientName,
            HtmlBody = rendered.HtmlBody,
            AcademyId = m.AcademyId,
            NotBefore = m.NotBefore,
            SignatureRequestId = m.RequestId,
        };
    }
}
