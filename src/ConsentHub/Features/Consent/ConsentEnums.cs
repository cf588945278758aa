namespace ConsentHub.Consent;

/// <summary>What a party said. A change of mind is a new answer; nothing is ever edited.</summary>
public enum AnswerKind
{
    Grant = 0,
    Refuse = 1,
    Withdraw = 2,
}

/// <summary>How the answer reached us.</summary>
public enum AnswerMethod
{
    Online = 0,
    Paper = 1,
    RecordedByStaff = 2,
}

/// <summary>UK GDPR Art. 6 basis the trust relies on for a purpose.</summary>
public enum LawfulBasis
{
    Consent = 0,
    PublicTask = 1,
    LegitimateInterests = 2,
}

public enum ValidityKind
{
    UntilWithdrawn = 0,
    Months = 1,
    EndOfAcademicYear = 2,
}

/// <summary>The answer a teacher needs.</summary>
public enum ConsentStatus
{
    /// <summary>May be photographed and featured for this purpose now.</summary>
    Allowed = 0,

    /// <summary>Must not be featured: a refusal, a withdrawal, a safeguarding flag, a posting pause, or left.</summary>
    NotAllowed = 1,

    /// <summary>Asked, or partly answered, or a consent expired: not yet.</summary>
    Pending = 2,

    /// <summary>Nobody has been asked for this purpose yet.</summary>
    NotRequested = 3,
}

/// <summary>Who answers: a contact (parent/carer) or the pupil themself.</summary>
public enum PartyKind
{
    Contact = 0,
    Pupil = 1,
}
