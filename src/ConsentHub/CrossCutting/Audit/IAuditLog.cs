using ConsentHub.Data;

namespace ConsentHub.Audit;

/// <summary>
/// Something that happened to children's data: a view, a change, a consent check. <paramref name="AcademyId"/>
/// picks the chain (null: the trust's own chain). <paramref name="Data"/> is serialised to canonical JSON; put
/// ids and outcomes in it, never contact details or safeguarding reasons.
/// </summary>
public sealed record AuditEvent(
    Guid? AcademyId,
    string Actor,
    string Action,
    string? EntityType = null,
    string? EntityId = null,
    Guid? PupilId = null,
    IReadOnlyDictionary<string, object?>? Data = null);

/// <summary>The audit chain: one per academy, each entry hashed over the one before.</summary>
public interface IAuditLog
{
    /// <summary>
    /// Appends inside the caller's transaction, so the change and its audit entry commit or roll back together.
    /// The caller must have begun a transaction on <paramref name="db"/>.
    /// </summary>
    Task AppendAsync(ConsentHubDbContext db, AuditEvent auditEvent, CancellationToken ct = default);

    /// <summary>
    /// Records a read (a consent check, a page view) without holding up the reader: entries are written in
    /// batches within a moment, and flushed when the app stops.
    /// </summary>
    void RecordRead(AuditEvent auditEvent);
}
