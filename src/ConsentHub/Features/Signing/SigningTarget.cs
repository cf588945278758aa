using ConsentHub.Consent;
using ConsentHub.Data;
using ConsentHub.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace ConsentHub.Signing;

public enum SigningTargetKind
{
    /// <summary>A signature request: the link in the request email, or its short code at /sign.</summary>
    Request = 0,

    /// <summary>A change or withdraw link (<see cref="SignerLink"/>).</summary>
    ChangeLink = 1,
}

/// <summary>
/// What a link or a short code opens: one party's form about one pupil. Only ever built for a target that can be
/// answered right now (open, not expired, the party still entitled to answer).
/// </summary>
public sealed record SigningTarget(
    SigningTargetKind Kind,
    Guid Id,
    Guid PupilId,
    Guid AcademyId,
    PartyKind PartyKind,
    Guid? ContactId,
    Guid? RequestFormVersionId,
    string PreferredLanguage)
{
    public Audience Audience => PartyKind == PartyKind.Pupil ? Audience.Pupil : Audience.Parent;

    /// <summary>"request:{id}" or "change-link:{id}": the actor in the audit chain; never a name or an address.</summary>
    public string Actor => Kind == SigningTargetKind.Request ? $"signer:request:{Id}" : $"signer:change-link:{Id}";

    /// <summary>
    /// The pupil's names and school email and the contact's, read by the same statement that found (or locked) the
    /// target: the form, the receipt and its envelope need them, and they cost no round trip of their own. Null
    /// when the target was made some other way; readers then look them up.
    /// </summary>
    public SigningPeople? People { get; init; }
}

/// <summary>The names and addresses a form and its receipt print, as stored (see <see cref="SigningTarget.People"/>).</summary>
public sealed record SigningPeople(
    string PupilLegalFirstName,
    string? PupilPreferredFirstName,
    string PupilLegalLastName,
    string? PupilPreferredLastName,
    string? PupilSchoolEmail,
    SigningContact? Contact)
{
    public string PupilFirstName => Pupils.Pupil.NameUsed(PupilLegalFirstName, PupilPreferredFirstName);

    public string PupilLastName => Pupils.Pupil.NameUsed(PupilLegalLastName, PupilPreferredLastName);
}

/// <summary>The contact a parent's target belongs to: who the receipt is addressed to.</summary>
public sealed record SigningContact(string? Title, string FirstName, string LastName, string? Email)
{
    /// <summary>As <see cref="Pupils.Contact.DisplayName"/>.</summary>
    public string DisplayName => string.IsNullOrWhiteSpace(Title) ? $"{FirstName} {LastName}" : $"{Title} {FirstName} {LastName}";
}

/// <summary>
/// Finds what a token or short code opens. Every way it can fail (no such token, expired, answered, cancelled,
/// revoked, the party no longer entitled) gives the same null, so a page can only say one neutral thing.
/// Each lookup is one statement: the token (or code, or id) and every check, entitlement by
/// <c>consenthub.may_answer</c> (the rule <see cref="Consent.Rules.ConsentRules.MayAnswer"/> states).
/// Reads only: opening a link changes nothing.
/// </summary>
public sealed class SigningTargets(IDbContextFactory<ConsentHubDbContext> factory, TimeProvider clock)
{
    private const string RequestSql = """
        SELECT r.id, r.pupil_id, r.academy_id, r.party_kind, r.contact_id, r.form_version_id, c.preferred_language,
               {2}
        FROM consenthub.signature_requests r
        JOIN consenthub.pupils p ON p.id = r.pupil_id
        LEFT JOIN consenthub.pupil_contacts pc ON pc.pupil_id = r.pupil_id AND pc.contact_id = r.contact_id
        LEFT JOIN consenthub.contacts c ON c.id = pc.contact_id
        WHERE {0} AND r.status = 'Open' AND r.expires_at > @now
          AND consenthub.may_answer(r.party_kind, p.year_group, p.left_on, pc.has_parental_responsibility, pc.no_contact_order, @today)
        {1}
        """;

    private const string ChangeLinkSql = """
        SELECT l.id, l.pupil_id, l.academy_id, l.party_kind, l.contact_id, NULL::uuid, c.preferred_language,
               {2}
        FROM consenthub.signer_links l
        JOIN consenthub.pupils p ON p.id = l.pupil_id
        LEFT JOIN consenthub.pupil_contacts pc ON pc.pupil_id = l.pupil_id AND pc.contact_id = l.contact_id
        LEFT JOIN consenthub.contacts c ON c.id = pc.contact_id
        WHERE {0} AND l.revoked_at IS NULL AND l.expires_at > @now
          AND consenthub.may_answer(l.party_kind, p.year_group, p.left_on, pc.has_parental_responsibility, pc.no_contact_order, @today)
        {1}
        """;

    // The people's columns (7 to 16), from the rows the checks join anyway.
    private const string PeopleColumns = """
        p.legal_first_name, p.preferred_first_name, p.legal_last_name, p.preferred_last_name, p.school_email,
               c.id, c.title, c.first_name, c.last_name, c.email
        """;

    public async Task<SigningTarget?> ByRequestTokenAsync(string? token, CancellationToken ct = default)
    {
        if (!SigningSecrets.LooksLikeToken(token)) return null;
        await using var db = await factory.CreateDbContextAsync(ct);
        return await ReadAsync(db, SigningTargetKind.Request, "r.token_hash = @key", SigningSecrets.HashToken(token!), forUpdate: false, ct);
    }

    public async Task<SigningTarget?> ByShortCodeAsync(string? typed, CancellationToken ct = default)
    {
        if (!SigningSecrets.TryNormaliseShortCode(typed, out var code)) return null;
        await using var db = await factory.CreateDbContextAsync(ct);
        return await ReadAsync(db, SigningTargetKind.Request, "r.short_code = CAST(@key AS character(8))", code, forUpdate: false, ct);
    }

    public async Task<SigningTarget?> ByChangeTokenAsync(string? token, CancellationToken ct = default)
    {
        if (!SigningSecrets.LooksLikeToken(token)) return null;
        await using var db = await factory.CreateDbContextAsync(ct);
        return await ReadAsync(db, SigningTargetKind.ChangeLink, "l.token_hash = @key", SigningSecrets.HashToken(token!), forUpdate: false, ct);
    }

    /// <summary>The request a token belongs to, whatever its state (for the receipt after it was answered).</summary>
    public async Task<Guid?> RequestIdByTokenAsync(string? token, CancellationToken ct = default)
    {
        if (!SigningSecrets.LooksLikeToken(token)) return null;
        var hash = SigningSecrets.HashToken(token!);
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.SignatureRequests.AsNoTracking().Where(r => r.TokenHash == hash).Select(r => (Guid?)r.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>The change link a token belongs to, whatever its state.</summary>
    public async Task<Guid?> ChangeLinkIdByTokenAsync(string? token, CancellationToken ct = default)
    {
        if (!SigningSecrets.LooksLikeToken(token)) return null;
        var hash = SigningSecrets.HashToken(token!);
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.SignerLinks.AsNoTracking().Where(l => l.TokenHash == hash).Select(l => (Guid?)l.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>Again by id (from the signed-in-by-date-of-birth cookie), with every check repeated.</summary>
    public async Task<SigningTarget?> ByIdAsync(SigningTargetKind kind, Guid id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await ReadAsync(db, kind, kind == SigningTargetKind.Request ? "r.id = @key" : "l.id = @key", id, forUpdate: false, ct);
    }

    /// <summary>
    /// The open target by id inside the caller's transaction, its request or link row locked (FOR UPDATE) so
    /// two submissions of one form take turns; null when it can no longer be answered.
    /// </summary>
    internal Task<SigningTarget?> LockAsync(ConsentHubDbContext db, SigningTargetKind kind, Guid id, CancellationToken ct) =>
        ReadAsync(db, kind, kind == SigningTargetKind.Request ? "r.id = @key" : "l.id = @key", id, forUpdate: true, ct);

    private async Task<SigningTarget?> ReadAsync(ConsentHubDbContext db, SigningTargetKind kind, string condition, object key, bool forUpdate, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var sql = string.Format(System.Globalization.CultureInfo.InvariantCulture, kind == SigningTargetKind.Request ? RequestSql : ChangeLinkSql,
            condition, forUpdate ? (kind == SigningTargetKind.Request ? "FOR UPDATE OF r" : "FOR UPDATE OF l") : "", PeopleColumns);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var conn = (NpgsqlConnection)db.Database.GetDbConnection();
            await using var cmd = new NpgsqlCommand(sql, conn, db.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction);
            cmd.Parameters.AddWithValue("key", key);
            cmd.Parameters.AddWithValue("now", now);
            cmd.Parameters.AddWithValue("today", Consent.Rules.UkCalendar.DateOf(now));
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct)) return null;
            var party = Enum.Parse<PartyKind>(reader.GetString(3));
            var language = party == PartyKind.Pupil
                ? SigningLanguage.English
                : SigningLanguage.Choose(null, reader.IsDBNull(6) ? null : reader.GetString(6));
            var contact = reader.IsDBNull(12) ? null
                : new SigningContact(NullableString(reader, 13), reader.GetString(14), reader.GetString(15), NullableString(reader, 16));
            var people = new SigningPeople(reader.GetString(7), NullableString(reader, 8), reader.GetString(9), NullableString(reader, 10),
                NullableString(reader, 11), contact);
            return new SigningTarget(kind, reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), party,
                reader.IsDBNull(4) ? null : reader.GetGuid(4), reader.IsDBNull(5) ? null : reader.GetGuid(5), language)
            { People = people };
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
