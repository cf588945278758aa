using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Data;
using ConsentHub.Pupils;
using ConsentHub.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace ConsentHub.Rollover;

/// <summary>
/// Re-evaluates who must answer for every pupil on roll at one academy who has been asked before, as the rule
/// engine decides it today (<see cref="ConsentRules.NeedsPupil"/>, <see cref="ConsentRules.NeedsParent"/>):
/// <list type="bullet">
/// <item>a party now needed who was never asked (a new Year 7's own answer; a sixth-former's parent once staff set
/// "also ask the parent") gets a request through the ordinary issuing path (<see cref="IssueConsentRequests"/>,
/// so email, paper, short codes and audit are the same), asking only that party;</item>
/// <item>an open request whose party is no longer needed (a Year 12's parent; a pupil's own request below Year 7)
/// is cancelled with its reason, so nobody reminds them.</item>
/// </list>
/// Set-based and idempotent: a second run finds nothing to do. Runs at one academy take turns across every app
/// instance (a session advisory lock; a run that finds the lock taken returns at once, the other run does the
/// work). The report is stored and audited.
/// </summary>
public sealed class RunRollover(
    IDbContextFactory<ConsentHubDbContext> factory,
    IssueConsentRequests issue,
    IAuditLog audit,
    IOptions<RolloverOptions> options,
    TimeProvider clock,
    ILogger<RunRollover> logger)
{
    public const string SystemActor = "system:rollover";
    public const string ParentNoLongerAskedReason = "Sixth form: the parent is no longer asked (policy §6.2).";
    public const string PupilNoLongerAskedReason = "Year 6 and below: the pupil's own answer is not asked (policy §6.2).";

    public abstract record Result
    {
        public sealed record Done(RolloverReport Report) : Result;

        /// <summary>Another run at this academy holds the lock (on this or another app instance); it does the work.</summary>
        public sealed record AlreadyRunning : Result;

        /// <summary>The year-start run for today already happened.</summary>
        public sealed record AlreadyRanToday : Result;

        public sealed record NotFound : Result;
    }

    /// <summary>Hangfire entry point: ids and plain values only.</summary>
    public async Task RunAsync(Guid academyId, RolloverTrigger trigger, string actor, CancellationToken ct)
    {
        var result = await HandleAsync(academyId, trigger, actor, ct);
        if (result is Result.Done { Report: var r })
            logger.LogInformation("Rollover at academy {AcademyId} ({Trigger}): {Created} requests created, {Closed} closed", academyId, trigger, r.RequestsCreated, r.RequestsClosed);
    }

    public async Task<Result> HandleAsync(Guid academyId, RolloverTrigger trigger, string actor, CancellationToken ct = default)
    {
        await using var lockDb = await factory.CreateDbContextAsync(ct);
        await lockDb.Database.OpenConnectionAsync(ct);
        var lockConn = (NpgsqlConnection)lockDb.Database.GetDbConnection();
        if (!await AdvisoryLockAsync(lockConn, "pg_try_advisory_lock", academyId, ct)) return new Result.AlreadyRunning();
        try
        {
            return await RunLockedAsync(academyId, trigger, actor, ct);
        }
        finally
        {
            await AdvisoryLockAsync(lockConn, "pg_advisory_unlock", academyId, CancellationToken.None);
        }
    }

    private static async Task<bool> AdvisoryLockAsync(NpgsqlConnection conn, string function, Guid academyId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"SELECT {function}(hashtextextended('rollover:' || @a::text, 0))", conn);
        cmd.Parameters.AddWithValue("a", academyId);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private sealed record PupilRow(Guid Id, int YearGroup, bool AlsoAskParent, bool PupilAskedEver, bool PupilOpen, bool ContactOpen);

    private sealed record ContactRow(Guid PupilId, Guid ContactId, bool HasResponsibility, bool NoContactOrder, bool AskedEver);

    private async Task<Result> RunLockedAsync(Guid academyId, RolloverTrigger trigger, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = UkCalendar.DateOf(now);
        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await db.Academies.AnyAsync(a => a.Id == academyId, ct)) return new Result.NotFound();
        if (trigger == RolloverTrigger.YearStart && await db.RolloverReports.AnyAsync(
                r => r.AcademyId == academyId && r.Trigger == RolloverTrigger.YearStart && r.RanAt >= UkCalendar.StartOf(today), ct))
            return new Result.AlreadyRanToday();

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var ntx = (NpgsqlTransaction)tx.GetDbTransaction();
        var (pupils, contacts) = await ReadAsync(conn, ntx, academyId, today, ct);

        var report = new RolloverReport { Id = Guid.CreateVersion7(now), AcademyId = academyId, Trigger = trigger, RunBy = actor, RanAt = now, PupilsOnRoll = pupils.Count };
        var ask = new List<IssueConsentRequests.PartyRef>();
        foreach (var p in pupils)
        {
            var links = contacts.TryGetValue(p.Id, out var l) ? l : [];
            var facts = new PupilFacts(new YearGroup(p.YearGroup), null, p.AlsoAskParent, false,
                [.. links.Select(c => new ContactFacts(c.ContactId, "", c.HasResponsibility, c.NoContactOrder))]);
            if (ConsentRules.NeedsPupil(facts))
            {
                if (!p.PupilAskedEver)
                {
                    report.PupilNowAsked.Add(p.Id);
                    ask.Add(new(p.Id, PartyKind.Pupil, null));
                }
            }
            else if (p.PupilOpen)
            {
                report.PupilNoLongerAsked.Add(p.Id);
            }

            if (ConsentRules.NeedsParent(facts))
            {
                var never = links.Where(c => !c.AskedEver && ConsentRules.Counts(new ContactFacts(c.ContactId, "", c.HasResponsibility, c.NoContactOrder))).ToList();
                if (never.Count > 0)
                {
                    report.ParentNowAsked.Add(p.Id);
                    ask.AddRange(never.Select(c => new IssueConsentRequests.PartyRef(p.Id, PartyKind.Contact, c.ContactId)));
                }
            }
            else if (p.ContactOpen)
            {
                report.ParentNoLongerAsked.Add(p.Id);
            }
        }

        report.RequestsClosed = await CancelAsync(conn, ntx, report.ParentNoLongerAsked, PartyKind.Contact, ParentNoLongerAskedReason, now, ct)
            + await CancelAsync(conn, ntx, report.PupilNoLongerAsked, PartyKind.Pupil, PupilNoLongerAskedReason, now, ct);
        db.RolloverReports.Add(report);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        if (ask.Count > 0) await IssueAsync(db, report, ask, today, ct);

        await using var auditTx = await db.Database.BeginTransactionAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(academyId, actor, "rollover.ran", "RolloverReport", report.Id.ToString(), Data: new Dictionary<string, object?>
        {
            ["trigger"] = trigger.ToString(),
            ["pupilsOnRoll"] = report.PupilsOnRoll,
            ["pupilNowAsked"] = report.PupilNowAsked.Count,
            ["parentNowAsked"] = report.ParentNowAsked.Count,
            ["parentNoLongerAsked"] = report.ParentNoLongerAsked.Count,
            ["pupilNoLongerAsked"] = report.PupilNoLongerAsked.Count,
            ["requestsCreated"] = report.RequestsCreated,
            ["requestsClosed"] = report.RequestsClosed,
            ["issueId"] = report.IssueId?.ToString(),
        }), ct);
        await auditTx.CommitAsync(ct);
        return new Result.Done(report);
    }

    private async Task IssueAsync(ConsentHubDbContext db, RolloverReport report, List<IssueConsentRequests.PartyRef> ask, DateOnly today, CancellationToken ct)
    {
        var form = await db.FormVersions.AsNoTracking().Where(f => f.PublishedAt != null && f.ConsentValidThrough == null)
            .OrderByDescending(f => f.PublishedAt).Select(f => (Guid?)f.Id).FirstOrDefaultAsync(ct);
        if (form is null)
        {
            logger.LogWarning("Rollover at academy {AcademyId}: no published form version to issue; {Parties} parties not asked", report.AcademyId, ask.Count);
            return;
        }
        var pupils = ask.Select(a => a.PupilId).Distinct().ToArray();
        var request = new IssueConsentRequests.Request(report.AcademyId, form.Value, IssueAudience.Chosen(pupils),
            today.AddDays(options.Value.DeadlineDays), IssueDelivery.EmailWherePossible, OnlyParties: ask);
        switch (await issue.HandleAsync(AccessScope.Academy(report.AcademyId, report.RunBy), request, ct))
        {
            case IssueConsentRequests.Result.Issued { Summary: var s }:
                report.IssueId = s.IssueId;
                report.RequestsCreated = s.RequestsCreated;
                report.EmailsQueued = s.EmailsQueued;
                report.OnPaper = s.OnPaper;
                db.RolloverReports.Update(report);
                await db.SaveChangesAsync(ct);
                break;
            case IssueConsentRequests.Result.Invalid { Errors: var e }:
                logger.LogWarning("Rollover at academy {AcademyId}: the issue was refused ({Fields})", report.AcademyId, string.Join(", ", e.Keys));
                break;
        }
    }

    private static async Task<(List<PupilRow>, Dictionary<Guid, List<ContactRow>>)> ReadAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid academyId, DateOnly today, CancellationToken ct)
    {
        // Pupils on roll who have been asked before (any request, any status): rollover re-asks, it never starts a first issue.
        var pupils = new List<PupilRow>();
        await using (var cmd = new NpgsqlCommand($"""
            SELECT p.id, p.year_group, p.also_ask_parent,
                   bool_or(r.party_kind = 'Pupil'),
                   coalesce(bool_or(r.party_kind = 'Pupil' AND r.status = 'Open'), false),
                   coalesce(bool_or(r.party_kind = 'Contact' AND r.status = 'Open'), false)
            FROM consenthub.pupils p
            JOIN consenthub.signature_requests r ON r.pupil_id = p.id
            WHERE p.academy_id = @a AND {OnRoll.Sql()}
            GROUP BY p.id
            ORDER BY p.id
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("a", academyId);
            cmd.Parameters.AddWithValue("today", today);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                pupils.Add(new PupilRow(reader.GetGuid(0), reader.GetInt32(1), reader.GetBoolean(2), reader.GetBoolean(3), reader.GetBoolean(4), reader.GetBoolean(5)));
        }
        var contacts = new Dictionary<Guid, List<ContactRow>>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT pc.pupil_id, pc.contact_id, pc.has_parental_responsibility, pc.no_contact_order,
                   EXISTS (SELECT 1 FROM consenthub.signature_requests r
                           WHERE r.pupil_id = pc.pupil_id AND r.party_kind = 'Contact' AND r.contact_id = pc.contact_id)
            FROM consenthub.pupil_contacts pc
            JOIN consenthub.pupils p ON p.id = pc.pupil_id
            WHERE p.academy_id = @a AND pc.pupil_id = ANY(@pupils)
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("a", academyId);
            cmd.Parameters.Add(new NpgsqlParameter("pupils", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = pupils.Select(p => p.Id).ToArray() });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var pupil = reader.GetGuid(0);
                if (!contacts.TryGetValue(pupil, out var list)) contacts[pupil] = list = [];
                list.Add(new ContactRow(pupil, reader.GetGuid(1), reader.GetBoolean(2), reader.GetBoolean(3), reader.GetBoolean(4)));
            }
        }
        return (pupils, contacts);
    }

    private static async Task<int> CancelAsync(NpgsqlConnection conn, NpgsqlTransaction tx, List<Guid> pupils, PartyKind kind, string reason, DateTimeOffset now, CancellationToken ct)
    {
        if (pupils.Count == 0) return 0;
        await using var cmd = new NpgsqlCommand("""
            UPDATE consenthub.signature_requests
            SET status = 'Cancelled', cancelled_at = @now, cancel_reason = @reason
            WHERE pupil_id = ANY(@pupils) AND party_kind = @kind AND status = 'Open'
            """, conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter("pupils", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = pupils.ToArray() });
        cmd.Parameters.AddWithValue("kind", kind.ToString());
        cmd.Parameters.AddWithValue("reason", reason);
        cmd.Parameters.AddWithValue("now", now);
        return await cmd.ExecuteNonQueryAsync(ct);
    }
}
