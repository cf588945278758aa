using System.Security.Cryptography;
using System.Text;
using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Data;
using ConsentHub.Email;
using ConsentHub.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Npgsql;

namespace ConsentHub.Signing;

/// <summary>
/// /sign/lost: someone types an email address and, if it belongs to a contact with parental responsibility (or to
/// a pupil old enough to answer), gets one email with a new change link for every pupil they may answer for. The
/// caller always shows the same answer, known address or not. At most one such email per address per
/// <see cref="Interval"/>, however often the form is sent: the outbox business key carries the time window, and
/// when that email exists already the new links are rolled back with it.
/// </summary>
public sealed class RequestChangeLinks(
    IDbContextFactory<ConsentHubDbContext> factory,
    OutboxWriter outbox,
    RequestOutboxDrain drain,
    IAuditLog audit,
    TimeProvider clock,
    IOptions<SigningOptions> options)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(15);

    /// <summary>Everyone this address may answer for: as a contact, or as the pupil (school email). Who may answer is consenthub.may_answer.</summary>
    private const string PartiesSql = """
        SELECT p.id, p.academy_id, 'Contact', c.id, p.display_first_name, c.preferred_language,
               concat_ws(' ', nullif(c.title, ''), c.first_name, c.last_name), c.email
        FROM consenthub.contacts c
        JOIN consenthub.pupil_contacts pc ON pc.contact_id = c.id
        JOIN consenthub.pupils p ON p.id = pc.pupil_id
        WHERE lower(c.email) = @email
          AND consenthub.may_answer('Contact', p.year_group, p.left_on, pc.has_parental_responsibility, pc.no_contact_order, @today)
        UNION ALL
        SELECT p.id, p.academy_id, 'Pupil', NULL, p.display_first_name, NULL,
               p.display_name, p.school_email
        FROM consenthub.pupils p
        WHERE lower(p.school_email) = @email
          AND consenthub.may_answer('Pupil', p.year_group, p.left_on, NULL, NULL, @today)
        """;

    public abstract record Result
    {
        /// <summary>Whatever happened next: the page says the same thing.</summary>
        public sealed record Accepted : Result;

        public sealed record NotAnEmailAddress : Result;
    }

    public static bool LooksLikeEmail(string? typed) =>
        typed is { Length: > 2 and <= 320 } t && MailboxAddress.TryParse(t.Trim(), out var m) && m.Address.Contains('@', StringComparison.Ordinal)
        && !t.Trim().Contains(' ', StringComparison.Ordinal);

    public async Task<Result> HandleAsync(string? typedEmail, string language, CancellationToken ct = default)
    {
        if (!LooksLikeEmail(typedEmail)) return new Result.NotAnEmailAddress();
        var email = typedEmail!.Trim();
        var folded = email.ToLowerInvariant();
        var now = clock.GetUtcNow();
        var today = Consent.Rules.UkCalendar.DateOf(now);

        await using var db = await factory.CreateDbContextAsync(ct);
        var found = new List<Party>();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = new NpgsqlCommand(PartiesSql, (NpgsqlConnection)db.Database.GetDbConnection());
            cmd.Parameters.AddWithValue("email", folded);
            cmd.Parameters.AddWithValue("today", today);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var kind = Enum.Parse<PartyKind>(reader.GetString(2));
                found.Add(new Party(reader.GetGuid(0), reader.GetGuid(1), kind, reader.IsDBNull(3) ? null : reader.GetGuid(3), reader.GetString(4),
                    kind == PartyKind.Pupil ? SigningLanguage.English : reader.GetString(5), reader.GetString(6), reader.GetString(7)));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        var parties = found.DistinctBy(p => (p.PupilId, p.ContactId)).OrderBy(p => p.FirstName, StringComparer.Ordinal).ToList();
        if (parties.Count == 0) return new Result.Accepted();

        var lang = SigningLanguage.Choose(language, parties[0].PreferredLanguage);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var links = new List<(string, bool, Uri)>();
        var tokens = new List<string>();
        foreach (var party in parties)
        {
            // Each new link revokes the party's earlier ones; rolled back with the rest when this window has had its email.
            var link = await IssueChangeLink.HandleAsync(db, party.PupilId, party.AcademyId, party.Kind, party.ContactId, null, now,
                options.Value.ChangeLinkLifetime, ct);
            tokens.Add(link.Token);
            links.Add((party.FirstName, party.Kind == PartyKind.Pupil, options.Value.ChangeUrl(link.Token)));
        }

        var window = now.ToUnixTimeSeconds() / (long)Interval.TotalSeconds;
        var addressKey = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(folded)))[..32];
        var message = SigningEmails.ChangeLinks(lang, links, options.Value.LostLinkUrl);
        var added = await outbox.WriteAsync(db, new OutgoingEmail($"signing-change-links:{addressKey}:{window}", parties[0].Email, message.Subject, message.Text)
        {
            ToName = parties[0].Name,
            HtmlBody = message.Html,
            Secrets = tokens,
        }, ct);
        if (added == 0)
        {
            // Sent within this window already: keep nothing of this try.
            await tx.RollbackAsync(ct);
            return new Result.Accepted();
        }
        foreach (var party in parties)
        {
            await audit.AppendAsync(db, new AuditEvent(party.AcademyId, party.Kind == PartyKind.Pupil ? "signer:pupil" : $"signer:contact:{party.ContactId}",
                "signing.change-links-sent", "Pupil", party.PupilId.ToString(), party.PupilId,
                new Dictionary<string, object?> { ["party"] = party.Kind.ToString(), ["contactId"] = party.ContactId }), ct);
        }
        await tx.CommitAsync(ct);
        drain.Now();
        return new Result.Accepted();
    }

    private sealed record Party(Guid PupilId, Guid AcademyId, PartyKind Kind, Guid? ContactId, string FirstName, string PreferredLanguage, string Name, string Email);
}
