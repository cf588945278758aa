namespace ConsentHub.Consent;

/// <summary>A channel of use, e.g. "Academy social media".</summary>
public sealed class Purpose
{
    public Guid Id { get; set; }

    /// <summary>Stable key used by the API and templates, e.g. "academy-social".</summary>
    public required string Key { get; set; }

    public required string Name { get; set; }
    public required string Description { get; set; }
    public LawfulBasis LawfulBasis { get; set; }
    public ValidityKind ValidityKind { get; set; }
    public int ValidityMonths { get; set; }

    /// <summary>Publishes on a trust-affiliated account, so a posting pause (§4.7) stops it.</summary>
    public bool PublishesOnTrustAccounts { get; set; }

    public int SortOrder { get; set; }
    public bool Active { get; set; } = true;
}

public enum Audience
{
    Parent = 0,
    Pupil = 1,
}

/// <summary>
/// A published version of the trust's consent form: the exact wording per purpose, audience and language.
/// Immutable once anyone has answered it; a change is a new version.
/// </summary>
public sealed class FormVersion
{
    public Guid Id { get; set; }

    /// <summary>Shown on forms and receipts, e.g. "2026.1".</summary>
    public required string Label { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }

    /// <summary>
    /// Set when the trust retires this wording and asks for answers given on it to be renewed: grants on it count
    /// until this date (inclusive).
    /// </summary>
    public DateOnly? ConsentValidThrough { get; set; }

    public List<FormWording> Wordings { get; set; } = [];
}

public sealed class FormWording
{
    public Guid Id { get; set; }
    public Guid FormVersionId { get; set; }
    public Guid PurposeId { get; set; }
    public Audience Audience { get; set; }
    public required string Language { get; set; }
    public required string Text { get; set; }
}

/// <summary>
/// A reviewer's sign-off of one language on one form version: the form wording and the signing pages' text in that
/// language have been checked by someone the trust trusts. Until then every page in that language says "to be
/// reviewed by the trust". One row per version and language; the sign-off is audited.
/// </summary>
public sealed class TranslationReview
{
    public Guid Id { get; set; }
    public Guid FormVersionId { get; set; }
    public required string Language { get; set; }
    public required string ReviewedBy { get; set; }
    public DateTimeOffset ReviewedAt { get; set; }
}

/// <summary>
/// One answer from one party for one pupil and purpose. Append-only: never updated or deleted (a database
/// trigger enforces it); a change of mind is a new row. <see cref="Id"/> is the append order.
/// </summary>
public sealed class ConsentAnswer
{
    public long Id { get; set; }
    public Guid PupilId { get; set; }
    public Guid AcademyId { get; set; }
    public Guid PurposeId { get; set; }
    public PartyKind PartyKind { get; set; }
    public Guid? ContactId { get; set; }
    public AnswerKind Kind { get; set; }
    public AnswerMethod Method { get; set; }
    public Guid FormVersionId { get; set; }
    public DateTimeOffset At { get; set; }
    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>Staff member or API key that recorded it; "online" answers name the signer.</summary>
    public required string RecordedBy { get; set; }

    /// <summary>The name the signer typed.</summary>
    public string? SignatureName { get; set; }

    /// <summary>SHA-256 of the signer's IP address with a secret pepper; never the address itself.</summary>
    public string? IpHash { get; set; }

    public string? UserAgent { get; set; }

    /// <summary>Where a scanned paper form is kept, with its hash.</summary>
    public string? ScanReference { get; set; }

    /// <summary>Staff attested they have seen the signed form / heard the answer.</summary>
    public bool Attested { get; set; }

    public string? Note { get; set; }

    /// <summary>Online answers: the signature request answered (null for a change made from a change link).</summary>
    public Guid? SignatureRequestId { get; set; }

    /// <summary>Online answers: the submission (receipt) this answer was part of.</summary>
    public Guid? OnlineSubmissionId { get; set; }
}

/// <summary>
/// An API client's Idempotency-Key for one recorded answer (docs/API.md): a POST repeated with the same key within
/// the idempotency window (24 hours, <c>RecordConsentAnswer.IdempotencyWindow</c>) returns the first answer instead of recording it again, so a
/// client that retries after a lost response (a host killed mid-request) cannot record an answer twice. Holds a
/// hash of the request, never its content.
/// </summary>
public sealed class AnswerIdempotencyKey
{
    /// <summary>Who may replay it: the API key's actor.</summary>
    public required string Owner { get; set; }

    public required string Key { get; set; }

    /// <summary>SHA-256 (hex) of the request's fields: the same key with a different request is refused.</summary>
    public required string RequestHash { get; set; }

    public long AnswerId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// Projection kept by a trigger on consent_answers: the latest answer of each party for each pupil × purpose,
/// so status checks read a handful of rows instead of a pupil's whole history.
/// </summary>
public sealed class CurrentAnswer
{
    public Guid PupilId { get; set; }
    public Guid PurposeId { get; set; }

    /// <summary>The contact's id, or <see cref="Guid.Empty"/> for the pupil.</summary>
    public Guid PartyId { get; set; }

    public PartyKind PartyKind { get; set; }
    public long AnswerId { get; set; }
    public AnswerKind Kind { get; set; }
    public DateTimeOffset At { get; set; }
    public Guid FormVersionId { get; set; }
}
