using ConsentHub.Pdf;
using ConsentHub.Signing;

namespace ConsentHub.Signing;

/// <summary>
/// The PDF copy of an online answer, attached to the receipt email: who answered about whom, when, the wording
/// version, and each use with the answer given. The change link stays in the email only: a PDF gets saved and
/// forwarded, and the link is a personal secret.
/// </summary>
public static class ReceiptDocument
{
    public static byte[] Render(string language, bool pupilIsSigner, string pupilFirstName, string receiptNumber, string formVersionLabel,
        DateTimeOffset at, string? signatureName, IReadOnlyList<ReceiptLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var pl = language == SigningLanguage.Polish;
        using var pdf = new PdfDocumentBuilder(new PdfDocumentInfo(pl ? $"Potwierdzenie {receiptNumber}" : $"Receipt {receiptNumber}", "Photography and video consent"));
        var section = pdf.AddSection(new PdfPageFrame(HeaderLeft: "ConsentHub", HeaderRight: receiptNumber,
            FooterLeft: (pl ? "Wersja formularza " : "Form wording version ") + formVersionLabel));
        section.Heading(pl ? "Potwierdzenie odpowiedzi" : "Your answers: receipt", 0)
            .Paragraph(pl
                ? $"Zapisaliśmy odpowiedzi w sprawie zdjęć i nagrań dziecka: {pupilFirstName}."
                : pupilIsSigner ? "This is what you told us about photos and videos of you." : $"This is what we recorded about photos and videos of {pupilFirstName}.");
        var facts = new List<IReadOnlyList<string>>
        {
            new[] { pl ? "Kiedy" : "When", SigningEmails.FormatTime(at, language) },
            new[] { pl ? "Wersja formularza" : "Form wording version", formVersionLabel },
            new[] { pl ? "Numer potwierdzenia" : "Receipt id", receiptNumber },
        };
        if (!string.IsNullOrWhiteSpace(signatureName)) facts.Add([pl ? "Podpisano przez" : "Signed by", signatureName]);
        foreach (var fact in facts) section.Paragraph($"{fact[0]}: {fact[1]}", PdfTextStyle.Body with { SpaceAfter = 2 });
        section.Spacer(6);
        section.Table([new PdfColumn(pl ? "Sposób wykorzystania" : "Use", 3), new PdfColumn(pl ? "Odpowiedź" : "Answer", 1)],
            lines.Select(l => (IReadOnlyList<string>)[l.PurposeName, SigningEmails.AnswerWord(l.Kind, language, l.Basis)]));
        section.Paragraph(pl
            ? "Zdanie można zmienić lub zgodę wycofać w każdej chwili: skorzystaj z linku w wiadomości e-mail albo skontaktuj się z sekretariatem szkoły."
            : "You can change your mind or withdraw at any time: use the link in the email, or contact the school office.", PdfTextStyle.Small);
        return pdf.ToArray();
    }
}
