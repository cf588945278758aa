using ConsentHub.Audit;
using ConsentHub.Data;
using ConsentHub.Email;
using ConsentHub.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConsentHub.Takedowns;

/// <summary>
/// The recurring notice job (policy §4.1.3, §4.4.2): for each trust-affiliated account with open takedown tasks
/// not yet sent, one email to each of its two administrative contacts listing the pupils to stop featuring and
/// remove, then the tasks are stamped as notified, all in one transaction with the outbox rows. The business key
/// is the account plus a hash of its task ids, so a retried batch is never mailed twice; one run at a time across
/// app instances. The email says only what to do: no reason, nothing about safeguarding.
/// </summary>
public sealed class SendTakedownNotices(
    IDbContextFactory<ConsentHubDbContext> factory,
    OutboxWriter outbox,
    EmailTemplates templates,
    IAuditLog audit,
    PublicAddress publicAddress,
    TimeProvider clock)
{
    public const string Template = "takedown-notice";
    public const string SystemActor = "system:takedowns";

    public sealed record Summary(int Accounts, int Tasks, int EmailsQueued);

    public async Task<Summary> RunAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var ntx = (NpgsqlTransaction)tx.GetDbTransaction();
        if (!await OpenTakedowns.TryLockAsync(conn, ntx, "takedown-notices", ct)) return new Summary(0, 0, 0);

        var lines = await OpenTakedowns.ReadAsync(conn, ntx, "t.notified_at IS NULL", _ => { }, ct);
        if (lines.Count == 0) return new Summary(0, 0, 0);
        var trustName = await db.Trusts.AsNoTracking().Select(t => t.Name).FirstOrDefaultAsync(ct) ?? "the trust";
        var now = clock.GetUtcNow();
        var url = publicAddress.For("takedowns").ToString();

        var emails = new List<OutgoingEmail>();
        var tasks = 0;
        foreach (var account in lines.GroupBy(l => l.AccountId))
        {
            var first = account.First();
            var ids = account.SelectMany(l => l.TaskIds).ToList();
            tasks += ids.Count;
            var key = OpenTakedowns.BatchKey(ids);
            var rows = account.Select(l => l.ForTemplate()).ToList();
            foreach (var (n, name, address, other) in new[]
                     {
                         (1, first.FirstAdminName, first.FirstAdminEmail, first.SecondAdminName),
                         (2, first.SecondAdminName, first.SecondAdminEmail, first.FirstAdminName),
                     })
            {
                var rendered = templates.Render(Template, EmailTemplates.DefaultLanguage, new Dictionary<string, object>(StringComparer.Ordinal)
                {
                    ["recipient_name"] = name,
                    ["other_admin"] = other,
                    ["account"] = first.Handle,
                    ["platform"] = first.Platform,
                    ["count"] = account.Count().ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["tasks"] = rows,
                    ["tasks_url"] = url,
                    ["trust_name"] = trustName,
                });
                emails.Add(new OutgoingEmail($"takedown-notice:{account.Key:N}:{key}:{n}", address, rendered.Subject, rendered.TextBody)
                {
                    ToName = name,
                    HtmlBody = rendered.HtmlBody,
                });
            }
            await OpenTakedowns.StampAsync(conn, ntx, "notified_at", ids, now, ct);
        }
        var queued = await outbox.WriteAsync(db, emails, ct);
        var accounts = lines.Select(l => l.AccountId).Distinct().Count();
        await audit.AppendAsync(db, new AuditEvent(null, SystemActor, "takedowns.notified", Data: new Dictionary<string, object?>
        {
            ["accounts"] = accounts,
            ["tasks"] = tasks,
            ["emails"] = queued,
        }), ct);
        await tx.CommitAsync(ct);
        return new Summary(accounts, tasks, queued);
    }
}
