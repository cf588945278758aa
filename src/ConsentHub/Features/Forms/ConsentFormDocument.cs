using System.Text.RegularExpressions;
using ConsentHub.Consent;
using ConsentHub.Pdf;
using ConsentHub.Requests;

namespace ConsentHub.Forms;

/// <summary>One use on the form: its name and the form version's wording for this audience and language.</summary>
public sealed record FormPurpose(string Key, string Name, string Wording);

/// <summary>
/// Everything printed on one party's consent form for one pupil. The signature block is the party's own: a pupil's
/// parent gets a parent block (with the parental-responsibility statement), a pupil in Years 7–13 a pupil block; so
/// the forms printed for a pupil carry exactly the blocks the rules need (<see cref="ConsentFormDocument.PartiesFor"/>).
/// </summary>
public sealed record ConsentForm(
    string TrustName,
    string AcademyName,
    byte[]? AcademyLogo,
    string PupilFirstName,
    string PupilName,
    int YearGroup,
    string? RegistrationGroup,
    PartyKind Party,
    string? AddresseeName,
    string Language,
    string FormVersionLabel,
    IReadOnlyList<FormPurpose> Purposes,
    string ShortCode,
    Uri AnswerOnlineUrl,
    Uri SignUrl,
    DateOnly? Deadline,
    bool AlsoAskParent);

/// <summary>Lays out the consent form: the trust's template wording around the answers, signature, and how to answer online.</summary>
public static partial class ConsentFormDocument
{
    public const string ParentTemplate = "consent-form";
    public const string PupilTemplate = "consent-form-pupil";

    /// <summary>Who must answer for a pupil, so whose forms a pack prints (the rule engine's own tests of year groups).</summary>
    public static IReadOnlyList<PartyKind> PartiesFor(int yearGroup, bool alsoAskParent)
    {
        var facts = new Consent.Rules.PupilFacts(new YearGroup(yearGroup), LeftOn: null, AlsoAskParent: alsoAskParent, NeverFeature: false, Contacts: []);
        var parties = new List<PartyKind>();
        if (Consent.Rules.ConsentRules.NeedsPupil(facts)) parties.Add(PartyKind.Pupil);
        if (Consent.Rules.ConsentRules.NeedsParent(facts)) parties.Add(PartyKind.Contact);
        return parties;
    }

    /// <summary>Adds the form as one section (its own page numbering) to <paramref name="pdf"/>.</summary>
    public static void Compose(PdfDocumentBuilder pdf, ConsentForm form, FormTemplates templates)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(templates);
        var templateName = form.Party == PartyKind.Pupil ? PupilTemplate : ParentTemplate;
        var language = templates.LanguageFor(templateName, form.Language);
        var words = FrameWording.For(language);
        var markup = templates.Render(templateName, language, Values(form, language, words));

        var addressee = form.Party == PartyKind.Pupil ? form.PupilName : form.AddresseeName ?? "";
        var section = pdf.AddSection(new PdfPageFrame(
            HeaderLeft: form.AcademyName,
            HeaderRight: form.Party == PartyKind.Contact && addressee.Length > 0
                ? words.ForAbout(addressee, form.PupilName)
                : words.ForPupil(form.PupilName, new YearGroup(form.YearGroup).DisplayName),
            FooterLeft: words.Footer(form.FormVersionLabel, SigningSecrets.FormatShortCode(form.ShortCode)))
        {
            HeaderLogo = form.AcademyLogo,
            // Urdu and Arabic forms are laid out right to left, mirrored; only when the wording printed is in that language.
            RightToLeft = FamilyLanguage.IsRightToLeft(language),
            PageNumberFormat = words.PageNumbers,
        });
        // Page one also shows the crest larger, with the trust's name, as a letterhead does.
        if (form.AcademyLogo is { Length: > 0 } logo)
            section.Columns(100, l => l.Image(logo, 90, 54), r => r.AlignedText(form.TrustName, SkiaSharp.SKTextAlign.Right, PdfTextStyle.Small));
        Lay(section, markup, form);
    }

    private static Dictionary<string, string?> Values(ConsentForm form, string language, FrameWording words)
    {
        var others = PartiesFor(form.YearGroup, form.AlsoAskParent).Where(p => p != form.Party).ToList();
        string? alsoAsked = others.Count == 0 ? null : form.Party == PartyKind.Pupil
            ? $"Your parent or carer is asked too, on their own form. Photos and videos of you are used only if you both agree."
            : words.PupilAskedToo(form.PupilFirstName, new YearGroup(form.YearGroup).DisplayName);
        return new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["trust_name"] = form.TrustName,
            ["academy_name"] = form.AcademyName,
            ["pupil_first_name"] = form.PupilFirstName,
            ["pupil_name"] = form.PupilName,
            ["year_group"] = new YearGroup(form.YearGroup).DisplayName,
            ["class"] = form.RegistrationGroup,
            ["addressee"] = form.AddresseeName,
            // The date in the language the form is printed in, on the UK calendar.
            ["deadline"] = form.Deadline?.ToString("d MMMM yyyy", FamilyLanguage.Culture(language)),
            ["sign_url"] = form.SignUrl.ToString(),
            ["short_code"] = SigningSecrets.FormatShortCode(form.ShortCode),
            ["form_version"] = form.FormVersionLabel,
            ["also_asked"] = alsoAsked,
        };
    }

    /// <summary>
    /// The words ConsentHub prints around the trust's template (header, footer, page numbers, the note that a pupil
    /// is asked too) in the language the form is printed in. Urdu and Arabic are machine-quality drafts, marked for
    /// review in the templates they go with.
    /// </summary>
    private sealed record FrameWording(Func<string, string, string> ForAbout, Func<string, string, string> ForPupil, Func<string, string, string> Footer,
        string PageNumbers, Func<string, string, string> PupilAskedToo)
    {
        public static FrameWording For(string language) => FamilyLanguage.TryNormalise(language) switch
        {
            FamilyLanguage.Polish => new((a, p) => $"Dla: {a}, w sprawie: {p}", (p, y) => $"Dla: {p}, {y}", (v, c) => $"Wersja formularza {v} · Kod {c}", "Strona {0} z {1}",
                (f, y) => $"Ponieważ {f} jest w {y}, {f} dostaje też własny formularz. Zdjęcia i filmy są wykorzystywane tylko wtedy, gdy oboje się zgodzicie."),
            FamilyLanguage.Urdu => new((a, p) => $"برائے {a}، بابت {p}", (p, y) => $"برائے {p}، {y}", (v, c) => $"فارم ورژن {v} · کوڈ {c}", "صفحہ {0} از {1}",
                (f, y) => $"چونکہ {f} {y} میں ہے، اس لیے {f} سے بھی اس کے اپنے فارم پر پوچھا جا رہا ہے۔ تصاویر اور ویڈیوز صرف اسی صورت میں استعمال ہوں گی جب آپ دونوں متفق ہوں۔"),
            FamilyLanguage.Arabic => new((a, p) => $"إلى {a}، بشأن {p}", (p, y) => $"إلى {p}، {y}", (v, c) => $"إصدار النموذج {v} · الرمز {c}", "الصفحة {0} من {1}",
                (f, y) => $"لأن {f} في {y}، يُسأل {f} أيضًا على نموذج خاص به. لا تُستخدم الصور ومقاطع الفيديو إلا إذا وافقتما كلاكما."),
            _ => new((a, p) => $"For {a}, about {p}", (p, y) => $"For {p}, {y}", (v, c) => $"Form version {v} · Code {c}", "Page {0} of {1}",
                (f, y) => $"Because {f} is in {y}, {f} is asked too, on their own form. Photos and videos are used only if you both agree."),
        };
    }

    [GeneratedRegex("""^\[\[(?<name>[a-z-]+)(?<attrs>(\s+[a-z]+="[^"]*")*)\s*\]\]$""")]
    private static partial Regex Marker();

    [GeneratedRegex("""(?<key>[a-z]+)="(?<value>[^"]*)" """)]
    private static partial Regex Attribute();

    private static void Lay(PdfSection section, string markup, ConsentForm form)
    {
        var small = false;
        foreach (var block in Blocks(markup))
        {
            if (Marker().Match(block) is { Success: true } m)
            {
                var attrs = Attribute().Matches(m.Groups["attrs"].Value + " ").ToDictionary(a => a.Groups["key"].Value, a => a.Groups["value"].Value, StringComparer.Ordinal);
                string A(string key, string fallback) => attrs.TryGetValue(key, out var v) && v.Length > 0 ? v : fallback;
                switch (m.Groups["name"].Value)
                {
                    case "answers":
                        foreach (var purpose in form.Purposes)
                        {
                            section.KeepTogether(p => p
                                .Heading(purpose.Name, 2)
                                .Paragraph(purpose.Wording, PdfTextStyle.Body with { SpaceAfter = 2 })
                                .Choice(A("ask", purpose.Name), [A("yes", "Yes"), A("no", "No")]));
                            section.Spacer(4);
                        }
                        break;
                    case "answer-online":
                        section.Panel(p => p.Columns(104, l => l.QrCode(form.AnswerOnlineUrl.ToString(), 96), r => r
                            .Heading(A("title", "Answer online"), 2)
                            .Paragraph(A("text", ""))
                            .Paragraph(SigningSecrets.FormatShortCode(form.ShortCode), PdfTextStyle.Heading)));
                        break;
                    case "signature":
                        section.KeepTogether(s =>
                        {
                            s.Heading(A("title", form.Party == PartyKind.Pupil ? "Pupil" : "Parent or carer"), 2);
                            if (attrs.TryGetValue("attest", out var attest) && attest.Length > 0) s.Choice(attest, ["✓"]);
                            s.WriteIn(A("signature", "Signature")).WriteIn(A("name", "Full name")).WriteIn(A("date", "Date")).Spacer(10);
                        });
                        break;
                    case "small":
                        small = true;
                        break;
                    default:
                        throw new InvalidOperationException($"The form template has an unknown part [[{m.Groups["name"].Value}]].");
                }
                continue;
            }
            if (block.StartsWith("# ", StringComparison.Ordinal)) section.Heading(block[2..].Trim(), 0);
            else if (block.StartsWith("## ", StringComparison.Ordinal)) section.Heading(block[3..].Trim(), 1);
            else section.Paragraph(block, small ? PdfTextStyle.Small : PdfTextStyle.Body);
        }
    }

    /// <summary>Headings and markers are blocks of their own line; other lines join into paragraphs split by blank lines.</summary>
    private static IEnumerable<string> Blocks(string markup)
    {
        var paragraph = new List<string>();
        foreach (var raw in markup.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("[[", StringComparison.Ordinal))
            {
                if (paragraph.Count > 0) { yield return string.Join(' ', paragraph); paragraph.Clear(); }
                if (line.Length > 0) yield return line;
                continue;
            }
            paragraph.Add(line);
        }
        if (paragraph.Count > 0) yield return string.Join(' ', paragraph);
    }
}
