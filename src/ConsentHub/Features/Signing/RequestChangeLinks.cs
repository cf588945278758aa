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
#pragma warning disable CA1862 // ToLower() becomes SQL lower(); string.Equals with a comparison type does not translate.
        var asContact = await (
            from c in db.Contacts.AsNoTracking()
            join pc in db.PupilContacts.AsNoTracking() on c.Id equals pc.ContactId
            join p in db.Pupils.AsNoTracking() on pc.PupilId equals p.Id
            where c.Email != null && c.Email.ToLower() == folded && pc.HasParentalResponsibility && !pc.NoContactOrder
                  && (p.LeftOn == null || p.LeftOn > today)
            select new Party(p.Id, p.AcademyId, PartyKind.Contact, c.Id, p.PreferredFirstName ?? p.LegalFirstName, c.PreferredLanguage, c.DisplayName, c.Email!))
            .ToListAsync(ct);
        var asPupil = await db.Pupils.AsNoTracking()
            .Where(p => p.SchoolEmail != null && p.SchoolEmail.ToLower() == folded && p.YearGroup >= 7 && (p.LeftOn == null || p.LeftOn > today))
            .Select(p => new Party(p.Id, p.AcademyId, PartyKind.Pupil, null, p.PreferredFirstName ?? p.LegalFirstName, SigningLanguage.English,
                (p.PreferredFirstName ?? p.LegalFirstName) + " " + (p.PreferredLastName ?? p.LegalLastName), p.SchoolEmail!))
            .ToListAsync(ct);
#pragma warning restore CA1862
        var parties = asContact.Concat(asPupil).DistinctBy(p => (p.PupilId, p.ContactId)).OrderBy(p => p.FirstName, StringComparer.Ordinal).ToList();
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
