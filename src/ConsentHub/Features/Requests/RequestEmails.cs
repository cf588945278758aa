using ConsentHub.Consent;
using ConsentHub.Email;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ConsentHub.Requests;

/// <summary>
/// The email that asks one party to answer: a parent gets <c>consent-request</c> in their preferred language when
/// the trust has that template (English otherwise), a pupil gets the plainer <c>consent-request-pupil</c>. Both
/// carry the link (<see cref="SigningOptions.SigningUrl"/>) and the short code for /sign.
/// </summary>
public sealed class RequestEmails(EmailTemplates templates, IOptions<SigningOptions> signing)
{
    public const string ParentTemplate = "consent-request";
    public const string PupilTemplate = "consent-request-pupil";
    public const string RenewalParentTemplate = "consent-renewal";
    public const string RenewalPupilTemplate = "consent-renewal-pupil";

    /// <summary>The details of one request that the email speaks of.</summary>
    public sealed record Message(
        string BusinessKey,
        PartyKind PartyKind,
        string ToAddress,
        string RecipientName,
        string? PreferredLanguage,
        string PupilFirstName,
        string AcademyName,
        Guid AcademyId,
        DateOnly Deadline,
        string Token,
        string ShortCode)
    {
        /// <summary>A grant is running out: the renewal wording (<c>consent-renewal</c>, <c>consent-renewal-pupil</c>).</summary>
        public bool Renewal { get; init; }

        /// <summary>A parent's title, forename and surname for the greeting; without them the greeting uses <see cref="RecipientName"/>.</summary>
        public Pupils.ContactName? Names { get; init; }
    }

    /// <summary>
    /// True when mail can go to <paramref name="address"/>: the same test the outbox applies, so an address the MIS
    /// got wrong puts that party on paper instead of failing the whole issue.
    /// </summary>
    public static bool IsUsable(string? address) =>
        !string.IsNullOrWhiteSpace(address) && address.Trim().Length <= 320
        && MailboxAddress.TryParse(address.Trim(), out var mailbox) && mailbox.Address.Contains('@', StringComparison.Ordinal);

    public OutgoingEmail Build(Message m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var template = (m.Renewal, m.PartyKind) switch
        {
            (true, PartyKind.Pupil) => RenewalPupilTemplate,
            (true, _) => RenewalParentTemplate,
            (false, PartyKind.Pupil) => PupilTemplate,
            _ => ParentTemplate,
        };
        var language = templates.LanguageFor(template, m.PartyKind == PartyKind.Pupil ? null : m.PreferredLanguage);
        var options = signing.Value;
        var rendered = templates.Render(template, language, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["recipient_name"] = m.RecipientName,
            ["greeting"] = Pupils.Salutation.For(m.Names ?? new Pupils.ContactName(null, m.RecipientName, null), language),
            ["pupil_first_name"] = m.PupilFirstName,
            ["academy_name"] = m.AcademyName,
            ["deadline"] = FormatDeadline(m.Deadline, language),
            ["link"] = options.SigningUrl(m.Token).ToString(),
            ["sign_url"] = new Uri(options.PublicBaseUrl, "sign").ToString(),
            ["short_code"] = SigningSecrets.FormatShortCode(m.ShortCode),
        });
        return new OutgoingEmail(m.BusinessKey, m.ToAddress.Trim(), rendered.Subject, rendered.TextBody)
        {
            ToName = m.RecipientName,
            HtmlBody = rendered.HtmlBody,
            AcademyId = m.AcademyId,
            // The link's token rests only in the recipient's mailbox, never in the outbox row.
            Secrets = [m.Token],
        };
    }

    /// <summary>
    /// The deadline as a family reads it, on the UK (Gregorian) calendar in the language's own culture
    /// (<see cref="FamilyLanguage.Culture"/>): "Friday 18 September 2026", "piątek, 18 września 2026",
    /// "جمعہ، 18 ستمبر، 2026", "الجمعة، 18 سبتمبر 2026", "vineri, 18 septembrie 2026", "ਸ਼ੁੱਕਰਵਾਰ, 18 ਸਤੰਬਰ 2026".
    /// A language ConsentHub does not write in gets the English date, like the email around it.
    /// </summary>
    public static string FormatDeadline(DateOnly deadline, string? language)
    {
        var culture = FamilyLanguage.Culture(language);
        return FamilyLanguage.TryNormalise(language) is null or FamilyLanguage.English
            ? deadline.ToString("dddd d MMMM yyyy", culture)
            : deadline.ToString("D", culture);
    }
}
