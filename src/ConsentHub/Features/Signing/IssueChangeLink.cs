using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Data;
using ConsentHub.Requests;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ConsentHub.Signing;

/// <summary>
/// A new change or withdraw link for one party and pupil, inside the caller's transaction. Every earlier link of
/// that party for that pupil is revoked in the same statement, so only the newest email's link works. The link
/// lives as long as the consent it changes: to the end of the day the party's answers stop being valid
/// (<see cref="FormVersion.ConsentValidThrough"/>); while any of their answers lasts until withdrawn (or they have
/// none yet), for <see cref="SigningOptions.ChangeLinkLifetime"/>, which is also the ceiling.
/// </summary>
public static class IssueChangeLink
{
    public sealed record Issued(Guid LinkId, string Token, DateTimeOffset ExpiresAt);

    public static async Task<Issued> HandleAsync(ConsentHubDbContext db, Guid pupilId, Guid academyId, PartyKind partyKind, Guid? contactId,
        Guid? formVersionId, DateTimeOffset now, TimeSpan ceiling, CancellationToken ct)
    {
        await RevokeAsync(db, pupilId, partyKind, contactId, now, ct);
        var expiresAt = await ExpiryAsync(db, pupilId, partyKind, contactId, formVersionId, now, ceiling, ct);
        return await InsertAsync(db, pupilId, academyId, partyKind, contactId, now, expiresAt, ct);
    }

    /// <summary>
    /// The same, when the caller has already run <see cref="RevokeCommand"/> and <see cref="ValiditiesCommand"/> in this
    /// transaction (in a batch with its own writes, one round trip) and read the validities.
    /// </summary>
    public static async Task<Issued> HandleAsync(ConsentHubDbContext db, Guid pupilId, Guid academyId, PartyKind partyKind, Guid? contactId,
        Guid? formVersionId, DateTimeOffset now, TimeSpan ceiling, List<DateOnly?> validities, CancellationToken ct)
    {
        if (validities.Count == 0 && formVersionId is { } id)
            validities = await db.FormVersions.AsNoTracking().Where(f => f.Id == id).Select(f => f.ConsentValidThrough).ToListAsync(ct);
        return await InsertAsync(db, pupilId, academyId, partyKind, contactId, now, ExpiryFrom(validities, now, ceiling), ct);
    }

    /// <summary>As <see cref="RevokeAsync"/>, as a command of the caller's batch.</summary>
    public static NpgsqlBatchCommand RevokeCommand(Guid pupilId, PartyKind partyKind, Guid? contactId, DateTimeOffset now)
    {
        var command = new NpgsqlBatchCommand($"""
            UPDATE consenthub.signer_links SET revoked_at = @now
            WHERE pupil_id = @pupil AND party_kind = @party AND {(contactId is null ? "contact_id IS NULL" : "contact_id = @contact")}
              AND revoked_at IS NULL AND expires_at > @now
            """);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", now));
        command.Parameters.Add(new NpgsqlParameter<Guid>("pupil", pupilId));
        command.Parameters.Add(new NpgsqlParameter<string>("party", partyKind.ToString()));
        if (contactId is { } contact) command.Parameters.Add(new NpgsqlParameter<Guid>("contact", contact));
        return command;
    }

    /// <summary>
    /// How long each of the party's current answers for the pupil is valid (<see cref="FormVersion.ConsentValidThrough"/>),
    /// as a command of the caller's batch; read it with <see cref="ReadValiditiesAsync"/>.
    /// </summary>
    public static NpgsqlBatchCommand ValiditiesCommand(Guid pupilId, PartyKind partyKind, Guid? contactId)
    {
        var command = new NpgsqlBatchCommand("""
            SELECT f.consent_valid_through
            FROM consenthub.current_answers c
            JOIN consenthub.form_versions f ON f.id = c.form_version_id
            WHERE c.pupil_id = @pupil AND c.party_kind = @party AND c.party_id = @party_id
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid>("pupil", pupilId));
        command.Parameters.Add(new NpgsqlParameter<string>("party", partyKind.ToString()));
        command.Parameters.Add(new NpgsqlParameter<Guid>("party_id", contactId ?? Guid.Empty));
        return command;
    }

    /// <summary>The rows of <see cref="ValiditiesCommand"/>, the reader on its result.</summary>
    public static async Task<List<DateOnly?>> ReadValiditiesAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var validities = new List<DateOnly?>();
        while (await reader.ReadAsync(ct)) validities.Add(reader.IsDBNull(0) ? null : reader.GetFieldValue<DateOnly>(0));
        return validities;
    }

    private static async Task<Issued> InsertAsync(ConsentHubDbContext db, Guid pupilId, Guid academyId, PartyKind partyKind, Guid? contactId,
        DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken ct)
    {
        var token = SigningSecrets.NewToken();
        var link = new SignerLink
        {
            Id = Guid.CreateVersion7(),
            TokenHash = SigningSecrets.HashToken(token),
            PupilId = pupilId,
            AcademyId = academyId,
            PartyKind = partyKind,
            ContactId = contactId,
            CreatedAt = now,
            ExpiresAt = expiresAt,
        };
        db.SignerLinks.Add(link);
        await db.SaveChangesAsync(ct);
        return new Issued(link.Id, token, expiresAt);
    }

    /// <summary>Revokes the party's links for the pupil that still work; returns how many.</summary>
    public static Task<int> RevokeAsync(ConsentHubDbContext db, Guid pupilId, PartyKind partyKind, Guid? contactId, DateTimeOffset now, CancellationToken ct) =>
        db.SignerLinks
            .Where(l => l.PupilId == pupilId && l.PartyKind == partyKind && l.ContactId == contactId && l.RevokedAt == null && l.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.RevokedAt, now), ct);

    /// <summary>When a link issued now should stop working (see the class summary).</summary>
    public static async Task<DateTimeOffset> ExpiryAsync(ConsentHubDbContext db, Guid pupilId, PartyKind partyKind, Guid? contactId,
        Guid? formVersionId, DateTimeOffset now, TimeSpan ceiling, CancellationToken ct)
    {
        var partyId = contactId ?? Guid.Empty;
        var validities = await db.CurrentAnswers.AsNoTracking()
            .Where(c => c.PupilId == pupilId && c.PartyKind == partyKind && c.PartyId == partyId)
            .Join(db.FormVersions, c => c.FormVersionId, f => f.Id, (c, f) => f.ConsentValidThrough)
            .ToListAsync(ct);
        if (validities.Count == 0 && formVersionId is { } id)
            validities = await db.FormVersions.AsNoTracking().Where(f => f.Id == id).Select(f => f.ConsentValidThrough).ToListAsync(ct);
        return ExpiryFrom(validities, now, ceiling);
    }

    private static DateTimeOffset ExpiryFrom(List<DateOnly?> validities, DateTimeOffset now, TimeSpan ceiling)
    {
        var latest = now + ceiling;
        if (validities.Count == 0 || validities.Any(v => v is null)) return latest;
        var end = UkCalendar.StartOf(validities.Max(v => v!.Value).AddDays(1));
        // A consent that has already run out can still be withdrawn or renewed for a short while from the receipt.
        if (end <= now) end = now + TimeSpan.FromDays(30);
        return end < latest ? end : latest;
    }
}
