using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Data;
using ConsentHub.Email;
using ConsentHub.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConsentHub.Takedowns;

/// <summary>
/// The recurring escalation job: takedown tasks still open <see cref="TakedownOptions.OverdueAfter"/> after they
/// were created go, once per task, to the communications director(s) (every enabled staff account holding the
/// CommunicationsDirector role; <see cref="TakedownOptions.EscalationAddress"/> when nobody does), one email per
/// director per batch, business-keyed on the tasks. With nobody to tell, the tasks wait unescalated and a warning
/// is logged. One run at a time across app instances.
/// </summary>
public sealed class EscalateOverdueTakedowns(
    IDbContextFactory<ConsentHubDbContext> factory,
    OutboxWriter outbox,
    EmailTemplates templates,
    IAuditLog audit,
    IOptions<TakedownOptions> options,
    PublicAddress publicAddress,
    TimeProvider clock,
    ILogger<EscalateOverdueTakedowns> logger)
{
    public const string Template = "takedown-escalation";

    public sealed record Summary(int Tasks, int EmailsQueued);

    public async Task<Summary> RunAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var ntx = (NpgsqlTransaction)tx.GetDbTransaction();
        if (!await OpenTakedowns.TryLockAsync(conn, ntx, "takedown-escalations", ct)) return new Summary(0, 0);

        var now = clock.GetUtcNow();
        var overdue = options.Value.OverdueAfter;
        var lines = await OpenTakedowns.ReadAsync(conn, ntx, "t.escalated_at IS NULL AND t.created_at <= @due",
            p => p.AddWithValue("due", now - overdue), ct);
        if (lines.Count == 0) return new Summary(0, 0);

        var directors = await (from u in db.Users.AsNoTracking()
                               where !u.Disabled && u.Email != null
                               where db.StaffRoleAssignments.Any(a => a.UserId == u.Id && a.Role == StaffRoles.CommunicationsDirector)
                               orderby u.Email
                               select new { Key = u.Id.ToString("N"), Name = u.DisplayName, Email = u.Email! }).ToListAsync(ct);
        if (directors.Count == 0 && !string.IsNullOrWhiteSpace(options.Value.EscalationAddress))
            directors.Add(new { Key = "fallback", Name = "Director of Communications", Email = options.Value.EscalationAddress.Trim() });
        if (directors.Count == 0)
        {
            logger.LogWarning("{Count} overdue takedown tasks cannot be escalated: no staff account holds the CommunicationsDirector role and Takedowns:EscalationAddress is empty", lines.Count);
            return new Summary(0, 0);
        }

        var ids = lines.SelectMany(l => l.TaskIds).ToList();
        var key = OpenTakedowns.BatchKey(ids);
        var trustName = await db.Trusts.AsNoTracking().Select(t => t.Name).FirstOrDefaultAsync(ct) ?? "the trust";
        var rows = lines.Select(l => l.ForTemplate()).ToList();
        var emails = directors.Select(d =>
        {
            var rendered = templates.Render(Template, EmailTemplates.DefaultLanguage, new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["recipient_name"] = string.IsNullOrWhiteSpace(d.Name) ? "Director of Communications" : d.Name,
                ["count"] = lines.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["overdue"] = Describe(overdue),
                ["tasks"] = rows,
                ["tasks_url"] = publicAddress.For("takedowns").ToString(),
                ["trust_name"] = trustName,
            });
            return new OutgoingEmail($"takedown-escalation:{d.Key}:{key}", d.Email, rendered.Subject, rendered.TextBody) { ToName = d.Name, HtmlBody = rendered.HtmlBody };
        }).ToList();

        await OpenTakedowns.StampAsync(conn, ntx, "escalated_at", ids, now, ct);
        var queued = await outbox.WriteAsync(db, emails, ct);
        await audit.AppendAsync(db, new AuditEvent(null, SendTakedownNotices.SystemActor, "takedowns.escalated", Data: new Dictionary<string, object?>
        {
            ["tasks"] = ids.Count,
            ["lines"] = lines.Count,
            ["recipients"] = directors.Count,
            ["emails"] = queued,
        }), ct);
        await tx.CommitAsync(ct);
        return new Summary(ids.Count, queued);
    }

    /// <summary>"2 days", "1 day", "6 hours".</summary>
    public static string Describe(TimeSpan span) => span.TotalDays >= 1 && span.TotalDays == Math.Floor(span.TotalDays)
        ? (span.TotalDays == 1 ? "1 day" : $"{span.TotalDays:0} days")
        : (span.TotalHours == 1 ? "1 hour" : $"{span.TotalHours:0.#} hours");
}
