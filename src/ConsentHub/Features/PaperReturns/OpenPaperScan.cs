using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Consent.Rules;
using ConsentHub.Files;
using Npgsql;

namespace ConsentHub.PaperReturns;

/// <summary>
/// One scan of a signed paper form, to view: its bytes and the type read again from them (never a stored name or the
/// uploader's word). Only a scan of the given pupil, in the caller's scope; anything else is null (the page says 404
/// whatever id is guessed). Every view is audited as <c>paper-scan.viewed</c> on the pupil.
/// </summary>
public sealed class OpenPaperScan(NpgsqlDataSource dataSource, IAuditLog audit)
{
    /// <param name="FileName">A download name with no personal data: the date it was recorded and the type's extension.</param>
    public sealed record Scan(byte[] Content, string ContentType, string FileName);

    public async Task<Scan?> HandleAsync(AccessScope scope, Guid pupilId, Guid scanId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await using var cmd = dataSource.CreateCommand($"""
            SELECT s.academy_id, s.content, s.uploaded_at
            FROM consenthub.paper_scans s
            WHERE s.id = @scan AND s.pupil_id = @pupil AND {AccessScope.Condition("s.academy_id")}
            """);
        cmd.Parameters.AddWithValue("scan", scanId);
        cmd.Parameters.AddWithValue("pupil", pupilId);
        cmd.Parameters.AddScope(scope);
        Guid academyId;
        byte[] content;
        DateTimeOffset uploadedAt;
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct)) return null;
            (academyId, content, uploadedAt) = (reader.GetGuid(0), reader.GetFieldValue<byte[]>(1), reader.GetFieldValue<DateTimeOffset>(2));
        }
        var type = ScanFile.Sniff(content) ?? "application/octet-stream";
        var extension = type switch
        {
            "application/pdf" => "pdf",
            "image/jpeg" => "jpg",
            "image/png" => "png",
            _ => "bin",
        };
        audit.RecordRead(new AuditEvent(academyId, scope.Actor, "paper-scan.viewed", "PaperScan", scanId.ToString(), pupilId));
        return new Scan(content, type, "paper-form-scan-" + UkCalendar.DateOf(uploadedAt).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + "." + extension);
    }
}
