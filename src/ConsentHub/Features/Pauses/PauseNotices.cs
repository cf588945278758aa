using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ConsentHub.Consent.Rules;
using ConsentHub.Data;
using ConsentHub.Email;
using ConsentHub.Requests;
using ConsentHub.Signing;
using ConsentHub.Trust;
using ConsentHub.Trust.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ConsentHub.Pauses;

/// <summary>
/// The emails a pause sends: to the administrative contacts of every open account in the register that could
/// feature a pupil of a paused academy (the academy's own accounts, its region's and the trust's — the same
/// accounts a takedown goes to), once when the pause begins and once when posting may resume. Written to the
/// outbox in the caller's transaction; the pause's notice stamps and the outbox's business keys make every call
/// idempotent. The email never carries the reason.
/// </summary>
public sealed class PauseNotices(OutboxWriter outbox, EmailTemplates templates, IOptions<SigningOptions> signing)
{
    public const string StartedTemplate = "posting-pause-started";
    public const string EndedTemplate = "posting-pause-ended";

    /// <summary>Sends whatever notice is due for <paramref name="pause"/> at <paramref name="now"/> and stamps it; returns the emails queued.</summary>
    public async Task<int> SendDueAsync(ConsentHubDbContext db, PostingPause pause, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(pause);
        var queued = 0;
        var ended = pause.Until is { } until && until <= now;
        if (pause.StartNoticeAt is null && pause.From <= now)
        {
            // Over before anyone was told it began (cancelled before its start, or history loaded from elsewhere):
            // telling people now that a pause began and ended would only confuse.
            if (ended)
            {
                pause.StartNoticeAt = now;
                pause.EndNoticeAt = now;
                await db.SaveChangesAsync(ct);
                return 0;
            }
            queued += await QueueAsync(db, pause, StartedTemplate, "start", ct);
            pause.StartNoticeAt = now;
        }
        if (pause.EndNoticeAt is null && pause.StartNoticeAt is not null && ended)
        {
            queued += await QueueAsync(db, pause, EndedTemplate, "end", ct);
            pause.EndNoticeAt = now;
        }
        await db.SaveChangesAsync(ct);
        return queued;
    }

    /// <summary>"Thu 3 Dec 2026 at 14:00", UK time.</summary>
    public static string FormatTime(DateTimeOffset instant)
    {
        var local = UkCalendar.ToLocal(instant);
        return local.ToString("ddd d MMM yyyy 'at' HH:mm", CultureInfo.InvariantCulture);
    }

    /// <summary>What a pause covers, in words: an academy's name, "North region" or "the whole trust".</summary>
    public static async Task<string> ScopeNameAsync(ConsentHubDbContext db, PauseScope scope, Guid? scopeId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return scope switch
        {
            PauseScope.Academy => await db.Academies.Where(a => a.Id == scopeId).Select(a => a.Name).FirstOrDefaultAsync(ct) ?? "(unknown academy)",
            PauseScope.Region => (await db.Regions.Where(r => r.Id == scopeId).Select(r => r.Name).FirstOrDefaultAsync(ct) ?? "(unknown)") + " region",
            _ => "the whole trust",
        };
    }

    private async Task<int> QueueAsync(ConsentHubDbContext db, PostingPause pause, string template, string kind, CancellationToken ct)
    {
        var recipients = await RecipientsAsync(db, pause, ct);
        if (recipients.Count == 0) return 0;
        var trustName = await db.Trusts.AsNoTracking().Select(t => t.Name).FirstOrDefaultAsync(ct) ?? "the trust";
        var scopeName = await ScopeNameAsync(db, pause.Scope, pause.ScopeId, ct);
        var url = new Uri(signing.Value.PublicBaseUrl, "pauses").ToString();
        var emails = new List<OutgoingEmail>();
        foreach (var (address, name) in recipients)
        {
            var rendered = templates.Render(template, EmailTemplates.DefaultLanguage, new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["recipient_name"] = name,
                ["scope"] = scopeName,
                ["from"] = FormatTime(pause.From),
                ["until"] = pause.Until is { } u ? FormatTime(u) : "",
                ["lifted_early"] = pause.LiftedAt is null ? "" : "yes",
                ["pauses_url"] = url,
                ["trust_name"] = trustName,
            });
            emails.Add(new OutgoingEmail($"posting-pause:{pause.Id:N}:{kind}:{KeyOf(address)}", address, rendered.Subject, rendered.TextBody)
            {
                ToName = name,
                HtmlBody = rendered.HtmlBody,
                AcademyId = pause.Scope == PauseScope.Academy ? pause.ScopeId : null,
            });
        }
        return await outbox.WriteAsync(db, emails, ct);
    }

    /// <summary>Each address once, with the first name it was registered under.</summary>
    private static async Task<List<(string Address, string Name)>> RecipientsAsync(ConsentHubDbContext db, PostingPause pause, CancellationToken ct)
    {
        var open = db.AffiliatedAccounts.AsNoTracking().Where(a => a.ClosedAt == null);
        IQueryable<AffiliatedAccount> accounts;
        if (pause.Scope == PauseScope.Trust)
        {
            accounts = open;
        }
        else
        {
            var academies = pause.Scope == PauseScope.Academy
                ? [pause.ScopeId!.Value]
                : await db.Academies.Where(a => a.RegionId == pause.ScopeId).Select(a => a.Id).ToListAsync(ct);
            var regions = pause.Scope == PauseScope.Region
                ? [pause.ScopeId!.Value]
                : await db.Academies.Where(a => a.Id == pause.ScopeId).Select(a => a.RegionId).ToListAsync(ct);
            accounts = open.Where(a => a.Scope == PauseScope.Trust
                || (a.Scope == PauseScope.Region && regions.Contains(a.ScopeId!.Value))
                || (a.Scope == PauseScope.Academy && academies.Contains(a.ScopeId!.Value)));
        }
        var rows = await accounts.OrderBy(a => a.RegisteredAt).ThenBy(a => a.Id)
            .Select(a => new { a.FirstAdminEmail, a.FirstAdminName, a.SecondAdminEmail, a.SecondAdminName }).ToListAsync(ct);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var result = new List<(string, string)>();
        foreach (var r in rows)
        {
            if (seen.Add(r.FirstAdminEmail)) result.Add((r.FirstAdminEmail, r.FirstAdminName));
            if (seen.Add(r.SecondAdminEmail)) result.Add((r.SecondAdminEmail, r.SecondAdminName));
        }
        return result;
    }

    private static string KeyOf(string address) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(address.Trim().ToLowerInvariant())))[..16];
}
