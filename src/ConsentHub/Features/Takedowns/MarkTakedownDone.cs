using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace ConsentHub.Takedowns;

/// <summary>
/// A named member of staff says the account no longer features the pupil: every open task for that account and
/// pupil is closed with who (their actor id and name), when and an optional note, audited on the academy's chain
/// (the note stays out of the audit: it may describe the pupil). Only for tasks the caller may see
/// (<see cref="ListTakedownTasks.Visible"/>); a second click finds nothing open and changes nothing.
/// </summary>
public sealed class MarkTakedownDone(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit, TimeProvider clock)
{
    public const int MaxNoteLength = 500;

    public abstract record Result
    {
        public sealed record Done(int Tasks) : Result;

        /// <summary>No open task for that account and pupil that the caller may close (already done, or not theirs).</summary>
        public sealed record NotFound : Result;

        public sealed record Invalid(string Field, string Message) : Result;
    }

    public async Task<Result> HandleAsync(ListTakedownTasks.Caller caller, string actor, string actorName, Guid accountId, Guid pupilId, string? note, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var text = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (text is { Length: > MaxNoteLength }) return new Result.Invalid("note", $"The note is longer than {MaxNoteLength} characters.");
        if (string.IsNullOrWhiteSpace(actorName)) return new Result.Invalid("name", "Tasks are marked done by a named person: your account has no name.");

        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var (where, fill) = ListTakedownTasks.Visible(caller);
        var now = clock.GetUtcNow();
        Guid? academyId = null;
        var closed = 0;
        await using (var cmd = new NpgsqlCommand($"""
            UPDATE consenthub.takedown_tasks t
            SET done_at = @now, done_by = @actor, done_by_name = @name, done_note = @note
            FROM consenthub.affiliated_accounts acc
            WHERE acc.id = t.account_id AND t.account_id = @account AND t.pupil_id = @pupil AND t.done_at IS NULL AND ({where})
            RETURNING t.academy_id
            """, conn, (NpgsqlTransaction)tx.GetDbTransaction()))
        {
            fill(cmd.Parameters);
            cmd.Parameters.AddWithValue("now", now);
            cmd.Parameters.AddWithValue("actor", actor);
            cmd.Parameters.AddWithValue("name", actorName.Trim());
            cmd.Parameters.Add(new NpgsqlParameter("note", NpgsqlDbType.Varchar) { Value = (object?)text ?? DBNull.Value });
            cmd.Parameters.AddWithValue("account", accountId);
            cmd.Parameters.AddWithValue("pupil", pupilId);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                academyId = reader.GetGuid(0);
                closed++;
            }
        }
        if (closed == 0) return new Result.NotFound();
        await audit.AppendAsync(db, new AuditEvent(academyId, actor, "takedown.done", "AffiliatedAccount", accountId.ToString(), pupilId,
            new Dictionary<string, object?> { ["tasks"] = closed, ["note"] = text is not null }), ct);
        await tx.CommitAsync(ct);
        return new Result.Done(closed);
    }
}
