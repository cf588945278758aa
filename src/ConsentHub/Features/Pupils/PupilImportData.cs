using System.Globalization;
using ConsentHub.Consent;

namespace ConsentHub.Pupils;

/// <summary>The columns an import understands; see docs/IMPORT.md for the header names each one accepts.</summary>
public enum ImportField
{
    MisId,
    LegalFirstName,
    LegalLastName,
    PreferredFirstName,
    PreferredLastName,
    DateOfBirth,
    YearGroup,
    RegistrationGroup,
    StartedOn,
    SchoolEmail,
    ContactTitle,
    ContactFirstName,
    ContactLastName,
    ContactEmail,
    ContactPhone,
    ContactLanguage,
    Relationship,
    ParentalResponsibility,
    NoContactOrder,
    Priority,
}

/// <summary>
/// One row as it came in (a CSV line, or one contact of a pupil in the JSON body): text, not yet checked.
/// A pupil with several contacts comes as several rows with the same MIS id.
/// </summary>
public sealed record PupilImportRow
{
    /// <summary>The line of the file (header = line 1), or the 1-based position of the pupil in a JSON body.</summary>
    public int Line { get; init; }
    public string? MisId { get; init; }
    public string? LegalFirstName { get; init; }
    public string? LegalLastName { get; init; }
    public string? PreferredFirstName { get; init; }
    public string? PreferredLastName { get; init; }
    public string? DateOfBirth { get; init; }
    public string? YearGroup { get; init; }
    public string? RegistrationGroup { get; init; }
    public string? StartedOn { get; init; }
    public string? SchoolEmail { get; init; }
    public string? ContactTitle { get; init; }
    public string? ContactFirstName { get; init; }
    public string? ContactLastName { get; init; }
    public string? ContactEmail { get; init; }
    public string? ContactPhone { get; init; }
    public string? ContactLanguage { get; init; }
    public string? Relationship { get; init; }
    public string? ParentalResponsibility { get; init; }
    public string? NoContactOrder { get; init; }
    public string? Priority { get; init; }
}

public sealed record ImportedContact(
    int Line,
    string? Title,
    string FirstName,
    string LastName,
    string? Email,
    string? Phone,
    string? Language,
    string Relationship,
    bool HasParentalResponsibility,
    bool? NoContactOrder,
    int Priority);

public sealed record ImportedPupil(
    int Line,
    string MisId,
    string LegalFirstName,
    string LegalLastName,
    string? PreferredFirstName,
    string? PreferredLastName,
    DateOnly DateOfBirth,
    int YearGroup,
    string? RegistrationGroup,
    DateOnly? StartedOn,
    string? SchoolEmail,
    IReadOnlyList<ImportedContact> Contacts);

/// <summary>A row that cannot be imported, and why, in words an office manager can act on.</summary>
public sealed record RejectedRow(int Line, string Reason);

/// <summary>
/// What an import file or body says, checked: the pupils it would write, the rows it cannot, and which columns it
/// had (a column that is absent leaves what ConsentHub holds alone). <see cref="Problem"/> is set when the input
/// as a whole cannot be read (wrong type, missing columns, empty); then there are no pupils.
/// </summary>
public sealed record PupilImportData(
    IReadOnlyList<ImportedPupil> Pupils,
    IReadOnlyList<RejectedRow> Rejected,
    IReadOnlySet<ImportField> Columns,
    string? Problem = null)
{
    public static PupilImportData Failed(string problem) => new([], [], new HashSet<ImportField>(), problem);

    public bool HasContacts => Columns.Contains(ImportField.ContactFirstName);
    public int ContactRows => Pupils.Sum(p => p.Contacts.Count);

    public static readonly IReadOnlySet<ImportField> RequiredPupilColumns = new HashSet<ImportField>
    {
        ImportField.MisId, ImportField.LegalFirstName, ImportField.LegalLastName, ImportField.DateOfBirth, ImportField.YearGroup,
    };

    public static readonly IReadOnlySet<ImportField> RequiredContactColumns = new HashSet<ImportField>
    {
        ImportField.ContactFirstName, ImportField.ContactLastName, ImportField.Relationship, ImportField.ParentalResponsibility,
    };

    /// <summary>
    /// Checks every row and groups them into pupils. Never stops at the first bad row: the dry run lists them all.
    /// <paramref name="today"/> bounds dates of birth and fits year groups to ages. When <paramref name="misIdIsUpn"/>
    /// (the id column is headed UPN) every id must be a valid UPN; otherwise an id that has a UPN's shape is checked as one.
    /// </summary>
    public static PupilImportData Validate(IEnumerable<PupilImportRow> rows, IReadOnlySet<ImportField> columns, DateOnly today, bool misIdIsUpn = false)
    {
        rows = rows as IReadOnlyList<PupilImportRow> ?? [.. rows];
        // A column headed UPN holding other ids (admission numbers under the wrong header) is not held to UPN rules;
        // one where most ids have a UPN's shape is, so a UPN with a digit dropped is caught too.
        if (misIdIsUpn)
        {
            var ids = ((IReadOnlyList<PupilImportRow>)rows).Where(r => !string.IsNullOrWhiteSpace(r.MisId)).Select(r => r.MisId!).ToList();
            misIdIsUpn = ids.Count > 0 && ids.Count(Upn.LooksLikeUpn) * 2 >= ids.Count;
        }
        var missing = RequiredPupilColumns.Where(f => !columns.Contains(f)).ToList();
        var anyContact = columns.Any(c => c is >= ImportField.ContactTitle);
        if (anyContact) missing.AddRange(RequiredContactColumns.Where(f => !columns.Contains(f)));
        if (missing.Count > 0)
        {
            return Failed("The file has no column for " + string.Join(", ", missing.Select(ImportColumns.Describe)) +
                ". See the import guide for the header names that are accepted.");
        }

        var rejected = new List<RejectedRow>();
        var pupils = new Dictionary<string, (ImportedPupil Pupil, List<ImportedContact> Contacts)>(StringComparer.OrdinalIgnoreCase);
        var rejectedMisIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var count = 0;
        foreach (var row in rows)
        {
            count++;
            var errors = new List<string>();
            var pupil = ReadPupil(row, today, errors);
            if (pupil is not null && (misIdIsUpn || Upn.LooksLikeUpn(pupil.MisId)) && Upn.Problem(pupil.MisId) is { } upnProblem)
            {
                errors.Add(upnProblem);
                pupil = null;
            }
            ImportedContact? contact = null;
            if (anyContact && HasAnyContactValue(row)) contact = ReadContact(row, columns, errors);
            if (errors.Count > 0 || pupil is null)
            {
                rejected.Add(new RejectedRow(row.Line, string.Join(" ", errors)));
                if (!string.IsNullOrWhiteSpace(row.MisId)) rejectedMisIds.Add(row.MisId.Trim());
                continue;
            }

            if (pupils.TryGetValue(pupil.MisId, out var existing))
            {
                if (!SamePupil(existing.Pupil, pupil))
                {
                    rejected.Add(new RejectedRow(row.Line,
                        $"Duplicate pupil: MIS id {pupil.MisId} is already on line {existing.Pupil.Line} with different pupil details."));
                    continue;
                }
                if (contact is not null && existing.Contacts.Any(c => SameContact(c, contact)) is true)
                {
                    var first = existing.Contacts.First(c => SameContact(c, contact));
                    rejected.Add(new RejectedRow(row.Line,
                        $"Duplicate row: this contact of pupil {pupil.MisId} is already on line {first.Line}."));
                    continue;
                }
                if (contact is not null) existing.Contacts.Add(contact);
            }
            else
            {
                pupils.Add(pupil.MisId, (pupil, contact is null ? [] : [contact]));
            }
        }

        if (count == 0) return Failed("The file has a header but no pupils.");

        // Priorities not given in the file follow the order of the rows.
        var result = new List<ImportedPupil>(pupils.Count);
        foreach (var (pupil, contacts) in pupils.Values)
        {
            if (rejectedMisIds.Contains(pupil.MisId)) continue;
            if (!columns.Contains(ImportField.Priority))
            {
                for (var i = 0; i < contacts.Count; i++) contacts[i] = contacts[i] with { Priority = i + 1 };
            }
            result.Add(pupil with { Contacts = contacts });
        }
        // A pupil with one bad row is not imported at all: half of a pupil's contacts would be worse than none.
        foreach (var misId in rejectedMisIds.Where(pupils.ContainsKey))
        {
            var line = pupils[misId].Pupil.Line;
            if (!rejected.Any(r => r.Line == line))
                rejected.Add(new RejectedRow(line, $"Pupil {misId} has another row that cannot be imported (see below), so none of the pupil's rows are."));
        }
        rejected.Sort((a, b) => a.Line.CompareTo(b.Line));
        return new PupilImportData(result, rejected, columns);
    }

    private static bool HasAnyContactValue(PupilImportRow r) =>
        !string.IsNullOrWhiteSpace(r.ContactFirstName) || !string.IsNullOrWhiteSpace(r.ContactLastName) ||
        !string.IsNullOrWhiteSpace(r.ContactEmail) || !string.IsNullOrWhiteSpace(r.Relationship) || !string.IsNullOrWhiteSpace(r.ContactPhone);

    private static bool SamePupil(ImportedPupil a, ImportedPupil b) =>
        a.LegalFirstName == b.LegalFirstName && a.LegalLastName == b.LegalLastName && a.PreferredFirstName == b.PreferredFirstName &&
        a.PreferredLastName == b.PreferredLastName && a.DateOfBirth == b.DateOfBirth && a.YearGroup == b.YearGroup &&
        a.RegistrationGroup == b.RegistrationGroup && a.StartedOn == b.StartedOn && a.SchoolEmail == b.SchoolEmail;

    private static bool SameContact(ImportedContact a, ImportedContact b) =>
        string.Equals(a.FirstName, b.FirstName, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(a.LastName, b.LastName, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(a.Email, b.Email, StringComparison.OrdinalIgnoreCase) && a.Phone == b.Phone;

    private static ImportedPupil? ReadPupil(PupilImportRow r, DateOnly today, List<string> errors)
    {
        var misId = Text(r.MisId, "the MIS id (UPN)", 40, required: true, errors);
        var first = Text(r.LegalFirstName, "the legal forename", 100, required: true, errors);
        var last = Text(r.LegalLastName, "the legal surname", 100, required: true, errors);
        var preferredFirst = Text(r.PreferredFirstName, "the preferred forename", 100, required: false, errors);
        var preferredLast = Text(r.PreferredLastName, "the preferred surname", 100, required: false, errors);
        var group = Text(r.RegistrationGroup, "the registration group", 40, required: false, errors);
        var email = Text(r.SchoolEmail, "the pupil's school email", 320, required: false, errors);
        if (email is not null && !LooksLikeEmail(email)) errors.Add($"The pupil's school email '{email}' is not an email address.");

        DateOnly? dob = null;
        if (string.IsNullOrWhiteSpace(r.DateOfBirth)) errors.Add("The date of birth is empty.");
        else if (!TryParseDate(r.DateOfBirth, out var d)) errors.Add($"The date of birth '{r.DateOfBirth.Trim()}' is not a date (use dd/mm/yyyy or yyyy-mm-dd).");
        else if (d > today) errors.Add($"The date of birth {d:dd'/'MM'/'yyyy} is in the future.");
        else if (d < today.AddYears(-25)) errors.Add($"The date of birth {d:dd'/'MM'/'yyyy} is more than 25 years ago.");
        else dob = d;

        int? year = null;
        if (string.IsNullOrWhiteSpace(r.YearGroup)) errors.Add("The year group is empty.");
        else if (!Consent.YearGroup.TryParse(r.YearGroup, out var y)) errors.Add($"The year group '{r.YearGroup.Trim()}' is not one: use N1, N2, R or 1–13.");
        else year = y.Value;

        // A year group two or more years away from the pupil's age is a mistake in the file, not a pupil held back.
        if (dob is { } birth && year is { } yg)
        {
            var expected = ExpectedYearGroup(birth, today);
            if (Math.Abs(expected - yg) > 2)
            {
                var expectedText = expected < Consent.YearGroup.MinValue ? "not yet of school age"
                    : expected > Consent.YearGroup.MaxValue ? "past Year 13"
                    : new YearGroup(expected).DisplayName;
                errors.Add($"{new YearGroup(yg).DisplayName} does not fit the date of birth {birth:dd'/'MM'/'yyyy} ({expectedText} by age).");
            }
        }

        DateOnly? started = null;
        if (!string.IsNullOrWhiteSpace(r.StartedOn))
        {
            if (!TryParseDate(r.StartedOn, out var s)) errors.Add($"The admission date '{r.StartedOn.Trim()}' is not a date (use dd/mm/yyyy or yyyy-mm-dd).");
            else if (dob is { } b && s < b) errors.Add($"The admission date {s:dd'/'MM'/'yyyy} is before the date of birth.");
            else if (s > today.AddYears(1)) errors.Add($"The admission date {s:dd'/'MM'/'yyyy} is more than a year away.");
            else started = s;
        }

        if (errors.Count > 0 || misId is null || first is null || last is null || dob is null || year is null) return null;
        return new ImportedPupil(r.Line, misId, first, last, preferredFirst, preferredLast, dob.Value, year.Value, group, started, email, []);
    }

    private static ImportedContact? ReadContact(PupilImportRow r, IReadOnlySet<ImportField> columns, List<string> errors)
    {
        var title = Text(r.ContactTitle, "the contact's title", 20, required: false, errors);
        var first = Text(r.ContactFirstName, "the contact's forename", 100, required: true, errors);
        var last = Text(r.ContactLastName, "the contact's surname", 100, required: true, errors);
        var email = Text(r.ContactEmail, "the contact's email", 320, required: false, errors);
        if (email is not null && !LooksLikeEmail(email)) errors.Add($"The contact's email '{email}' is not an email address.");
        var phone = Text(r.ContactPhone, "the contact's phone", 40, required: false, errors);
        var language = Text(r.ContactLanguage, "the contact's language", 16, required: false, errors);
        var relationship = Text(r.Relationship, "the relationship", 60, required: true, errors);
        var pr = Flag(r.ParentalResponsibility, "Parental responsibility", errors);
        bool? noContact = columns.Contains(ImportField.NoContactOrder) ? Flag(r.NoContactOrder, "No contact order", errors) : null;
        var priority = 1;
        if (!string.IsNullOrWhiteSpace(r.Priority) &&
            (!int.TryParse(r.Priority.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out priority) || priority is < 1 or > 99))
        {
            errors.Add($"The contact priority '{r.Priority.Trim()}' is not a number from 1 to 99.");
        }
        if (first is null || last is null || relationship is null) return null;
        return new ImportedContact(r.Line, title, first, last, email, phone, language, relationship, pr, noContact, priority);
    }

    private static string? Text(string? value, string what, int maxLength, bool required, List<string> errors)
    {
        var v = value?.Trim();
        if (string.IsNullOrEmpty(v))
        {
            if (required) errors.Add($"{char.ToUpperInvariant(what[4])}{what[5..]} is empty.");
            return null;
        }
        if (v.Length > maxLength)
        {
            errors.Add($"{char.ToUpperInvariant(what[4])}{what[5..]} is longer than {maxLength} characters.");
            return null;
        }
        return v;
    }

    private static bool Flag(string? value, string what, List<string> errors)
    {
        switch (value?.Trim().ToUpperInvariant())
        {
            case null or "" or "N" or "NO" or "FALSE" or "0" or "F":
                return false;
            case "Y" or "YES" or "TRUE" or "1" or "T":
                return true;
            default:
                errors.Add($"{what} '{value.Trim()}' is not yes or no.");
                return false;
        }
    }

    private static bool LooksLikeEmail(string s)
    {
        var at = s.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at < s.Length - 3 && s.IndexOf('.', at) > at + 1 && !s.Contains(' ', StringComparison.Ordinal);
    }

    private static readonly string[] DateFormats =
        ["dd/MM/yyyy", "d/M/yyyy", "yyyy-MM-dd", "dd-MM-yyyy", "d-M-yyyy", "dd.MM.yyyy", "yyyy-MM-ddTHH:mm:ss", "dd/MM/yyyy HH:mm:ss", "dd/MM/yyyy HH:mm"];

    /// <summary>UK order only: 03/04/2015 is the 3rd of April. ISO dates are accepted too.</summary>
    public static bool TryParseDate(string text, out DateOnly date)
    {
        if (DateTime.TryParseExact(text.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dt))
        {
            date = DateOnly.FromDateTime(dt);
            return true;
        }
        date = default;
        return false;
    }

    /// <summary>
    /// The year group of a child of this age in England: the school year runs 1 September to 31 August and a
    /// child starts Reception in the September after turning four.
    /// </summary>
    public static int ExpectedYearGroup(DateOnly dateOfBirth, DateOnly today)
    {
        var schoolYearStart = today.Month >= 9 ? today.Year : today.Year - 1;
        var cohort = dateOfBirth.Month >= 9 ? dateOfBirth.Year : dateOfBirth.Year - 1;
        return schoolYearStart - cohort - 5;
    }
}
