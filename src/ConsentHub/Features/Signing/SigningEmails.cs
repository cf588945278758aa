using System.Net;
using System.Text;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Email;

namespace ConsentHub.Signing;

/// <summary>One line of a receipt: a purpose and what was recorded for it.</summary>
/// <param name="Basis">How the purpose is lawful: where it is not consent (public task), a "no" is an objection, not a withdrawn consent.</param>
public sealed record ReceiptLine(string PurposeKey, string PurposeName, AnswerKind Kind, LawfulBasis Basis = LawfulBasis.Consent)
{
    /// <summary>
    /// Whether this answer was given in this submission. A change or withdrawal's receipt lists the full current
    /// position, every use with its answer now, and marks those just changed.
    /// </summary>
    public bool Changed { get; init; } = true;

    /// <summary>True when <paramref name="lines"/> is a full position with some answers unchanged: then the changed ones are marked.</summary>
    public static bool MarksChanges(IReadOnlyList<ReceiptLine> lines) => lines.Any(l => !l.Changed) && lines.Any(l => l.Changed);
}

/// <summary>
/// The receipt (Liquid templates the trust may edit) and change-link emails in English and Polish, with plain
/// wording when the pupil is the signer. The HTML is encoded throughout.
/// </summary>
public static class SigningEmails
{
    /// <summary>The school a receipt comes from: its name, and its crest's public address when it has one.</summary>
    public sealed record ReceiptSchool(string Name, Uri? CrestUrl);

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

    /// <summary>The mark beside an answer changed just now, on a receipt that lists every answer.</summary>
    public static string ChangedNow(string language) => language switch
    {
        SigningLanguage.Polish => "zmieniono teraz",
        SigningLanguage.Urdu => "ابھی تبدیل کیا گیا",
        SigningLanguage.Arabic => "تم التغيير الآن",
        SigningLanguage.Romanian => "modificat acum",
        SigningLanguage.Punjabi => "ਹੁਣੇ ਬਦਲਿਆ ਗਿਆ",
        _ => "changed now",
    };

    /// <summary>"1 December 2026, 18:40 (UK time)" / "1 grudnia 2026, 18:40 (czas brytyjski)".</summary>
    /// <remarks>Every signing language writes the month in itself ("1 decembrie 2026", "1 دسمبر 2026"), with Western digits.</remarks>
    public static string FormatTime(DateTimeOffset at, string language) =>
        UkCalendar.ToLocal(at).ToString("d MMMM yyyy, HH:mm", SigningLanguage.Culture(language)) + " " + SigningLanguage.UkTimeNote(language);

    public static string FormatDate(DateTimeOffset at, string language) =>
        UkCalendar.ToLocal(at).ToString("d MMMM yyyy", SigningLanguage.Culture(language));

    /// <summary>
    /// The receipt email, from <c>templates/email/signing-receipt.&lt;lang&gt;.*.liquid</c> (the trust may edit the
    /// wording): the answers recorded, when, the form wording version, the receipt id, who signed, and the change or
    /// withdraw link. The pupil's plainer wording is the template's <c>pupil == "yes"</c> branch.
    /// </summary>
    public static Message Receipt(EmailTemplates templates, string language, bool pupilIsSigner, string pupilFirstName, string receiptNumber,
        string formVersionLabel, DateTimeOffset at, string? signatureName, IReadOnlyList<ReceiptLine> lines, Uri? changeUrl, DateTimeOffset? changeLinkExpires,
        ReceiptSchool? school = null, Func<string, string>? greeting = null)
    {
        ArgumentNullException.ThrowIfNull(templates);
        ArgumentNullException.ThrowIfNull(lines);
        var lang = templates.LanguageFor(ReceiptTemplate, language);
        var marks = ReceiptLine.MarksChanges(lines);
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
            ["school_name"] = school?.Name ?? "",
            ["crest_url"] = school?.CrestUrl?.ToString() ?? "",
            // In the language of the template actually used (English where the trust has none in theirs).
            ["greeting"] = greeting?.Invoke(lang) ?? "",
        }, new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>>(StringComparer.Ordinal)
        {
            ["lines"] = [.. lines.Select(l => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["purpose"] = l.PurposeName,
                ["answer"] = AnswerWord(l.Kind, lang, l.Basis),
                ["note"] = marks && l.Changed ? ChangedNow(lang) : "",
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
