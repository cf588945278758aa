using ConsentHub.Access;
using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using Hangfire;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ConsentHub.Monitoring;

/// <summary>
/// The nightly coverage snapshot ("monitoring-snapshot"): for every academy, the pupils on roll by purpose and status
/// as the rule engine decides them now, and the classes that could appear in a class photo for each purpose, written
/// as today's row per academy × purpose. Idempotent: a second run on the same UK day replaces the day's rows
/// (INSERT … ON CONFLICT DO UPDATE), so a retry or two hosts running it together leave one row each.
/// One roster read and one statement per academy; never a query per pupil.
/// </summary>
public sealed partial class TakeCoverageSnapshot(NpgsqlDataSource dataSource, ConsentStatusReader reader, TimeProvider clock, ILogger<TakeCoverageSnapshot> logger)
{
    private const string Actor = "job:monitoring-snapshot";

    /// <returns>How many academy × purpose rows were written.</returns>
    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var day = UkCalendar.DateOf(now);
        var academies = new List<Guid>();
        await using (var cmd = dataSource.CreateCommand("SELECT id FROM consenthub.academies ORDER BY id"))
        await using (var r = await cmd.ExecuteReaderAsync(cancellationToken))
            while (await r.ReadAsync(cancellationToken)) academies.Add(r.GetGuid(0));

        var scope = AccessScope.Trust(Actor);
        var written = 0;
        foreach (var academyId in academies)
        {
            var pupils = await reader.ForRosterAsync(scope, new RosterFilter(academyId), null, cancellationToken);
            var rows = Summarise(pupils);
            written += await WriteAsync(day, academyId, rows, now, cancellationToken);
        }
        LogTaken(logger, day, academies.Count, written);
        return written;
    }

    internal sealed record PurposeRow(Guid PurposeId, int Pupils, int Allowed, int NotAllowed, int Pending, int NotRequested, int Classes, int ClassesAllAllowed);

    /// <summary>
    /// Counts per purpose. A class (registration group) "can appear in a class photo" for a purpose when every pupil
    /// in it is Allowed; pupils without a class count for the pupils' figures only.
    /// </summary>
    internal static List<PurposeRow> Summarise(IReadOnlyList<PupilConsent> pupils) =>
        [.. pupils.SelectMany(p => p.Purposes.Select(c => (Pupil: p, c.PurposeId, c.Decision.Status)))
            .GroupBy(x => x.PurposeId)
            .Select(g =>
            {
                var classes = g.Where(x => !string.IsNullOrWhiteSpace(x.Pupil.RegistrationGroup))
                    .GroupBy(x => x.Pupil.RegistrationGroup!.Trim(), StringComparer.OrdinalIgnoreCase).ToList();
                return new PurposeRow(g.Key, g.Count(),
                    g.Count(x => x.Status == ConsentStatus.Allowed), g.Count(x => x.Status == ConsentStatus.NotAllowed),
                    g.Count(x => x.Status == ConsentStatus.Pending), g.Count(x => x.Status == ConsentStatus.NotRequested),
                    classes.Count, classes.Count(c => c.All(x => x.Status == ConsentStatus.Allowed)));
            })];

    private async Task<int> WriteAsync(DateOnly day, Guid academyId, List<PurposeRow> rows, DateTimeOffset now, CancellationToken ct)
    {
        // The day's rows for the academy are replaced as a whole: a purpose that no longer applies leaves no stale row.
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var del = new NpgsqlCommand("DELETE FROM consenthub.coverage_snapshots WHERE day = @day AND academy_id = @academy AND NOT (purpose_id = ANY(@purposes))", conn, tx))
        {
            del.Parameters.Add(new NpgsqlParameter<DateOnly>("day", day));
            del.Parameters.Add(new NpgsqlParameter<Guid>("academy", academyId));
            del.Parameters.Add(new NpgsqlParameter<Guid[]>("purposes", [.. rows.Select(r => r.PurposeId)]));
            await del.ExecuteNonQueryAsync(ct);
        }
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO consenthub.coverage_snapshots
                (day, academy_id, purpose_id, pupils, allowed, not_allowed, pending, not_requested, classes, classes_all_allowed, taken_at)
            SELECT @day, @academy, u.purpose, u.pupils, u.allowed, u.not_allowed, u.pending, u.not_requested, u.classes, u.classes_all, @now
            FROM unnest(@purposes, @pupils, @allowed, @not_allowed, @pending, @not_requested, @classes, @classes_all)
                 AS u(purpose, pupils, allowed, not_allowed, pending, not_requested, classes, classes_all)
            ON CONFLICT (day, academy_id, purpose_id) DO UPDATE SET
                pupils = excluded.pupils, allowed = excluded.allowed, not_allowed = excluded.not_allowed, pending = excluded.pending,
                not_requested = excluded.not_requested, classes = excluded.classes, classes_all_allowed = excluded.classes_all_allowed,
                taken_at = excluded.taken_at
            """, conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter<DateOnly>("day", day));
        cmd.Parameters.Add(new NpgsqlParameter<Guid>("academy", academyId));
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", now));
        cmd.Parameters.Add(new NpgsqlParameter<Guid[]>("purposes", [.. rows.Select(r => r.PurposeId)]));
        cmd.Parameters.Add(new NpgsqlParameter<int[]>("pupils", [.. rows.Select(r => r.Pupils)]));
        cmd.Parameters.Add(new NpgsqlParameter<int[]>("allowed", [.. rows.Select(r => r.Allowed)]));
        cmd.Parameters.Add(new NpgsqlParameter<int[]>("not_allowed", [.. rows.Select(r => r.NotAllowed)]));
        cmd.Parameters.Add(new NpgsqlParameter<int[]>("pending", [.. rows.Select(r => r.Pending)]));
        cmd.Parameters.Add(new NpgsqlParameter<int[]>("not_requested", [.. rows.Select(r => r.NotRequested)]));
        cmd.Parameters.Add(new NpgsqlParameter<int[]>("classes", [.. rows.Select(r => r.Classes)]));
        cmd.Parameters.Add(new NpgsqlParameter<int[]>("classes_all", [.. rows.Select(r => r.ClassesAllAllowed)]));
        var n = await cmd.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        return n;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Coverage snapshot for {Day}: {Academies} academies, {Rows} rows")]
    private static partial void LogTaken(ILogger logger, DateOnly day, int academies, int rows);
}
