using System.Globalization;
using System.Net;
using System.Text;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Email;

namespace ConsentHub.Signing;

/// <summary>One line of a receipt: a purpose and what was recorded for it.</summary>
/// <param name="Basis">How the purpose is lawful: where it is not consent (public task), a "no" is an objection, not a withdrawn consent.</param>
public sealed record ReceiptLine(string PurposeKey, string PurposeName, AnswerKind Kind, LawfulBasis Basis = LawfulBasis.Consent);

/// <summary>
/// The receipt (Liquid templates the trust may edit) and change-link emails in English and Polish, with plain
/// wording when the pupil is the signer. The HTML is encoded throughout.
/// </summary>
public static class SigningEmails
{
    public sealed record Message(string Subject, string Text, string Html);

    /// <summary>
    /// The answer as the signer reads it. For a purpose the school relies on without consent (public task, legitimate
    /// interests) a "no" is the signer's objection: nothing was consented to, so nothing is "withdrawn".
    /// </summary>
    public static string AnswerWord(AnswerKind kind, string language, LawfulBasis basis) =>
        basis == LawfulBasis.Consent || kind == AnswerKind.Grant ? AnswerWord(kind, language) : language switch
        {
            SigningLanguage.Polish => "Nie (sprzeciw odnotowany)",
            SigningLanguage.Urdu => "نہیں (اعتراض درج کر لیا گیا)",
            SigningLanguage.Arabic => "لا (سُجّل الاعتراض)",
            SigningLanguage.Romanian => "Nu (obiecție înregistrată)",
            SigningLanguage.Punjabi => "ਨਹੀਂ (ਇਤਰਾਜ਼ ਦਰਜ ਕੀਤਾ ਗਿਆ)",
            _ => "No (objection recorded)",
        };

    public static string AnswerWord(AnswerKind kind, string language) => (kind, language) switch
    {
        (AnswerKind.Grant, SigningLanguage.Polish) => "Tak",
        (AnswerKind.Refuse, SigningLanguage.Polish) => "Nie",
        (AnswerKind.Withdraw, SigningLanguage.Polish) => "Nie (zgoda wycofana)",
        // Urdu, Arabic, Romanian and Punjabi: to be reviewed by the trust (see SigningLanguage).
        (AnswerKind.Grant, SigningLanguage.Urdu) => "ہاں",
        (AnswerKind.Refuse, SigningLanguage.Urdu) => "نہیں",
        (AnswerKind.Withdraw, SigningLanguage.Urdu) => "نہیں (رضامندی واپس لے لی گئی)",
        (AnswerKind.Grant, SigningLanguage.Arabic) => "نعم",
        (AnswerKind.Refuse, SigningLanguage.Arabic) => "لا",
        (AnswerKind.Withdraw, SigningLanguage.Arabic) => "لا (سُحبت الموافقة)",
        (AnswerKind.Grant, SigningLanguage.Romanian) => "Da",
        (AnswerKind.Refuse, SigningLanguage.Romanian) => "Nu",
        (AnswerKind.Withdraw, SigningLanguage.Romanian) => "Nu (consimțământ retras)",
        (AnswerKind.Grant, SigningLanguage.Punjabi) => "ਹਾਂ",
        (AnswerKind.Refuse, SigningLanguage.Punjabi) => "ਨਹੀਂ",
        (AnswerKind.Withdraw, SigningLanguage.Punjabi) => "ਨਹੀਂ (ਸਹਿਮਤੀ ਵਾਪਸ ਲਈ ਗਈ)",
        (AnswerKind.Grant, _) => "Yes",
        (AnswerKind.Refuse, _) => "No",
        _ => "No (consent withdrawn)",
    };

    /// <summary>"1 December 2026, 18:40 (UK time)" / "1 grudnia 2026, 18:40 (czas brytyjski)".</summary>
    public static string FormatTime(DateTimeOffset at, string language)
    {
        var local = UkCalendar.ToLocal(at);
        return language == SigningLanguage.Polish
            ? local.ToString("d MMMM yyyy, HH:mm", CultureInfo.GetCultureInfo("pl-PL")) + " (czas brytyjski)"
            : local.ToString("d MMMM yyyy, HH:mm", CultureInfo.GetCultureInfo("en-GB")) + " (UK time)";
    }

    public static string FormatDate(DateTimeOffset at, string language) =>
        UkCalendar.ToLocal(at).ToString("d MMMM yyyy", CultureInfo.GetCultureInfo(language == SigningLanguage.Polish ? "pl-PL" : "en-GB"));

    /// <summary>
    /// The receipt email, from <c>templates/email/signing-receipt.&lt;lang&gt;.*.liquid</c> (the trust may edit the
    /// wording): the answers recorded, when, the form wording version, the receipt id, who signed, and the change or
    /// withdraw link. The pupil's plainer wording is the template's <c>pupil == "yes"</c> branch.
    /// </summary>
    public static Message Receipt(EmailTemplates templates, string language, bool pupilIsSigner, string pupilFirstName, string receiptNumber,
        string formVersionLabel, DateTimeOffset at, string? signatureName, IReadOnlyList<ReceiptLine> lines, Uri? changeUrl, DateTimeOffset? changeLinkExpires)
    {
        ArgumentNullException.ThrowIfNull(templates);
        ArgumentNullException.ThrowIfNull(lines);
        var lang = templates.LanguageFor(ReceiptTemplate, language);
        var rendered = templates.Render(ReceiptTemplate, lang, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["pupil"] = pupilIsSigner ? "yes" : "no",
            ["pupil_first_name"] = pupilFirstName,
            ["receipt_number"] = receiptNumber,
            ["form_version"] = formVersionLabel,
            ["when"] = FormatTime(at, lang),
            ["signed_by"] = string.IsNullOrWhiteSpace(signatureName) ? "" : signatureName,
            ["change_url"] = changeUrl?.ToString() ?? "",
            ["change_until"] = changeLinkExpires is { } e ? FormatDate(e, lang) : "",
        }, new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>>(StringComparer.Ordinal)
        {
            ["lines"] = [.. lines.Select(l => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["purpose"] = l.PurposeName,
                ["answer"] = AnswerWord(l.Kind, lang, l.Basis),
            })],
        });
        return new Message(rendered.Subject, rendered.TextBody, rendered.HtmlBody ?? "");
    }

    public const string ReceiptTemplate = "signing-receipt";

    public static Message ChangeLinks(string language, IReadOnlyList<(string PupilFirstName, bool PupilIsSigner, Uri Url)> links, Uri lostUrl)
    {
        var pl = language == SigningLanguage.Polish;
        var subject = pl ? "Twoje linki do zmiany lub wycofania zgody" : "Your links to change or withdraw consent";
        var intro = pl
            ? "Ktoś (zapewne Ty) poprosił o nowe linki do zmiany lub wycofania zgody na zdjęcia i nagrania. Każdy link jest przeznaczony tylko dla Ciebie – nie przesyłaj go dalej."
            : "Someone (probably you) asked for new links to change or withdraw photo and video consent. Each link is personal to you: please do not forward it.";
        var outro = pl
            ? $"Jeśli to nie Ty, możesz zignorować tę wiadomość. Nowe linki można zamówić tutaj: {lostUrl}"
            : $"If this was not you, you can ignore this email. You can ask for new links here: {lostUrl}";
        string Label((string PupilFirstName, bool PupilIsSigner, Uri Url) l) => (pl, l.PupilIsSigner) switch
        {
            (true, true) => "Twoje odpowiedzi",
            (true, false) => $"Dziecko: {l.PupilFirstName}",
            (false, true) => "Your own answers",
            _ => $"For {l.PupilFirstName}",
        };
        var text = new StringBuilder().AppendLine(intro).AppendLine();
        foreach (var l in links) text.Append(Label(l)).Append(": ").AppendLine(l.Url.ToString());
        text.AppendLine().AppendLine(outro);
        var html = new StringBuilder().Append("<p>").Append(E(intro)).Append("</p><ul>");
        foreach (var l in links) html.Append("<li>").Append(E(Label(l))).Append(": <a href=\"").Append(E(l.Url.ToString())).Append("\">").Append(E(l.Url.ToString())).Append("</a></li>");
        html.Append("</ul><p>").Append(E(outro)).Append("</p>");
        return new Message(subject, text.ToString(), $"<!DOCTYPE html><html lang=\"{language}\" dir=\"{SigningLanguage.Direction(language)}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head>"
            // A long link wraps on a phone instead of widening the whole email.
            + $"<body style=\"font-family: Arial, Helvetica, sans-serif; font-size: 16px; line-height: 1.5; max-width: 600px; overflow-wrap: anywhere; word-wrap: break-word;\">{html}</body></html>");
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
