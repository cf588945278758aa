using ConsentHub.Consent;
using ConsentHub.Signing;

namespace ConsentHub.Web.Components.Pages.Signing;

/// <summary>
/// Every word the signing pages show, in English, Polish, Urdu, Arabic, Romanian and Punjabi, with plain wording
/// when the pupil is the signer. Kept in one place so a translation is complete or visibly not (every member is
/// required). Languages other than English carry <see cref="ReviewNote"/> until the trust signs them off.
/// </summary>
public sealed partial class SigningText
{
    /// <summary>"rtl" for Urdu and Arabic, else "ltr".</summary>
    public string Direction => SigningLanguage.Direction(Language);

    /// <summary>Shown on every page in this language until a reviewer signs the translation off; empty for English.</summary>
    public string ReviewNote { get; init; } = "";

    public required string Language { get; init; }
    public required string OtherLanguageName { get; init; }
    public required string OtherLanguage { get; init; }
    public required string SiteName { get; init; }

    /// <summary>Leads the school office's telephone and email at the foot of every page of a school's link.</summary>
    public required string ContactOffice { get; init; }
    public required string ErrorTitlePrefix { get; init; }
    public required string ErrorSummaryTitle { get; init; }
    public required string Continue { get; init; }
    public required string Day { get; init; }
    public required string Month { get; init; }
    public required string Year { get; init; }
    public required string DobHint { get; init; }
    public required string DobWrong { get; init; }
    public required string DobMissing { get; init; }
    public required string LockedTitle { get; init; }
    public required string UnavailableTitle { get; init; }
    public required string UnavailableBody { get; init; }
    public required string UnavailableAnsweredHint { get; init; }
    public required string LostLinkLinkText { get; init; }
    public required string BadInputTitle { get; init; }
    public required string BadInputBody { get; init; }
    public required string TooLargeTitle { get; init; }
    public required string TooLargeBody { get; init; }
    public required string ShortCodeLinkText { get; init; }
    public required string ExpiredTitle { get; init; }
    public required string ExpiredBody { get; init; }
    public required string StartAgain { get; init; }
    public required string ShortCodeTitle { get; init; }
    public required string ShortCodeIntro { get; init; }
    public required string ShortCodeLabel { get; init; }
    public required string ShortCodeHint { get; init; }
    public required string ShortCodeNoMatch { get; init; }
    public required string ShortCodeMissing { get; init; }
    public required string PupilDobLegend { get; init; }
    public required string Yes { get; init; }
    public required string No { get; init; }
    public required string WordingOnlyInEnglish { get; init; }
    public required string FormVersion { get; init; }
    public required string NameHint { get; init; }
    public required string Submit { get; init; }
    public required string SaveChanges { get; init; }
    public required string ChangeIntro { get; init; }
    public required string WithdrawAllTitle { get; init; }
    public required string WithdrawAllBody { get; init; }
    public required string WithdrawAllButton { get; init; }
    public required string WithdrawAllConfirmTitle { get; init; }
    public required string WithdrawAllConfirmBody { get; init; }

    /// <summary>When no account is registered for the academy: nothing will be taken down by itself, so say so.</summary>
    public required string WithdrawAllConfirmBodyNoTakedown { get; init; }

    public required string WithdrawAllBodyNoTakedown { get; init; }
    public required string WithdrawAllConfirmButton { get; init; }
    public required string Cancel { get; init; }
    public required string NothingChanged { get; init; }
    public required string ReceiptTitle { get; init; }
    public required string ReceiptNumber { get; init; }

    /// <summary>The label of the child's name on the receipt.</summary>
    public required string ReceiptPupil { get; init; }
    public required string When { get; init; }
    public required string SignedBy { get; init; }
    public required string ReceiptEmailSent { get; init; }
    public required string KeepReceiptNumber { get; init; }
    public required string ChangeLater { get; init; }
    public required string LostTitle { get; init; }
    public required string LostIntro { get; init; }
    public required string EmailLabel { get; init; }
    public required string EmailInvalid { get; init; }
    public required string SendLinks { get; init; }
    public required string LostSentTitle { get; init; }
    public required string LostSentBody { get; init; }
    public required string TooManyTitle { get; init; }
    public required string TooManyBody { get; init; }
    public required string PageExpiredTitle { get; init; }
    public required string PageExpiredBody { get; init; }

    // Wording that depends on who signs: the parent about "your child", or the pupil in plain words.
    public required Func<bool, string> DobTitle { get; init; }
    public required Func<bool, string> DobIntro { get; init; }
    public required Func<bool, string> DobLegend { get; init; }
    public required Func<bool, string, string> FormTitle { get; init; }
    public required Func<bool, string, string> FormIntro { get; init; }
    public required Func<string, string> Responsibility { get; init; }
    public required Func<bool, string> NameLabel { get; init; }
    public required Func<bool, string> ReceiptIntro { get; init; }
    public required Func<string, string> ChooseYesOrNo { get; init; }
    public required Func<string, string> LockedBody { get; init; }
    public required Func<string, string> ConfirmResponsibilityError { get; init; }
    public required string TypeFullNameError { get; init; }
    public required string NameTooLongError { get; init; }

    // What was published of the pupil (the change link's posts page).
    public required string PostsSectionTitle { get; init; }
    public required Func<bool, int, string> PostsSectionBody { get; init; }
    public required string PostsLink { get; init; }
    public required Func<bool, string> PostsTitle { get; init; }
    public required Func<bool, string> PostsIntro { get; init; }
    public required Func<bool, string> PostsNone { get; init; }
    public required string PostAccount { get; init; }
    public required string PostDate { get; init; }
    public required string PostAddress { get; init; }
    public required string PostImageAlt { get; init; }
    public required string AskTakedownButton { get; init; }
    public required Func<string, string> TakedownAsked { get; init; }
    public required Func<string, string> TakenDown { get; init; }
    public required string TakedownAskedNotice { get; init; }
    public required string BackToAnswers { get; init; }

    public string AnswerWord(AnswerKind kind) => SigningEmails.AnswerWord(kind, Language);

    public string AnswerWord(AnswerKind kind, LawfulBasis basis) => SigningEmails.AnswerWord(kind, Language, basis);

    public string Error(SigningError e, string pupilFirstName) => e.Kind switch
    {
        SigningErrorKind.ChooseYesOrNo => ChooseYesOrNo(e.PurposeName ?? ""),
        SigningErrorKind.ConfirmResponsibility => ConfirmResponsibilityError(pupilFirstName),
        SigningErrorKind.NameTooLong => NameTooLongError,
        _ => TypeFullNameError,
    };

    public static SigningText For(string language) => language switch
    {
        SigningLanguage.Polish => Polish,
        SigningLanguage.Urdu => Urdu,
        SigningLanguage.Arabic => Arabic,
        SigningLanguage.Romanian => Romanian,
        SigningLanguage.Punjabi => Punjabi,
        _ => English,
    };

    public static readonly SigningText English = new()
    {
        Language = SigningLanguage.English,
        OtherLanguage = SigningLanguage.Polish,
        OtherLanguageName = "Polski",
        SiteName = "Photo and video consent",
        ContactOffice = "Questions? Contact the school office:",
        ErrorTitlePrefix = "Error: ",
        ErrorSummaryTitle = "There is a problem",
        Continue = "Continue",
        Day = "Day",
        Month = "Month",
        Year = "Year",
        DobHint = "For example, 27 3 2015",
        DobWrong = "That date of birth does not match our records. Check it and try again. After 3 wrong tries this link is locked for 15 minutes.",
        DobMissing = "Enter the date of birth as day, month and year, for example 27 3 2015.",
        LockedTitle = "Try again later",
        UnavailableTitle = "This link cannot be used",
        UnavailableBody = "This link or code can no longer be used: it may have expired, been used already or been replaced. Opening this page has changed nothing: any answers you sent before are kept. To change your answers, ask for a new link below, or contact your child's school office.",
        UnavailableAnsweredHint = "If you have already answered, use the change link in your receipt email to change your mind or withdraw consent, or ask for a new change link.",
        LostLinkLinkText = "Get a new change link by email",
        BadInputTitle = "Something in the form could not be read",
        BadInputBody = "What was sent contains characters that cannot be part of an answer. Nothing has been recorded. Go back, check what you typed (or type it again rather than pasting it) and send it again.",
        TooLargeTitle = "Too much was sent",
        TooLargeBody = "What was sent is far larger than this form can take. Nothing has been recorded. Go back and send the form again.",
        ShortCodeLinkText = "Answer with the code on a paper form",
        ExpiredTitle = "Please start again",
        ExpiredBody = "For your security, this page stops working after 30 minutes or when the browser is closed.",
        StartAgain = "Start again",
        ShortCodeTitle = "Answer with your code",
        ShortCodeIntro = "Type the 8-character code printed on the consent form, and the date of birth of the pupil it is about.",
        ShortCodeLabel = "Code from the form",
        ShortCodeHint = "For example, ACDE-FG23. Letters can be upper or lower case.",
        ShortCodeNoMatch = "That code and date of birth do not match a form that can be answered. Check them and try again. After 3 wrong tries a code is locked for 15 minutes.",
        ShortCodeMissing = "Enter the 8-character code from the form.",
        PupilDobLegend = "Pupil's date of birth",
        Yes = "Yes",
        No = "No",
        WordingOnlyInEnglish = "This wording is only available in English.",
        FormVersion = "Form wording version",
        NameHint = "Typing your name counts as your signature.",
        Submit = "Send my answers",
        SaveChanges = "Save changes",
        ChangeIntro = "Your current answers are selected. Change any of them and save. You can change your mind at any time.",
        WithdrawAllTitle = "Withdraw all consent",
        WithdrawAllBody = "Withdraw every consent at once. Photos will no longer be used, and we will ask for them to be taken down.",
        WithdrawAllButton = "Withdraw all consent",
        WithdrawAllConfirmTitle = "Withdraw all consent?",
        WithdrawAllConfirmBody = "Every \"yes\" will become \"no\" straight away. Staff will be told not to use photos and videos, and to take down what has been posted on the trust's accounts. You can give consent again later.",
        WithdrawAllConfirmBodyNoTakedown = "Every \"yes\" will become \"no\" straight away, and staff will be told not to use photos and videos from now on. Anything already published is not removed automatically: if you want something taken down, contact the school office. You can give consent again later.",
        WithdrawAllBodyNoTakedown = "Withdraw every consent at once. Photos and videos will no longer be used; to have something already published removed, contact the school office.",
        WithdrawAllConfirmButton = "Yes, withdraw all consent",
        Cancel = "No, go back",
        NothingChanged = "Nothing was changed: your answers already say this.",
        ReceiptTitle = "Your answers have been recorded",
        ReceiptNumber = "Receipt id",
        ReceiptPupil = "Pupil",
        When = "When",
        SignedBy = "Signed by",
        ReceiptEmailSent = "We have emailed you a receipt with a link to change your mind or withdraw consent at any time.",
        KeepReceiptNumber = "We hold no email address to send a receipt to, so please note the receipt id above.",
        ChangeLater = "You can change your mind at any time. If you do not have the email, ask the academy office.",
        LostTitle = "Get a new change link",
        LostIntro = "Enter your email address. If we hold it for a parent, carer or pupil who can answer, we will email a new link to change or withdraw consent for each pupil.",
        EmailLabel = "Email address",
        EmailInvalid = "Enter an email address in the right format, like name@example.com.",
        SendLinks = "Send me the links",
        LostSentTitle = "Check your email",
        LostSentBody = "If that address is one we hold, we have sent it new links. They can take a few minutes to arrive. If nothing arrives, ask the academy office.",
        TooManyTitle = "Too many tries",
        TooManyBody = "Please wait a minute and try again.",
        PageExpiredTitle = "This page has expired",
        PageExpiredBody = "Nothing has been recorded. Go back to your link and try again.",
        DobTitle = pupil => pupil ? "Confirm your date of birth" : "Confirm your child's date of birth",
        DobIntro = pupil => pupil ? "Before you answer, tell us your date of birth so we know it is you." : "Before you answer, confirm the date of birth of the child this form is about.",
        DobLegend = pupil => pupil ? "Your date of birth" : "Your child's date of birth",
        FormTitle = (pupil, name) => pupil ? "Photos and videos of you" : $"Photos and videos of {name}",
        FormIntro = (pupil, name) => pupil
            ? "For each question, choose yes or no. You must answer them all. Saying no is fine, and you can change your mind later."
            : $"For each use, choose yes or no for {name}. Every question needs an answer. You can change your mind or withdraw consent at any time.",
        Responsibility = name => $"I have parental responsibility for {name}",
        NameLabel = pupil => pupil ? "Your full name" : "Your full name (parent or carer)",
        ReceiptIntro = pupil => pupil ? "Thanks! This is what you told us:" : "Thank you. This is exactly what we recorded:",
        ChooseYesOrNo = purpose => $"Choose yes or no for \"{purpose}\".",
        LockedBody = until => $"Too many wrong dates of birth were entered. This link is locked until {until}; after that you can try again. Any answers you sent before are kept. If the date of birth we hold may be wrong, contact your child's school office: they can correct it and send you a new link.",
        ConfirmResponsibilityError = name => $"Tick the box to confirm you have parental responsibility for {name}.",
        TypeFullNameError = "Type your full name.",
        NameTooLongError = "Your name must be 200 characters or fewer.",
        PostsSectionTitle = "What has been published",
        PostsSectionBody = (pupil, n) => pupil
            ? (n == 1 ? "The school has recorded 1 post on its social media accounts that shows you." : $"The school has recorded {n} posts on its social media accounts that show you.")
              + " You can see them and ask for any one to be taken down without changing your answers."
            : (n == 1 ? "The school has recorded 1 post on its social media accounts that shows your child." : $"The school has recorded {n} posts on its social media accounts that show your child.")
              + " You can see them and ask for any one to be taken down without withdrawing consent.",
        PostsLink = "See the posts",
        PostsTitle = pupil => pupil ? "Posts that show you" : "Posts that show your child",
        PostsIntro = pupil => (pupil ? "These are the posts the school recorded on its social media accounts that show you." : "These are the posts the school recorded on its social media accounts that show your child.")
            + " Faces of anyone who may not be shown were blurred before posting. You can ask for any one post to be taken down: your consent answers stay as they are.",
        PostsNone = pupil => pupil ? "No post that shows you has been recorded." : "No post that shows your child has been recorded.",
        PostAccount = "Account",
        PostDate = "Posted on",
        PostAddress = "Address",
        PostImageAlt = "The photo as it was published",
        AskTakedownButton = "Ask for this post to be taken down",
        TakedownAsked = date => $"You asked for this post to be taken down on {date}. The account's administrators have been told.",
        TakenDown = date => $"Taken down on {date}.",
        TakedownAskedNotice = "We have asked for the post to be taken down. Your consent answers have not changed.",
        BackToAnswers = "Back to your answers",
    };

    public static readonly SigningText Polish = new()
    {
        Language = SigningLanguage.Polish,
        OtherLanguage = SigningLanguage.English,
        OtherLanguageName = "English",
        ReviewNote = "To tłumaczenie czeka na sprawdzenie przez trust. W razie wątpliwości obowiązuje wersja angielska. (This translation is to be reviewed by the trust.)",
        SiteName = "Zgoda na zdjęcia i nagrania",
        ContactOffice = "Pytania? Skontaktuj się z sekretariatem szkoły:",
        ErrorTitlePrefix = "Błąd: ",
        ErrorSummaryTitle = "Wystąpił problem",
        Continue = "Dalej",
        Day = "Dzień",
        Month = "Miesiąc",
        Year = "Rok",
        DobHint = "Na przykład 27 3 2015",
        DobWrong = "Ta data urodzenia nie zgadza się z naszymi danymi. Sprawdź ją i spróbuj ponownie. Po 3 błędnych próbach link zostanie zablokowany na 15 minut.",
        DobMissing = "Wpisz datę urodzenia: dzień, miesiąc i rok, na przykład 27 3 2015.",
        LockedTitle = "Spróbuj później",
        UnavailableTitle = "Tego linku nie można użyć",
        UnavailableBody = "Tego linku lub kodu nie można już użyć: mógł wygasnąć, zostać już użyty albo zastąpiony. Otwarcie tej strony niczego nie zmieniło: wcześniej wysłane odpowiedzi są zachowane. Aby zmienić odpowiedzi, poproś poniżej o nowy link albo skontaktuj się z sekretariatem szkoły dziecka.",
        UnavailableAnsweredHint = "Jeśli już odpowiedziałeś(-aś), użyj linku do zmiany z e-maila z potwierdzeniem, aby zmienić zdanie lub wycofać zgodę, albo poproś o nowy link.",
        LostLinkLinkText = "Wyślij mi e-mailem nowy link do zmiany",
        BadInputTitle = "Nie udało się odczytać formularza",
        BadInputBody = "Przesłane dane zawierają znaki, które nie mogą być częścią odpowiedzi. Nic nie zostało zapisane. Wróć, sprawdź, co zostało wpisane (lub wpisz to ponownie zamiast wklejać), i wyślij jeszcze raz.",
        TooLargeTitle = "Przesłano za dużo danych",
        TooLargeBody = "Przesłane dane są znacznie większe, niż ten formularz może przyjąć. Nic nie zostało zapisane. Wróć i wyślij formularz ponownie.",
        ShortCodeLinkText = "Odpowiedz kodem z papierowego formularza",
        ExpiredTitle = "Zacznij od nowa",
        ExpiredBody = "Dla Twojego bezpieczeństwa ta strona przestaje działać po 30 minutach lub po zamknięciu przeglądarki.",
        StartAgain = "Zacznij od nowa",
        ShortCodeTitle = "Odpowiedz za pomocą kodu",
        ShortCodeIntro = "Wpisz 8-znakowy kod wydrukowany na formularzu zgody oraz datę urodzenia ucznia, którego dotyczy.",
        ShortCodeLabel = "Kod z formularza",
        ShortCodeHint = "Na przykład ACDE-FG23. Wielkość liter nie ma znaczenia.",
        ShortCodeNoMatch = "Ten kod i data urodzenia nie pasują do żadnego formularza, na który można odpowiedzieć. Sprawdź je i spróbuj ponownie. Po 3 błędnych próbach kod zostanie zablokowany na 15 minut.",
        ShortCodeMissing = "Wpisz 8-znakowy kod z formularza.",
        PupilDobLegend = "Data urodzenia ucznia",
        Yes = "Tak",
        No = "Nie",
        WordingOnlyInEnglish = "Ta treść jest dostępna tylko w języku angielskim.",
        FormVersion = "Wersja treści formularza",
        NameHint = "Wpisanie imienia i nazwiska jest Twoim podpisem.",
        Submit = "Wyślij odpowiedzi",
        SaveChanges = "Zapisz zmiany",
        ChangeIntro = "Zaznaczone są Twoje obecne odpowiedzi. Zmień dowolną z nich i zapisz. Możesz zmienić zdanie w każdej chwili.",
        WithdrawAllTitle = "Wycofaj wszystkie zgody",
        WithdrawAllBody = "Wycofaj od razu wszystkie zgody. Zdjęcia nie będą już wykorzystywane, a my poprosimy o ich usunięcie.",
        WithdrawAllButton = "Wycofaj wszystkie zgody",
        WithdrawAllConfirmTitle = "Wycofać wszystkie zgody?",
        WithdrawAllConfirmBody = "Każde „tak” od razu zmieni się na „nie”. Pracownicy dostaną informację, aby nie używać zdjęć i nagrań oraz usunąć to, co opublikowano na kontach trustu. Później możesz ponownie wyrazić zgodę.",
        WithdrawAllConfirmBodyNoTakedown = "Każde „tak” od razu zmieni się na „nie”, a pracownicy dostaną informację, aby od teraz nie używać zdjęć i nagrań. To, co już opublikowano, nie jest usuwane automatycznie: jeśli chcesz, aby coś usunięto, skontaktuj się z sekretariatem szkoły. Później możesz ponownie wyrazić zgodę.",
        WithdrawAllBodyNoTakedown = "Wycofaj od razu wszystkie zgody. Zdjęcia i nagrania nie będą już wykorzystywane; aby usunąć coś, co już opublikowano, skontaktuj się z sekretariatem szkoły.",
        WithdrawAllConfirmButton = "Tak, wycofaj wszystkie zgody",
        Cancel = "Nie, wróć",
        NothingChanged = "Nic nie zostało zmienione: Twoje odpowiedzi już tak brzmią.",
        ReceiptTitle = "Twoje odpowiedzi zostały zapisane",
        ReceiptNumber = "Numer potwierdzenia",
        ReceiptPupil = "Uczeń / uczennica",
        When = "Kiedy",
        SignedBy = "Podpisano przez",
        ReceiptEmailSent = "Wysłaliśmy Ci e-mail z potwierdzeniem i linkiem, pod którym możesz w każdej chwili zmienić zdanie lub wycofać zgodę.",
        KeepReceiptNumber = "Nie mamy adresu e-mail, na który można wysłać potwierdzenie, więc zanotuj powyższy numer potwierdzenia.",
        ChangeLater = "Możesz zmienić zdanie w każdej chwili. Jeśli nie masz tego e-maila, skontaktuj się z sekretariatem szkoły.",
        LostTitle = "Nowy link do zmiany",
        LostIntro = "Wpisz swój adres e-mail. Jeśli mamy go zapisanego dla rodzica, opiekuna lub ucznia, który może odpowiadać, wyślemy nowy link do zmiany lub wycofania zgody dla każdego ucznia.",
        EmailLabel = "Adres e-mail",
        EmailInvalid = "Wpisz poprawny adres e-mail, na przykład imie@example.com.",
        SendLinks = "Wyślij linki",
        LostSentTitle = "Sprawdź skrzynkę e-mail",
        LostSentBody = "Jeśli mamy zapisany ten adres, wysłaliśmy na niego nowe linki. Mogą dotrzeć po kilku minutach. Jeśli nic nie przyjdzie, skontaktuj się z sekretariatem szkoły.",
        TooManyTitle = "Zbyt wiele prób",
        TooManyBody = "Poczekaj minutę i spróbuj ponownie.",
        PageExpiredTitle = "Ta strona wygasła",
        PageExpiredBody = "Nic nie zostało zapisane. Wróć do swojego linku i spróbuj ponownie.",
        DobTitle = pupil => pupil ? "Potwierdź swoją datę urodzenia" : "Potwierdź datę urodzenia dziecka",
        DobIntro = pupil => pupil ? "Zanim odpowiesz, podaj swoją datę urodzenia, żebyśmy wiedzieli, że to Ty." : "Zanim odpowiesz, potwierdź datę urodzenia dziecka, którego dotyczy ten formularz.",
        DobLegend = pupil => pupil ? "Twoja data urodzenia" : "Data urodzenia dziecka",
        FormTitle = (pupil, name) => pupil ? "Zdjęcia i nagrania z Tobą" : $"Zdjęcia i nagrania dziecka: {name}",
        FormIntro = (pupil, name) => pupil
            ? "Przy każdym pytaniu wybierz tak lub nie. Trzeba odpowiedzieć na wszystkie. Możesz powiedzieć nie i możesz później zmienić zdanie."
            : $"Przy każdym sposobie wykorzystania wybierz tak lub nie (dziecko: {name}). Każde pytanie wymaga odpowiedzi. W każdej chwili możesz zmienić zdanie lub wycofać zgodę.",
        Responsibility = name => $"Mam władzę rodzicielską (parental responsibility) wobec dziecka: {name}",
        NameLabel = pupil => pupil ? "Twoje imię i nazwisko" : "Twoje imię i nazwisko (rodzic lub opiekun)",
        ReceiptIntro = pupil => pupil ? "Dzięki! Oto, co nam przekazałeś(-aś):" : "Dziękujemy. Oto dokładnie to, co zapisaliśmy:",
        ChooseYesOrNo = purpose => $"Wybierz tak lub nie dla „{purpose}”.",
        LockedBody = until => $"Wpisano zbyt wiele błędnych dat urodzenia. Ten link jest zablokowany do {until}; potem można spróbować ponownie. Wcześniej wysłane odpowiedzi są zachowane. Jeśli zapisana data urodzenia może być błędna, skontaktuj się z sekretariatem szkoły dziecka: poprawi ją i wyśle nowy link.",
        ConfirmResponsibilityError = name => $"Zaznacz pole, aby potwierdzić, że masz władzę rodzicielską wobec dziecka: {name}.",
        TypeFullNameError = "Wpisz swoje imię i nazwisko.",
        NameTooLongError = "Imię i nazwisko może mieć najwyżej 200 znaków.",
        PostsSectionTitle = "Co zostało opublikowane",
        PostsSectionBody = (pupil, n) => (pupil
            ? $"Szkoła zapisała posty na swoich kontach w mediach społecznościowych, na których jesteś (liczba: {n})."
            : $"Szkoła zapisała posty na swoich kontach w mediach społecznościowych, na których jest Twoje dziecko (liczba: {n}).")
            + (pupil ? " Możesz je zobaczyć i poprosić o usunięcie dowolnego z nich bez zmiany odpowiedzi." : " Możesz je zobaczyć i poprosić o usunięcie dowolnego z nich bez wycofywania zgody."),
        PostsLink = "Zobacz posty",
        PostsTitle = pupil => pupil ? "Posty, na których jesteś" : "Posty, na których jest Twoje dziecko",
        PostsIntro = pupil => (pupil ? "To posty zapisane przez szkołę na jej kontach w mediach społecznościowych, na których jesteś." : "To posty zapisane przez szkołę na jej kontach w mediach społecznościowych, na których jest Twoje dziecko.")
            + " Twarze osób, których nie wolno pokazywać, zostały rozmyte przed publikacją. Możesz poprosić o usunięcie dowolnego posta: Twoje odpowiedzi w sprawie zgody pozostaną bez zmian.",
        PostsNone = pupil => pupil ? "Nie zapisano żadnego posta, na którym jesteś." : "Nie zapisano żadnego posta, na którym jest Twoje dziecko.",
        PostAccount = "Konto",
        PostDate = "Data publikacji",
        PostAddress = "Adres",
        PostImageAlt = "Zdjęcie w opublikowanej postaci",
        AskTakedownButton = "Poproś o usunięcie tego posta",
        TakedownAsked = date => $"Poprosiłeś(-aś) o usunięcie tego posta {date}. Administratorzy konta zostali powiadomieni.",
        TakenDown = date => $"Usunięto {date}.",
        TakedownAskedNotice = "Poprosiliśmy o usunięcie posta. Twoje odpowiedzi w sprawie zgody nie zmieniły się.",
        BackToAnswers = "Wróć do swoich odpowiedzi",
    };
}
