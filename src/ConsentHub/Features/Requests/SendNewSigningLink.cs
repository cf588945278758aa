using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Data;
using ConsentHub.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace ConsentHub.Requests;

/// <summary>
/// Office staff send a fresh link for one open request, e.g. when a parent lost the email: the request gets a new
/// token (the old link stops working at once) and the new link goes by email through the outbox, in one
/// transaction, audited. The short code, deadline and expiry stay as they were. After it commits, call
/// <see cref="RequestOutboxDrain"/>.
/// </summary>
public sealed class SendNewSigningLink(IDbContextFactory<ConsentHubDbContext> factory, OutboxWriter outbox, RequestEmails emails, IAuditLog audit, TimeProvider clock)
{
    public abstract record Result
    {
        /// <param name="Recipient">Who it went to: "the pupil" or the contact's name.</param>
        public sealed record Sent(string Recipient) : Result;

        /// <summary>No such request in the caller's scope.</summary>
        public sealed record NotFound : Result;

        /// <summary>The request was answered, cancelled or has expired: say why.</summary>
        public sealed record NotOpen(string Problem) : Result;

        /// <summary>No working email address for the party: the link cannot be sent (print the form instead).</summary>
        public sealed record NoEmail(string Problem) : Result;
    }

    public async Task<Result> HandleAsync(AccessScope scope, Guid requestId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var ntx = (NpgsqlTransaction)tx.GetDbTransaction();
        var now = clock.GetUtcNow();

        Found? found = null;
        await using (var cmd = IssuePlanner.Command(conn, ntx, $"""
            SELECT r.pupil_id, r.academy_id, r.party_kind, r.status, r.expires_at, r.deadline, r.short_code, a.name,
                   p.display_first_name, p.school_email,
                   concat_ws(' ', nullif(btrim(c.title), ''), c.first_name, c.last_name), c.email, c.email_failing_since IS NOT NULL, c.preferred_language,
                   c.title, c.first_name, c.last_name
            FROM consenthub.signature_requests r
            JOIN consenthub.pupils p ON p.id = r.pupil_id
            JOIN consenthub.academies a ON a.id = r.academy_id
            LEFT JOIN consenthub.contacts c ON c.id = r.contact_id
            WHERE r.id = @id AND {AccessScope.Condition("r.academy_id")}
            FOR UPDATE OF r
            """, scope))
        {
            cmd.Parameters.AddWithValue("id", requestId);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                var kind = Enum.Parse<PartyKind>(reader.GetString(2));
                var expiresAt = reader.GetFieldValue<DateTimeOffset>(4);
                found = new Found(reader.GetGuid(0), reader.GetGuid(1), kind, Enum.Parse<RequestStatus>(reader.GetString(3)), expiresAt,
                    reader.IsDBNull(5) ? UkCalendar.DateOf(expiresAt) : reader.GetFieldValue<DateOnly>(5), reader.GetString(6).Trim(), reader.GetString(7),
                    reader.GetString(8),
                    kind == PartyKind.Pupil ? "the pupil" : reader.GetString(10),
                    kind == PartyKind.Pupil ? reader.IsDBNull(9) ? null : reader.GetString(9) : reader.IsDBNull(11) || reader.GetBoolean(12) ? null : reader.GetString(11),
                    kind == PartyKind.Pupil ? null : reader.GetString(13))
                {
                    Names = kind == PartyKind.Pupil ? null
                        : new ConsentHub.Pupils.ContactName(reader.IsDBNull(14) ? null : reader.GetString(14), reader.GetString(15), reader.GetString(16)),
                };
            }
        }
        if (found is null) return new Result.NotFound();
        if (found.Status != RequestStatus.Open)
            return new Result.NotOpen($"This request is {found.Status.ToString().ToLowerInvariant()}: there is nothing to answer with a new link.");
        if (found.ExpiresAt <= now)
            return new Result.NotOpen($"This request expired on {UkCalendar.Format(found.ExpiresAt)}: issue the form again to ask afresh.");
        if (!RequestEmails.IsUsable(found.Email))
        {
            var who = found.Kind == PartyKind.Pupil ? "the pupil (school email)" : found.RecipientName;
            return new Result.NoEmail($"There is no working email address for {who}. Update it on the pupil's page, or give them the paper form with its code.");
        }

        var token = SigningSecrets.NewToken();
        var hash = SigningSecrets.HashToken(token);
        await using (var cmd = IssuePlanner.Command(conn, ntx, "UPDATE consenthub.signature_requests SET token_hash = @hash, delivery = 'Email' WHERE id = @id", null))
        {
            cmd.Parameters.AddWithValue("id", requestId);
            cmd.Parameters.Add(new NpgsqlParameter("hash", NpgsqlDbType.Bytea) { Value = hash });
            await cmd.ExecuteNonQueryAsync(ct);
        }
        var recipient = found.Kind == PartyKind.Pupil ? found.PupilFirstName : found.RecipientName;
        await outbox.WriteAsync(db, emails.Build(new RequestEmails.Message(
            $"request-link:{requestId}:{Convert.ToHexStringLower(hash)[..16]}", found.Kind, found.Email!.Trim(), recipient, found.Language,
            found.PupilFirstName, found.AcademyName, found.AcademyId, found.Deadline, token, found.ShortCode)
        { Names = found.Names }) with
        { SignatureRequestId = requestId }, ct);
        await audit.AppendAsync(db, new AuditEvent(found.AcademyId, scope.Actor, "request.link-resent", "SignatureRequest", requestId.ToString(), found.PupilId,
            new Dictionary<string, object?> { ["party"] = found.Kind.ToString() }), ct);
        await tx.CommitAsync(ct);
        return new Result.Sent(found.RecipientName);
    }

    private sealed record Found(Guid PupilId, Guid AcademyId, PartyKind Kind, RequestStatus Status, DateTimeOffset ExpiresAt, DateOnly Deadline, string ShortCode,
        string AcademyName, string PupilFirstName, string RecipientName, string? Email, string? Language)
    {
        public ConsentHub.Pupils.ContactName? Names { get; init; }
    }
}
