using ConsentHub.Pdf;
using ConsentHub.Signing;

namespace ConsentHub.Signing;

/// <summary>Who and what a receipt PDF is about: the school (name and crest for the header) and the child.</summary>
/// <param name="SchoolName">The academy's name, printed in the header of every page.</param>
/// <param name="SchoolLogo">The academy's crest (PNG or JPEG) beside it; null when it has none.</param>
/// <param name="PupilName">The child's full name as the school uses it.</param>
public sealed record ReceiptSubject(string SchoolName, byte[]? SchoolLogo, string PupilName);

/// <summary>
/// The PDF copy of an online answer, attached to the receipt email: the school, who answered about which child,
/// when, the wording version, and each use with its answer. A change or withdrawal lists the full current position
/// with the answers just changed marked. The change link stays in the email only: a PDF gets saved and forwarded,
/// and the link is a personal secret.
/// </summary>
public static class ReceiptDocument
{
    public static byte[] Render(string language, bool pupilIsSigner, ReceiptSubject subject, string receiptNumber, string formVersionLabel,
        DateTimeOffset at, string? signatureName, IReadOnlyList<ReceiptLine> lines)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(lines);
        var w = ReceiptWording.For(language);
        using var pdf = new PdfDocumentBuilder(new PdfDocumentInfo($"{w.Receipt} {receiptNumber}", "Photography and video consent", subject.SchoolName));
        var section = pdf.AddSection(new PdfPageFrame(HeaderLeft: subject.SchoolName, HeaderRight: receiptNumber,
            FooterLeft: w.FormVersion + " " + formVersionLabel)
        { HeaderLogo = subject.SchoolLogo });
        section.Heading(w.Title, 0)
            .Paragraph(pupilIsSigner ? w.IntroPupil : w.Intro(subject.PupilName));
        var facts = new List<(string, string)>
        {
            (w.Pupil, subject.PupilName),
            (w.When, SigningEmails.FormatTime(at, language)),
            (w.FormVersion, formVersionLabel),
            (w.ReceiptId, receiptNumber),
        };
        if (!string.IsNullOrWhiteSpace(signatureName)) facts.Add((w.SignedBy, signatureName));
        foreach (var (label, value) in facts) section.Paragraph($"{label}: {value}", PdfTextStyle.Body with { SpaceAfter = 2 });
        section.Spacer(6);
        var marks = ReceiptLine.MarksChanges(lines);
        if (marks) section.Paragraph(w.FullPosition, PdfTextStyle.Body with { SpaceAfter = 4 });
        section.Table([new PdfColumn(w.Use, 3), new PdfColumn(w.Answer, 1.4f)],
            lines.Select(l => (IReadOnlyList<string>)[l.PurposeName,
                SigningEmails.AnswerWord(l.Kind, language, l.Basis) + (marks && l.Changed ? $" ({SigningEmails.ChangedNow(language)})" : "")]));
        section.Paragraph(w.ChangeLater, PdfTextStyle.Small);
        return pdf.ToArray();
    }
}

/// <summary>
/// The receipt PDF's wording in each signing language (all but English and Polish to be reviewed by the trust).
/// Punjabi ends its sentences with the danda "।" (printed from the Gurmukhi face).
/// </summary>
internal sealed record ReceiptWording(string Receipt, string Title, string IntroPupil, Func<string, string> Intro, string Pupil, string When,
    string FormVersion, string ReceiptId, string SignedBy, string Use, string Answer, string FullPosition, string ChangeLater)
{
    public static ReceiptWording For(string language) => language switch
    {
        SigningLanguage.Polish => new("Potwierdzenie", "Potwierdzenie odpowiedzi", "Oto, co nam przekazałeś(-aś) w sprawie Twoich zdjęć i nagrań.",
            name => $"Zapisaliśmy odpowiedzi w sprawie zdjęć i nagrań dziecka: {name}.", "Dziecko", "Kiedy", "Wersja formularza", "Numer potwierdzenia",
            "Podpisano przez", "Sposób wykorzystania", "Odpowiedź", "Aktualne odpowiedzi we wszystkich sprawach:",
            "Zdanie można zmienić lub zgodę wycofać w każdej chwili: skorzystaj z linku w wiadomości e-mail albo skontaktuj się z sekretariatem szkoły."),
        SigningLanguage.Urdu => new("رسید", "آپ کے جوابات: رسید", "یہ وہ ہے جو آپ نے اپنی تصاویر اور ویڈیوز کے بارے میں ہمیں بتایا۔",
            name => $"یہ وہ ہے جو ہم نے {name} کی تصاویر اور ویڈیوز کے بارے میں درج کیا۔", "بچہ", "کب", "فارم کے الفاظ کا ورژن", "رسید نمبر",
            "دستخط کنندہ", "استعمال", "جواب", "ہر استعمال کے لیے موجودہ جواب:",
            "آپ کسی بھی وقت اپنی رائے بدل سکتے ہیں یا رضامندی واپس لے سکتے ہیں: ای میل میں دیا گیا لنک استعمال کریں یا اسکول کے دفتر سے رابطہ کریں۔"),
        SigningLanguage.Arabic => new("إيصال", "إجاباتك: إيصال", "هذا ما أخبرتنا به عن صورك ومقاطع الفيديو الخاصة بك.",
            name => $"هذا ما سجّلناه بشأن صور ومقاطع فيديو {name}.", "الطفل", "متى", "إصدار نص النموذج", "رقم الإيصال",
            "وقّع بواسطة", "الاستخدام", "الإجابة", "الإجابة الحالية لكل استخدام:",
            "يمكنك تغيير رأيك أو سحب الموافقة في أي وقت: استخدم الرابط في البريد الإلكتروني أو تواصل مع مكتب المدرسة."),
        SigningLanguage.Romanian => new("Confirmare", "Răspunsurile dvs.: confirmare", "Iată ce ne-ai spus despre fotografiile și videoclipurile cu tine.",
            name => $"Iată ce am înregistrat despre fotografiile și videoclipurile cu {name}.", "Copilul", "Când", "Versiunea textului formularului", "Număr de confirmare",
            "Semnat de", "Utilizare", "Răspuns", "Răspunsul actual pentru fiecare utilizare:",
            "Vă puteți răzgândi sau vă puteți retrage consimțământul oricând: folosiți linkul din e-mail sau contactați secretariatul școlii."),
        SigningLanguage.Punjabi => new("ਰਸੀਦ", "ਤੁਹਾਡੇ ਜਵਾਬ: ਰਸੀਦ", "ਇਹ ਉਹ ਹੈ ਜੋ ਤੁਸੀਂ ਸਾਨੂੰ ਆਪਣੀਆਂ ਫੋਟੋਆਂ ਅਤੇ ਵੀਡੀਓ ਬਾਰੇ ਦੱਸਿਆ।",
            name => $"ਇਹ ਉਹ ਹੈ ਜੋ ਅਸੀਂ {name} ਦੀਆਂ ਫੋਟੋਆਂ ਅਤੇ ਵੀਡੀਓ ਬਾਰੇ ਦਰਜ ਕੀਤਾ।", "ਬੱਚਾ", "ਕਦੋਂ", "ਫਾਰਮ ਦੇ ਸ਼ਬਦਾਂ ਦਾ ਸੰਸਕਰਣ", "ਰਸੀਦ ਨੰਬਰ",
            "ਦਸਤਖਤ ਕਰਨ ਵਾਲਾ", "ਵਰਤੋਂ", "ਜਵਾਬ", "ਹਰ ਵਰਤੋਂ ਲਈ ਮੌਜੂਦਾ ਜਵਾਬ:",
            "ਤੁਸੀਂ ਕਿਸੇ ਵੀ ਸਮੇਂ ਆਪਣਾ ਮਨ ਬਦਲ ਸਕਦੇ ਹੋ ਜਾਂ ਸਹਿਮਤੀ ਵਾਪਸ ਲੈ ਸਕਦੇ ਹੋ: ਈਮੇਲ ਵਿਚਲਾ ਲਿੰਕ ਵਰਤੋ ਜਾਂ ਸਕੂਲ ਦੇ ਦਫ਼ਤਰ ਨਾਲ ਸੰਪਰਕ ਕਰੋ।"),
        _ => new("Receipt", "Your answers: receipt", "This is what you told us about photos and videos of you.",
            name => $"This is what we recorded about photos and videos of {name}.", "Child", "When", "Form wording version", "Receipt id",
            "Signed by", "Use", "Answer", "The current answer for every use:",
            "You can change your mind or withdraw at any time: use the link in the email, or contact the school office."),
    };
}
