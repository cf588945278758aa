namespace ConsentHub.Pupils;

public sealed class Pupil
{
    public Guid Id { get; set; }
    public Guid AcademyId { get; set; }

    /// <summary>The pupil's id in the academy's MIS; unique within the academy.</summary>
    public required string MisId { get; set; }

    public required string LegalFirstName { get; set; }
    public required string LegalLastName { get; set; }
    public string? PreferredFirstName { get; set; }
    public string? PreferredLastName { get; set; }
    public DateOnly DateOfBirth { get; set; }

    /// <summary>N1 = -2, N2 = -1, R = 0, Years 1–13 (see <see cref="Consent.YearGroup"/>).</summary>
    public int YearGroup { get; set; }

    public string? RegistrationGroup { get; set; }
    public DateOnly? StartedOn { get; set; }
    public DateOnly? LeftOn { get; set; }
    public string? SchoolEmail { get; set; }

    /// <summary>Sixth form only: staff recorded a particular reason to ask the parent as well (§6.2).</summary>
    public bool AlsoAskParent { get; set; }
    public string? AlsoAskParentReason { get; set; }

    public List<PupilContact> Contacts { get; set; } = [];

    /// <summary>
    /// The names the pupil goes by: the preferred one unless it is missing or blank. The database keeps the same in
    /// the generated columns display_first_name, display_last_name and display_name, which SQL reads instead.
    /// </summary>
    public string FirstName => NameUsed(LegalFirstName, PreferredFirstName);
    public string LastName => NameUsed(LegalLastName, PreferredLastName);
    public string DisplayName => $"{FirstName} {LastName}";

    /// <summary>The name used of a legal and a preferred name (for a query that read the two columns).</summary>
    public static string NameUsed(string legal, string? preferred) => string.IsNullOrWhiteSpace(preferred) ? legal : preferred;
}

/// <summary>A parent or carer. Siblings share one contact row.</summary>
public sealed class Contact
{
    public Guid Id { get; set; }
    public string? Title { get; set; }
    public required string FirstName { get; set; }
    public required string LastName { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }

    /// <summary>BCP 47 tag of the language the contact prefers ("en", "pl").</summary>
    public string PreferredLanguage { get; set; } = "en";

    /// <summary>Set when mail to <see cref="Email"/> bounced permanently.</summary>
    public DateTimeOffset? EmailFailingSince { get; set; }

    /// <summary>Why: the mail server's reply, with addresses masked. Cleared with <see cref="EmailFailingSince"/>.</summary>
    public string? EmailFailingReason { get; set; }

    public string DisplayName => string.IsNullOrWhiteSpace(Title) ? $"{FirstName} {LastName}" : $"{Title} {FirstName} {LastName}";
}

public sealed class PupilContact
{
    public Guid PupilId { get; set; }
    public Guid ContactId { get; set; }
    public Contact? Contact { get; set; }
    public required string Relationship { get; set; }
    public bool HasParentalResponsibility { get; set; }

    /// <summary>A court order or other instruction that this person must not be contacted or involved.</summary>
    public bool NoContactOrder { get; set; }

    /// <summary>1 is the first person to contact.</summary>
    public int Priority { get; set; } = 1;
}

/// <summary>
/// Safeguarding: never photograph or feature this pupil. Set by the DSL; the reason is for the DSL only, so it
/// lives in its own table that only the DSL's queries read.
/// </summary>
public sealed class SafeguardingFlag
{
    public Guid Id { get; set; }
    public Guid PupilId { get; set; }
    public Guid AcademyId { get; set; }
    public required string Reason { get; set; }
    public required string SetBy { get; set; }
    public DateTimeOffset SetAt { get; set; }
    public string? ClearedBy { get; set; }
    public DateTimeOffset? ClearedAt { get; set; }
}
