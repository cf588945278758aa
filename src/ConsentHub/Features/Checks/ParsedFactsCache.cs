using System.Collections.Concurrent;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;

namespace ConsentHub.Checks;

/// <summary>
/// A pupil's facts document as the rules take it (contacts, answers by purpose), parsed once per version of the
/// document rather than on every check. An entry is used only for the same pupil, the same <c>changed_at</c> (the
/// triggers move it whenever the document changes), and a document of the same length and hash, so a change is
/// never missed. Bounded: it is emptied when it holds <see cref="Capacity"/> pupils (a large trust's whole roll).
/// What it holds is never changed after it is made, so checks on any thread share it.
/// </summary>
internal sealed class ParsedFactsCache
{
    public const int Capacity = 32_768;

    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();

    private sealed record Entry(DateTimeOffset ChangedAt, int Length, int Hash, ParsedFacts Facts);

    public int Count => _entries.Count;

    public ParsedFacts Get(Guid pupilId, DateTimeOffset changedAt, string json)
    {
        var hash = string.GetHashCode(json, StringComparison.Ordinal);
        if (_entries.TryGetValue(pupilId, out var e) && e.ChangedAt == changedAt && e.Length == json.Length && e.Hash == hash) return e.Facts;
        var parsed = ParsedFacts.Parse(json);
        if (_entries.Count >= Capacity) _entries.Clear();
        _entries[pupilId] = new Entry(changedAt, json.Length, hash, parsed);
        return parsed;
    }
}

/// <summary>One pupil's facts document in the rules' terms.</summary>
internal sealed record ParsedFacts(string Name, string? Group, bool NeverFeature, bool Requested, PupilFacts Pupil,
    IReadOnlyDictionary<Guid, List<AnswerFacts>> Answers)
{
    public static ParsedFacts Parse(string json)
    {
        var doc = ConsentFactsDocument.Parse(json);
        var contacts = new List<ContactFacts>(doc.Contacts.Count);
        foreach (var c in doc.Contacts)
            contacts.Add(new ContactFacts(c.Id, ContactName(c.Title, c.First, c.Last), c.Pr, c.NoContact));
        var answers = new Dictionary<Guid, List<AnswerFacts>>();
        foreach (var a in doc.Answers)
        {
            var kind = Enum.Parse<PartyKind>(a.PartyKind);
            if (!answers.TryGetValue(a.Purpose, out var list)) answers[a.Purpose] = list = [];
            list.Add(new AnswerFacts(kind, kind == PartyKind.Pupil ? null : a.Party, Enum.Parse<AnswerKind>(a.Kind), a.At, a.Id, a.ValidThrough));
        }
        var pupil = new PupilFacts(new YearGroup(doc.Year), doc.LeftOn, doc.AlsoAskParent, doc.NeverFeature, contacts);
        return new ParsedFacts(doc.Name, doc.Group, doc.NeverFeature, doc.Requested, pupil, answers);
    }

    private static string ContactName(string? title, string first, string last) =>
        string.Join(' ', new[] { title, first, last }.Where(s => !string.IsNullOrWhiteSpace(s)));
}
