namespace ConsentHub.Consent.Rules;

/// <summary>
/// The trust policy (§6.2) as code: who must answer for a pupil, and whether the pupil may be featured for a
/// purpose now. Pure: facts in, decision out; the caller passes the time.
/// </summary>
/// <remarks>
/// 1. Nursery–Year 6: a parent with parental responsibility (one suffices unless the trust requires every holder).
/// 2. Years 7–11: the pupil and a parent. 3. Years 12–13: the pupil; a parent too only when staff flagged it.
/// 4. Contacts without parental responsibility or with a no-contact order never count.
/// 5. Most restrictive wins: any counted refusal or withdrawal means not allowed.
/// 6. Safeguarding "never feature" and 7. a posting pause (publishing purposes) override everything.
/// 8. A grant counts only while valid. 9. Public task / legitimate interests: allowed unless someone objected.
/// 10. The current year group decides; pupils who have left are not featured in new material.
/// </remarks>
public static class ConsentRules
{
    public static ConsentDecision Decide(ConsentFacts facts, TimeProvider clock) => Decide(facts, clock.GetUtcNow());

    public static ConsentDecision Decide(ConsentFacts facts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var settings = facts.Settings ?? ConsentRuleSettings.Default;
        var pupil = facts.Pupil;
        var today = UkCalendar.DateOf(now);
        var parties = RequiredPartiesFor(facts, settings, today);

        if (pupil.NeverFeature)
            return new ConsentDecision(ConsentStatus.NotAllowed, "Do not photograph or feature.", parties, DoNotFeature: true, Conflict: false) { Ground = DecisionGround.NeverFeature };

        if (!IsOnRoll(pupil.LeftOn, today) && pupil.LeftOn is { } left)
            return new ConsentDecision(ConsentStatus.NotAllowed, $"Left the academy on {UkCalendar.Format(left)}: not to be featured in new material.", parties, false, false) { Ground = DecisionGround.Left };

        if (facts.Purpose.PublishesOnTrustAccounts && ActivePause(facts.Pauses, now) is { } pause)
        {
            return new ConsentDecision(ConsentStatus.NotAllowed, $"{PausedUntil(pause)}: nothing may be posted on trust accounts, so do not photograph or feature.", parties, DoNotFeature: true, Conflict: false) { Ground = DecisionGround.PostingPause };
        }

        var objected = parties.Any(p => p.State is PartyState.Refused or PartyState.Withdrawn);
        var granted = parties.Any(p => p.State is PartyState.Granted);
        var conflict = objected && granted;
        var heading = Heading(pupil, settings);

        if (facts.Purpose.LawfulBasis is LawfulBasis.PublicTask or LawfulBasis.LegitimateInterests)
        {
            var basis = facts.Purpose.LawfulBasis == LawfulBasis.PublicTask ? "public task" : "legitimate interests";
            var objectors = parties.Where(p => p.State is PartyState.Refused or PartyState.Withdrawn).ToList();
            return objectors.Count > 0
                ? new ConsentDecision(ConsentStatus.NotAllowed,
                    $"Used without consent ({basis}), but {Join(objectors.Select(Describe))}, so it must not be used.", parties, false, conflict)
                : new ConsentDecision(ConsentStatus.Allowed,
                    $"Used without consent ({basis}); nobody has objected.", parties, false, false);
        }

        var missingParent = NeedsParent(pupil) && !parties.Any(p => p.Kind == PartyKind.Contact);
        var story = Story(parties, pupil, settings);
        if (objected)
        {
            var tail = conflict ? " The answers disagree, so the refusal applies." : "";
            return new ConsentDecision(ConsentStatus.NotAllowed, $"{heading} {story}.{tail}", parties, false, conflict);
        }

        if (Satisfied(parties, pupil, settings))
            return new ConsentDecision(ConsentStatus.Allowed, $"{heading} {story}.", parties, false, false);

        var ignored = IgnoredAnswers(facts, parties);
        var anyAnswer = parties.Any(p => p.State != PartyState.NotAnswered);
        if (!anyAnswer && !facts.Requested)
        {
            // Without a parent who can give consent, asking is not the office's next step: recording one is.
            var notAsked = missingParent ? $"{story}." : ignored.Length > 0 ? "Nobody who can give consent has been asked yet." : "Nobody has been asked yet.";
            return new ConsentDecision(ConsentStatus.NotRequested, $"{heading} {notAsked}{ignored}", parties, false, false) { MissingParent = missingParent };
        }

        return new ConsentDecision(ConsentStatus.Pending, $"{heading} {story}.{ignored}", parties, false, false) { MissingParent = missingParent };
    }

    /// <summary>Which parties must answer for this pupil, each with their latest counted answer.</summary>
    public static IReadOnlyList<RequiredParty> RequiredPartiesFor(ConsentFacts facts, ConsentRuleSettings settings, DateOnly today)
    {
        var pupil = facts.Pupil;
        var latest = LatestByParty(facts.Answers);
        var result = new List<RequiredParty>();
        if (NeedsParent(pupil))
        {
            foreach (var c in CountingContactsInOrder(pupil.Contacts))
            {
                latest.TryGetValue((PartyKind.Contact, c.ContactId), out var a);
                result.Add(Party(PartyKind.Contact, c.ContactId, c.DisplayName, a, facts.Purpose, settings, today));
            }
        }
        if (NeedsPupil(pupil))
        {
            latest.TryGetValue((PartyKind.Pupil, null), out var a);
            result.Add(Party(PartyKind.Pupil, null, "the pupil", a, facts.Purpose, settings, today));
        }
        return result;
    }

    /// <summary>
    /// The contacts who count (rule 4), by display name (ordinal) and then id: the order parties are listed and
    /// described in. A pupil has a handful of contacts, so an insertion sort into one list, run for every purpose
    /// of every check, rather than a LINQ filter and sort that allocated an iterator, a buffer and key arrays.
    /// </summary>
    internal static List<ContactFacts> CountingContactsInOrder(IReadOnlyList<ContactFacts> contacts)
    {
        var ordered = new List<ContactFacts>(contacts.Count);
        for (var i = 0; i < contacts.Count; i++)
        {
            var c = contacts[i];
            if (!Counts(c)) continue;
            var at = ordered.Count;
            while (at > 0 && CompareContacts(ordered[at - 1], c) > 0) at--;
            ordered.Insert(at, c);
        }
        return ordered;
    }

    private static int CompareContacts(ContactFacts a, ContactFacts b)
    {
        var byName = string.CompareOrdinal(a.DisplayName, b.DisplayName);
        return byName != 0 ? byName : a.ContactId.CompareTo(b.ContactId);
    }

    /// <summary>On roll on <paramref name="today"/>: not left, or leaving after that day (rule 10).</summary>
    public static bool IsOnRoll(DateOnly? leftOn, DateOnly today) => leftOn is not { } left || left > today;

    /// <summary>Pupils answer for themselves from this year group (rule 2).</summary>
    public const int PupilAnswersFromYear = 7;

    public static bool NeedsPupil(PupilFacts pupil) => pupil.YearGroup.Value >= PupilAnswersFromYear;

    /// <summary>
    /// Who may answer for a pupil (open a link, be sent a change link, be chased): nobody once the pupil has left;
    /// the pupil from Year 7; a contact only while linked with parental responsibility and no no-contact order
    /// (rule 4). <paramref name="contact"/> is the link between this contact and the pupil, null when there is none.
    /// The SQL function <c>consenthub.may_answer</c> states the same rule for queries; a parity test keeps them equal.
    /// </summary>
    public static bool MayAnswer(PartyKind party, YearGroup yearGroup, DateOnly? leftOn, ContactFacts? contact, DateOnly today)
    {
        if (!IsOnRoll(leftOn, today)) return false;
        return party == PartyKind.Pupil ? yearGroup.Value >= PupilAnswersFromYear : contact is not null && Counts(contact);
    }

    public static bool NeedsParent(PupilFacts pupil) => pupil.YearGroup.Value <= 11 || pupil.AlsoAskParent;

    /// <summary>Rule 4: only a contact with parental responsibility and no court order speaks for the pupil.</summary>
    public static bool Counts(ContactFacts contact) => contact.HasParentalResponsibility && !contact.NoContactOrder;

    /// <summary>
    /// The latest answer of each party: by time, then by append order, then the more restrictive answer, so the
    /// same facts always give the same decision. The database states the same order for the current answer
    /// (<c>consenthub.project_current_answer</c>: by time, then answer id); a parity test keeps them equal.
    /// </summary>
    public static Dictionary<(PartyKind, Guid?), AnswerFacts> LatestByParty(IEnumerable<AnswerFacts> answers)
    {
        var latest = new Dictionary<(PartyKind, Guid?), AnswerFacts>();
        foreach (var a in answers)
        {
            var key = (a.PartyKind, a.PartyKind == PartyKind.Pupil ? null : a.ContactId);
            if (!latest.TryGetValue(key, out var current) || IsLater(a, current))
                latest[key] = a;
        }
        return latest;
    }

    private static bool IsLater(AnswerFacts a, AnswerFacts b)
    {
        var byTime = a.At.CompareTo(b.At);
        if (byTime != 0) return byTime > 0;
        var bySequence = a.Sequence.CompareTo(b.Sequence);
        if (bySequence != 0) return bySequence > 0;
        return (int)a.Kind > (int)b.Kind;
    }

    private static RequiredParty Party(PartyKind kind, Guid? contactId, string name, AnswerFacts? answer, PurposeFacts purpose, ConsentRuleSettings settings, DateOnly today)
    {
        if (answer is null) return new RequiredParty(kind, contactId, name, PartyState.NotAnswered, null, null);
        switch (answer.Kind)
        {
            case AnswerKind.Refuse:
                return new RequiredParty(kind, contactId, name, PartyState.Refused, answer, null);
            case AnswerKind.Withdraw:
                return new RequiredParty(kind, contactId, name, PartyState.Withdrawn, answer, null);
            default:
                var expires = GrantExpiresOn(answer, purpose, settings);
                return expires is { } e && today >= e
                    ? new RequiredParty(kind, contactId, name, PartyState.Expired, answer, e)
                    : new RequiredParty(kind, contactId, name, PartyState.Granted, answer, null);
        }
    }

    /// <summary>The first day on which a grant no longer counts; null when it lasts until withdrawn.</summary>
    public static DateOnly? GrantExpiresOn(AnswerFacts grant, PurposeFacts purpose, ConsentRuleSettings settings)
    {
        var given = UkCalendar.DateOf(grant.At);
        DateOnly? expires = purpose.Validity.Kind switch
        {
            ValidityKind.Months => given.AddMonths(purpose.Validity.Months),
            ValidityKind.EndOfAcademicYear => UkCalendar.NextAcademicYearStart(given, settings.AcademicYearStartMonth, settings.AcademicYearStartDay),
            _ => null,
        };
        if (grant.FormVersionValidThrough is { } through)
        {
            var retired = through.AddDays(1);
            if (expires is null || retired < expires) expires = retired;
        }
        return expires;
    }

    private static PauseFacts? ActivePause(IReadOnlyList<PauseFacts> pauses, DateTimeOffset now) =>
        pauses.Where(p => p.From <= now && (p.Until is null || now < p.Until))
              .OrderByDescending(p => p.Until ?? DateTimeOffset.MaxValue)
              .FirstOrDefault();

    private static bool Satisfied(IReadOnlyList<RequiredParty> parties, PupilFacts pupil, ConsentRuleSettings settings)
    {
        if (NeedsPupil(pupil) && !parties.Any(p => p.Kind == PartyKind.Pupil && p.State == PartyState.Granted))
            return false;
        if (NeedsParent(pupil))
        {
            var parents = parties.Where(p => p.Kind == PartyKind.Contact).ToList();
            if (parents.Count == 0) return false;
            var ok = settings.RequireEveryParentalResponsibilityHolder
                ? parents.All(p => p.State == PartyState.Granted)
                : parents.Any(p => p.State == PartyState.Granted);
            if (!ok) return false;
        }
        return true;
    }

    private static string Heading(PupilFacts pupil, ConsentRuleSettings settings)
    {
        var parent = settings.RequireEveryParentalResponsibilityHolder ? "every parent with parental responsibility" : "a parent";
        var year = pupil.YearGroup.DisplayName;
        if (!NeedsPupil(pupil)) return $"{year} needs {parent}.";
        if (pupil.YearGroup.IsSixthForm)
            return pupil.AlsoAskParent ? $"{year} needs the pupil and, as staff asked, {parent}." : $"{year} needs the pupil.";
        return $"{year} needs the pupil and {parent}.";
    }

    private static string Story(IReadOnlyList<RequiredParty> parties, PupilFacts pupil, ConsentRuleSettings settings)
    {
        var parts = new List<string>();
        if (NeedsParent(pupil))
        {
            var parents = parties.Where(p => p.Kind == PartyKind.Contact).ToList();
            var answered = parents.Where(p => p.State != PartyState.NotAnswered).ToList();
            if (parents.Count == 0) parts.Add(NoParentWhoCanConsent(pupil));
            else if (settings.RequireEveryParentalResponsibilityHolder) parts.AddRange(parents.Select(Describe));
            else if (answered.Count == 0) parts.Add(parents.Count == 1 ? $"{parents[0].DisplayName} has not answered yet" : "no parent has answered yet");
            else parts.AddRange(answered.Select(Describe));
        }
        if (NeedsPupil(pupil))
            parts.AddRange(parties.Where(p => p.Kind == PartyKind.Pupil).Select(Describe));
        var text = string.Join("; ", parts);
        return text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
    }

    private static string Describe(RequiredParty p) => p.State switch
    {
        PartyState.Granted => $"{p.DisplayName} agreed on {UkCalendar.Format(p.LatestAnswer!.At)}",
        PartyState.Refused => $"{p.DisplayName} refused on {UkCalendar.Format(p.LatestAnswer!.At)}",
        PartyState.Withdrawn => $"{p.DisplayName} withdrew consent on {UkCalendar.Format(p.LatestAnswer!.At)}",
        PartyState.Expired => $"{p.DisplayName} agreed on {UkCalendar.Format(p.LatestAnswer!.At)} but that consent expired on {UkCalendar.Format(p.ExpiredOn!.Value)} and needs renewing",
        _ => $"{p.DisplayName} has not answered yet",
    };

    private static string Join(IEnumerable<string> parts) => string.Join(" and ", parts);

    /// <summary>"Posting paused until 5 Dec 2026" (or "until further notice"): the words every view shows for a pause.</summary>
    public static string PausedUntil(PauseFacts pause)
    {
        ArgumentNullException.ThrowIfNull(pause);
        return pause.Until is { } u ? $"Posting paused until {UkCalendar.Format(u)}" : "Posting paused until further notice";
    }

    /// <summary>The office's next step when nobody recorded may answer as the parent.</summary>
    public const string NoParentRecorded = "no parent who can give consent is recorded — ask the office to add one";

    /// <summary>
    /// Rule 4 explained: a parent under a no-contact order still holds parental responsibility, so saying that
    /// nobody with it is recorded would be wrong; they may not be asked.
    /// </summary>
    private static string NoParentWhoCanConsent(PupilFacts pupil)
    {
        var barred = pupil.Contacts.Where(c => c.HasParentalResponsibility && c.NoContactOrder)
            .OrderBy(c => c.DisplayName, StringComparer.Ordinal).Select(c => c.DisplayName).ToList();
        return barred.Count == 0
            ? NoParentRecorded
            : $"{string.Join(" and ", barred)} {(barred.Count == 1 ? "has" : "have")} parental responsibility but may not be asked; {NoParentRecorded}";
    }

    /// <summary>Why answers on file from people whose answer does not count were left out, so "nobody answered" is not a puzzle.</summary>
    private static string IgnoredAnswers(ConsentFacts facts, IReadOnlyList<RequiredParty> parties)
    {
        var counted = parties.Where(p => p.Kind == PartyKind.Contact).Select(p => p.ContactId).ToHashSet();
        var contacts = facts.Pupil.Contacts.ToDictionary(c => c.ContactId);
        var notes = new List<string>();
        foreach (var id in facts.Answers.Where(a => a.PartyKind == PartyKind.Contact && a.ContactId is { } c && !counted.Contains(c))
                     .Select(a => a.ContactId!.Value).Distinct().Order())
        {
            if (!contacts.TryGetValue(id, out var c)) continue; // no longer linked to the pupil
            if (!NeedsParent(facts.Pupil)) notes.Add($"{c.DisplayName}'s answer does not count: in the sixth form the pupil decides unless staff ask for a parent too");
            else if (!c.HasParentalResponsibility) notes.Add($"{c.DisplayName} answered but does not have parental responsibility, so that answer does not count");
            else if (c.NoContactOrder) notes.Add($"{c.DisplayName} answered but may not be asked, so that answer does not count");
        }
        return notes.Count == 0 ? "" : " " + string.Join(". ", notes.Select(n => char.ToUpperInvariant(n[0]) + n[1..])) + ".";
    }
}
