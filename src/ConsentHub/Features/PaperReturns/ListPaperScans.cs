using ConsentHub.Access;
using Npgsql;

namespace ConsentHub.PaperReturns;

/// <summary>
/// The scans of signed paper forms kept for one pupil, newest first, for the pupil page's links: when each was
/// recorded, its type and size (never the content). Only in the caller's scope (staff who may see contact details:
/// a scan shows the parent's name and signature).
/// </summary>
public sealed class ListPaperScans(NpgsqlDataSource dataSource)
{
    public sealed record Row(Guid ScanId, Guid? RequestId, string ContentType, int Size, DateTimeOffset UploadedAt, string Reference);

    public async Task<IReadOnlyList<Row>> HandleAsync(AccessScope scope, Guid pupilId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await using var cmd = dataSource.CreateCommand($"""
            SELECT s.id, s.request_id, s.content_type, s.size, s.uploaded_at
            FROM consenthub.paper_scans s
            WHERE s.pupil_id = @pupil AND {AccessScope.Condition("s.academy_id")}
            ORDER BY s.uploaded_at DESC, s.id
            """);
        cmd.Parameters.AddWithValue("pupil", pupilId);
        cmd.Parameters.AddScope(scope);
        var rows = new List<Row>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetGuid(0);
            rows.Add(new Row(id, reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.GetString(2), reader.GetInt32(3), reader.GetFieldValue<DateTimeOffset>(4),
                "scan:" + id.ToString("N")));
        }
        return rows;
    }
}
