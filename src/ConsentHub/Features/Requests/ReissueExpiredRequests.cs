using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Data;
using ConsentHub.Email;
using ConsentHub.Signing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace ConsentHub.Requests;

/// <summary>
/// Office staff give expired requests a new life at once (the open-requests page's "Send a new link" for a
/// selection): each chosen request that is still open but past its expiry gets a new link token (the old link stays
/// dead), a new deadline <see cref="SigningOptions.ReissueDeadlineDays"/> days from today and the expiry that
/// deadline gives (end of the day in UK time plus <see cref="SigningOptions.GracePeriod"/>), and the request email
/// again through the outbox, in the party's language — all in one transaction, each request audited as
/// <c>request.reissued</c>. A request that is not expired any more (e.g. the second of a double-click), answered or
/// cancelled is left alone; one whose party has no working email stays expired and is counted (print its form).
/// The short code stays. After it commits, call <see cref="RequestOutboxDrain"/>.
/// </summary>
public sealed class ReissueExpiredRequests(
    IDbContextFactory<ConsentHubDbContext> factory,
    OutboxWriter outbox,
    RequestEmails emails,
    IAuditLog audit,
    IOptions<SigningOptions> signing,
    TimeProvider clock)
{
    /// <summary>The most requests one call renews (the page's list shows at most this many).</summary>
    public const int MaxRequests = ListOpenRequests.MaxRows;

    /// <param name="Sent">Requests renewed, each with its new link emailed.</param>
    /// <param name="NotExpired">Chosen requests that were not expired (already renewed, answered, cancelled): untouched.</param>
    /// <param name="NoEmail">Expired requests whose party has no working email: still expired; their form can be printed.</param>
    /// <param name="NotFound">Ids not found in the caller's scope.</param>
    /// <param name="Deadline">The new deadline of the renewed requests.</param>
    public sealed record Summary(int Sent, int NotExpired, int NoEmail, int NotFound, DateOnly Deadline);

    public abstract record Result
    {
        public sealed record Done(Summary Summary) : Result;

        /// <summary>Nothing chosen, or more than <see cref="MaxRequests"/>: nothing was written.</summary>
        public sealed record Invalid(string Problem) : Result;
    }

    public async Task<Result> HandleAsync(AccessScope scope, IReadOnlyCollection<Guid> requestIds, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(requestIds);
        var ids = requestIds.Distinct().ToArray();
        if (ids.Length == 0) return new Result.Invalid("Choose the expired requests to send a new link for.");
        if (ids.Length > MaxRequests) return new Result.Invalid($"Send new links for at most {MaxRequests} requests at a time.");

        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var ntx = (NpgsqlTransaction)tx.GetDbTransaction();
        var now = clock.GetUtcNow();
        var deadline = UkCalendar.DateOf(now).AddDays(signing.Value.ReissueDeadlineDays);
        var expiresAt = UkCalendar.StartOf(deadline.AddDays(1)) + signing.Value.GracePeriod;

        var found = new List<Found>();
        await using (var cmd = IssuePlanner.Command(conn, ntx, $"""
            SELECT r.id, r.pupil_id, r.academy_id, r.party_kind, r.status = 'Open' AND r.expires_at <= @now, r.short_code, a.name,
                   p.display_first_name, p.school_email,
                   concat_ws(' ', nullif(btrim(c.title), ''), c.first_name, c.last_name), c.email, c.email_failing_since IS NOT NULL, c.preferred_language
            FROM consenthub.signature_requests r
            JOIN consenthub.pupils p ON p.id = r.pupil_id
            JOIN consenthub.academies a ON a.id = r.academy_id
            LEFT JOIN consenthub.contacts c ON c.id = r.contact_id
            WHERE r.id = ANY(@ids) AND {AccessScope.Condition("r.academy_id")}
            ORDER BY r.id
            FOR UPDATE OF r
            """, scope))
        {
            cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids });
            cmd.Parameters.AddWithValue("now", now);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var kind = Enum.Parse<PartyKind>(reader.GetString(3));
                found.Add(new Found(reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), kind, reader.GetBoolean(4), reader.GetString(5).Trim(),
                    reader.GetString(6), reader.GetString(7),
                    kind == PartyKind.Pupil ? reader.GetString(7) : reader.GetString(9),
                    kind == PartyKind.Pupil ? reader.IsDBNull(8) ? null : reader.GetString(8) : reader.IsDBNull(10) || reader.GetBoolean(11) ? null : reader.GetString(10),
                    kind == PartyKind.Pupil ? null : reader.IsDBNull(12) ? null : reader.GetString(12)));
            }
        }

        var renew = found.Where(f => f.Expired && RequestEmails.IsUsable(f.Email)).Select(f => (Request: f, Token: SigningSecrets.NewToken())).ToList();
        if (renew.Count > 0)
        {
            await using (var cmd = IssuePlanner.Command(conn, ntx, """
                UPDATE consenthub.signature_requests r
                SET token_hash = t.token_hash, deadline = @deadline, expires_at = @expires, delivery = 'Email'
                FROM unnest(@ids, @hashes) AS t(id, token_hash)
                WHERE r.id = t.id
                """, null))
            {
                cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = renew.Select(r => r.Request.Id).ToArray() });
                cmd.Parameters.Add(new NpgsqlParameter("hashes", NpgsqlDbType.Array | NpgsqlDbType.Bytea)
                {
                    Value = renew.Select(r => SigningSecrets.HashToken(r.Token)).ToArray(),
                });
                cmd.Parameters.AddWithValue("deadline", deadline);
                cmd.Parameters.AddWithValue("expires", expiresAt);
                await cmd.ExecuteNonQueryAsync(ct);
            }
            var messages = renew.Select(r => emails.Build(new RequestEmails.Message(
                $"request-reissued:{r.Request.Id}:{Convert.ToHexStringLower(SigningSecrets.HashToken(r.Token))[..16]}", r.Request.Kind, r.Request.Email!.Trim(),
                r.Request.Kind == PartyKind.Pupil ? r.Request.PupilFirstName : r.Request.RecipientName, r.Request.Language, r.Request.PupilFirstName,
                r.Request.AcademyName, r.Request.AcademyId, deadline, r.Token, r.Request.ShortCode)) with
            { SignatureRequestId = r.Request.Id }).ToList();
            await outbox.WriteAsync(db, messages, ct);
            foreach (var (request, _) in renew)
            {
                await audit.AppendAsync(db, new AuditEvent(request.AcademyId, scope.Actor, "request.reissued", "SignatureRequest", request.Id.ToString(), request.PupilId,
                    new Dictionary<string, object?>
                    {
                        ["party"] = request.Kind.ToString(),
                        ["deadline"] = deadline.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    }), ct);
            }
        }
        await tx.CommitAsync(ct);
        return new Result.Done(new Summary(renew.Count, found.Count(f => !f.Expired), found.Count(f => f.Expired && !RequestEmails.IsUsable(f.Email)),
            ids.Length - found.Count, deadline));
    }

    private sealed record Found(Guid Id, Guid PupilId, Guid AcademyId, PartyKind Kind, bool Expired, string ShortCode, string AcademyName, string PupilFirstName,
        string RecipientName, string? Email, string? Language);
}
