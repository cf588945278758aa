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
/// Issues a published form version to an audience at one academy: one signature request per party the rules name
/// (parents with parental responsibility and no no-contact order for Nursery–Year 11, and for sixth-formers whom staff
/// flagged; the pupil from Year 7), each with its own link token and short code, and the request email through the
/// outbox, all in one transaction. Parties who already have an open request, or answered this form version, are
/// not asked again; the database's unique index on open requests per pupil × party backs that up, and issues at
/// one academy take turns, so two people issuing at once still ask everyone once. Open requests past their
/// expiry are closed (Expired) first, so those parties are asked afresh. After it commits, call
/// <see cref="RequestOutboxDrain"/> so the mail goes at once.
/// </summary>
public sealed class IssueConsentRequests(
    IDbContextFactory<ConsentHubDbContext> factory,
    OutboxWriter outbox,
    RequestEmails emails,
    IAuditLog audit,
    IOptions<SigningOptions> signing,
    TimeProvider clock)
{
    /// <summary>Outbox rows per statement: keeps one statement's parameters to a few megabytes.</summary>
    private const int EmailChunk = 500;

    private const int Attempts = 3;

    /// <param name="Deadline">The last day to answer (UK date); the link works until the end of it plus the grace period.</param>
    /// <param name="OnlyParties">
    /// Null for an ordinary issue. Set (by the rollover and renewal jobs) to ask only these parties of the audience,
    /// e.g. a new Year 7's own answer without asking the parent again on a newer form version.
    /// </param>
    /// <param name="Renewal">
    /// The parties' grants are running out: ask them even though they answered this form version, with the renewal email.
    /// </param>
    public sealed record Request(Guid AcademyId, Guid FormVersionId, IssueAudience Audience, DateOnly Deadline, IssueDelivery Delivery,
        IReadOnlyCollection<PartyRef>? OnlyParties = null, bool Renewal = false);

    /// <summary>One party of one pupil: the pupil (no contact) or a contact.</summary>
    public sealed record PartyRef(Guid PupilId, PartyKind Kind, Guid? ContactId);

    /// <param name="Skipped">Parties not asked again (already open, or answered this form version).</param>
    public sealed record Summary(
        Guid? IssueId,
        int Pupils,
        int RequestsCreated,
        int EmailsQueued,
        int OnPaper,
        int Skipped,
        IReadOnlyList<PupilWithoutParent> WithoutParent);

    public abstract record Result
    {
        /// <summary>Done. <see cref="Summary.RequestsCreated"/> is 0 (and nothing was written) when everyone had been asked.</summary>
        public sealed record Issued(Summary Summary) : Result;

        /// <summary>Nothing was written. The keys name the fields: academy, formVersion, audience, deadline, delivery.</summary>
        public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : Result;
    }

    public async Task<Result> HandleAsync(AccessScope scope, Request request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(request);
        var errors = IssuePlanner.Validate(request, UkCalendar.DateOf(clock.GetUtcNow()));
        if (errors.Count > 0) return new Result.Invalid(errors);

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await IssueOnceAsync(scope, request, ct);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && attempt < Attempts
                && e.ConstraintName is "ix_signature_requests_short_code" or "ix_signature_requests_token_hash")
            {
                // A new short code matched one issued at the same moment elsewhere: draw them again.
            }
        }
    }

    private async Task<Result> IssueOnceAsync(AccessScope scope, Request request, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(2));
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var ntx = (NpgsqlTransaction)tx.GetDbTransaction();

        // One issue per academy at a time: a second waits, then sees what the first created.
        await using (var lockCmd = IssuePlanner.Command(conn, ntx, "SELECT pg_advisory_xact_lock(hashtextextended('request-issue:' || @a::text, 0))", null))
        {
            lockCmd.Parameters.AddWithValue("a", request.AcademyId);
            await lockCmd.ExecuteNonQueryAsync(ct);
        }

        var now = clock.GetUtcNow();
        var (plan, errors) = await IssuePlanner.LoadAsync(conn, ntx, scope, request, now, ct);
        if (plan is null) return new Result.Invalid(errors);
        var preview = plan.ToPreview();
        var fresh = plan.NewParties.ToList();
        if (fresh.Count == 0)
        {
            await tx.RollbackAsync(ct);
            return new Result.Issued(new Summary(null, preview.Pupils, 0, 0, 0, preview.AlreadyOpen + preview.AlreadyAnswered, preview.WithoutParent));
        }

        var pupilIds = plan.Pupils.Select(p => p.Id).ToArray();
        int expired;
        await using (var cmd = IssuePlanner.Command(conn, ntx, """
            UPDATE consenthub.signature_requests SET status = 'Expired'
            WHERE pupil_id = ANY(@pupils) AND status = 'Open' AND expires_at <= @now
            """, null))
        {
            cmd.Parameters.Add(new NpgsqlParameter("pupils", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = pupilIds });
            cmd.Parameters.AddWithValue("now", now);
            expired = await cmd.ExecuteNonQueryAsync(ct);
        }

        var expiresAt = UkCalendar.StartOf(request.Deadline.AddDays(1)) + signing.Value.GracePeriod;
        var issue = new RequestIssue
        {
            Id = Guid.CreateVersion7(now),
            AcademyId = request.AcademyId,
            FormVersionId = request.FormVersionId,
            AudienceKind = request.Audience.Kind,
            AudienceDescription = IssuePlanner.Describe(request.Audience),
            Deadline = request.Deadline,
            Delivery = request.Delivery,
            IssuedBy = scope.Actor,
            IssuedAt = now,
            Pupils = preview.Pupils,
        };
        db.RequestIssues.Add(issue);
        await db.SaveChangesAsync(ct);

        var rows = fresh.Select(x => new NewRow(Guid.CreateVersion7(now), x.Pupil, x.Party, SigningSecrets.NewToken(), SigningSecrets.NewShortCode(),
            plan.ByEmail(x.Party) ? RequestDelivery.Email : RequestDelivery.Paper)).ToList();
        rows = await WithUnusedShortCodesAsync(conn, ntx, rows, ct);
        var inserted = await InsertAsync(conn, ntx, request, issue, rows, now, expiresAt, ct);

        var messages = new List<OutgoingEmail>();
        foreach (var row in rows.Where(r => inserted.Contains(r.Id) && r.Delivery == RequestDelivery.Email))
        {
            messages.Add(emails.Build(new RequestEmails.Message($"request-issued:{row.Id}", row.Party.Kind, row.Party.Email!, row.Party.Name,
                row.Party.Language, row.Pupil.FirstName, plan.AcademyName, request.AcademyId, request.Deadline, row.Token, row.ShortCode)
            {
                Renewal = request.Renewal,
                Names = row.Party.Names,
            })
                with
            { SignatureRequestId = row.Id });
        }
        var queued = 0;
        foreach (var chunk in messages.Chunk(EmailChunk)) queued += await outbox.WriteAsync(db, chunk, ct);

        issue.RequestsCreated = inserted.Count;
        issue.EmailsQueued = queued;
        issue.OnPaper = rows.Count(r => inserted.Contains(r.Id) && r.Delivery == RequestDelivery.Paper);
        issue.Skipped = preview.AlreadyOpen + preview.AlreadyAnswered + (rows.Count - inserted.Count);
        await db.SaveChangesAsync(ct);

        await audit.AppendAsync(db, new AuditEvent(request.AcademyId, scope.Actor, "requests.issued", "RequestIssue", issue.Id.ToString(),
            Data: new Dictionary<string, object?>
            {
                ["formVersionId"] = request.FormVersionId.ToString(),
                ["formVersion"] = plan.FormLabel,
                ["audience"] = request.Audience.Kind.ToString(),
                ["audienceDescription"] = issue.AudienceDescription,
                ["deadline"] = request.Deadline.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["delivery"] = request.Delivery.ToString(),
                ["pupils"] = issue.Pupils,
                ["requests"] = issue.RequestsCreated,
                ["emails"] = issue.EmailsQueued,
                ["paper"] = issue.OnPaper,
                ["skipped"] = issue.Skipped,
                ["expiredClosed"] = expired,
                ["withoutParent"] = preview.WithoutParent.Count,
                ["renewal"] = request.Renewal,
                ["onlyParties"] = request.OnlyParties?.Count,
            }), ct);
        await tx.CommitAsync(ct);
        return new Result.Issued(new Summary(issue.Id, issue.Pupils, issue.RequestsCreated, issue.EmailsQueued, issue.OnPaper, issue.Skipped, preview.WithoutParent));
    }

    private sealed record NewRow(Guid Id, IssuePlanner.PlannedPupil Pupil, IssuePlanner.Party Party, string Token, string ShortCode, RequestDelivery Delivery);

    /// <summary>Draws again any new short code that is already in use (or drawn twice), before the insert meets the unique index.</summary>
    private static async Task<List<NewRow>> WithUnusedShortCodesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, List<NewRow> rows, CancellationToken ct)
    {
        while (true)
        {
            var taken = new HashSet<string>(StringComparer.Ordinal);
            await using (var cmd = IssuePlanner.Command(conn, tx, "SELECT short_code FROM consenthub.signature_requests WHERE short_code = ANY(@codes::bpchar[])", null))
            {
                cmd.Parameters.Add(new NpgsqlParameter("codes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.ShortCode).ToArray() });
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct)) taken.Add(reader.GetString(0));
            }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var redrawn = false;
            for (var i = 0; i < rows.Count; i++)
            {
                if (taken.Contains(rows[i].ShortCode) || !seen.Add(rows[i].ShortCode))
                {
                    rows[i] = rows[i] with { ShortCode = SigningSecrets.NewShortCode() };
                    redrawn = true;
                }
            }
            if (!redrawn) return rows;
        }
    }

    private static async Task<HashSet<Guid>> InsertAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Request request, RequestIssue issue, List<NewRow> rows,
        DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken ct)
    {
        // ON CONFLICT on the open-party index: a party that gained an open request since the plan was read is
        // skipped, not asked twice (and gets no email: only returned ids are mailed).
        await using var cmd = IssuePlanner.Command(conn, tx, """
            INSERT INTO consenthub.signature_requests
                (id, pupil_id, academy_id, form_version_id, party_kind, contact_id, issued_at, issued_by, deadline, status,
                 token_hash, short_code, expires_at, issue_id, delivery)
            SELECT t.id, t.pupil_id, @academy, @form, t.party_kind, t.contact_id, @now, @by, @deadline, 'Open',
                   t.token_hash, t.short_code, @expires, @issue, t.delivery
            FROM unnest(@ids, @pupils, @kinds, @contacts, @hashes, @codes, @deliveries)
                AS t(id, pupil_id, party_kind, contact_id, token_hash, short_code, delivery)
            ORDER BY t.pupil_id, t.party_kind, t.contact_id
            ON CONFLICT (pupil_id, party_kind, contact_id) WHERE status = 'Open' DO NOTHING
            RETURNING id
            """, null);
        cmd.Parameters.AddWithValue("academy", request.AcademyId);
        cmd.Parameters.AddWithValue("form", request.FormVersionId);
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("by", issue.IssuedBy);
        cmd.Parameters.AddWithValue("deadline", request.Deadline);
        cmd.Parameters.AddWithValue("expires", expiresAt);
        cmd.Parameters.AddWithValue("issue", issue.Id);
        cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = rows.Select(r => r.Id).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("pupils", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = rows.Select(r => r.Pupil.Id).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("kinds", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Party.Kind.ToString()).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("contacts", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = rows.Select(r => r.Party.ContactId).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("hashes", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = rows.Select(r => SigningSecrets.HashToken(r.Token)).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("codes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.ShortCode).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("deliveries", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Delivery.ToString()).ToArray() });
        var inserted = new HashSet<Guid>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) inserted.Add(reader.GetGuid(0));
        return inserted;
    }
}
