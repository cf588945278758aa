using System.Globalization;
using System.Net;
using System.Text;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;

namespace ConsentHub.Signing;

/// <summary>One line of a receipt: a purpose and what was recorded for it.</summary>
public sealed record ReceiptLine(string PurposeKey, string PurposeName, AnswerKind Kind);

/// <summary>
/// The receipt and change-link emails in English and Polish, with plain wording when the pupil is the signer.
/// Text and HTML are built from the same lines; the HTML is encoded throughout.
/// </summary>
public static class SigningEmails
{
    public sealed record Message(string Subject, string Text, string Html);

    public static string AnswerWord(AnswerKind kind, string language) => (kind, language) switch
    {
        (AnswerKind.Grant, SigningLanguage.Polish) => "Tak",
        (AnswerKind.Refuse, SigningLanguage.Polish) => "Nie",
        (AnswerKind.Withdraw, SigningLanguage.Polish) => "Nie (zgoda wycofana)",
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

    public static Message Receipt(string language, bool pupilIsSigner, string pupilFirstName, string receiptNumber, string formVersionLabel,
        DateTimeOffset at, string? signatureName, IReadOnlyList<ReceiptLine> lines, Uri? changeUrl, DateTimeOffset? changeLinkExpires)
    {
        var pl = language == SigningLanguage.Polish;
        var subject = pl
            ? $"Potwierdzenie odpowiedzi w sprawie zdjęć i nagrań – {pupilFirstName} ({receiptNumber})"
            : pupilIsSigner ? $"Your photo and video answers ({receiptNumber})" : $"Your photo and video consent answers for {pupilFirstName} ({receiptNumber})";
        var intro = (pl, pupilIsSigner) switch
        {
            (true, true) => "Dziękujemy. Oto, co od Ciebie zapisaliśmy:",
            (true, false) => $"Dziękujemy. Oto, co zapisaliśmy w sprawie zdjęć i nagrań dziecka: {pupilFirstName}.",
            (false, true) => "Thank you. This is what you told us:",
            _ => $"Thank you. This is what we recorded about photos and videos of {pupilFirstName}:",
        };
        var facts = new List<(string Label, string Value)>
        {
            (pl ? "Kiedy" : "When", FormatTime(at, language)),
            (pl ? "Wersja formularza" : "Form wording version", formVersionLabel),
            (pl ? "Numer potwierdzenia" : "Receipt id", receiptNumber),
        };
        if (!string.IsNullOrWhiteSpace(signatureName)) facts.Add((pl ? "Podpisano przez" : "Signed by", signatureName));

        string? changeText = null;
        if (changeUrl is not null)
        {
            var until = changeLinkExpires is { } e ? FormatDate(e, language) : "";
            changeText = (pl, pupilIsSigner) switch
            {
                (true, _) => $"Możesz zmienić zdanie lub wycofać zgodę w każdej chwili pod tym linkiem (jest przeznaczony tylko dla Ciebie, nie przesyłaj go dalej). Link działa do {until}.",
                (false, true) => $"You can change your mind at any time with this link. It is just for you, so don't share it. It works until {until}.",
                _ => $"You can change your mind or withdraw consent at any time with this link. It is personal to you: please do not forward it. It works until {until}.",
            };
        }

        var text = new StringBuilder();
        text.AppendLine(intro).AppendLine();
        foreach (var l in lines) text.Append("- ").Append(l.PurposeName).Append(": ").AppendLine(AnswerWord(l.Kind, language));
        text.AppendLine();
        foreach (var (label, value) in facts) text.Append(label).Append(": ").AppendLine(value);
        if (changeText is not null) text.AppendLine().AppendLine(changeText).AppendLine(changeUrl!.ToString());

        var html = new StringBuilder();
        html.Append("<p>").Append(E(intro)).Append("</p><ul>");
        foreach (var l in lines) html.Append("<li>").Append(E(l.PurposeName)).Append(": <strong>").Append(E(AnswerWord(l.Kind, language))).Append("</strong></li>");
        html.Append("</ul><p>");
        foreach (var (label, value) in facts) html.Append(E(label)).Append(": ").Append(E(value)).Append("<br>");
        html.Append("</p>");
        if (changeText is not null)
            html.Append("<p>").Append(E(changeText)).Append("</p><p><a href=\"").Append(E(changeUrl!.ToString())).Append("\">").Append(E(changeUrl.ToString())).Append("</a></p>");
        return new Message(subject, text.ToString(), $"<!DOCTYPE html><html lang=\"{language}\"><body>{html}</body></html>");
    }

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
        return new Message(subject, text.ToString(), $"<!DOCTYPE html><html lang=\"{language}\"><body>{html}</body></html>");
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
