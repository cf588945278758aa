using ConsentHub.Access;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Data;
using ConsentHub.Pupils;
using ConsentHub.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConsentHub.Renewals;

/// <summary>
/// The daily renewal job: every current grant that stops counting within <see cref="RenewalOptions.NoticeDays"/>
/// (a purpose valid for some months or to the end of the academic year, or a form version the trust retired with
/// a "valid through" date; the rule engine's <see cref="ConsentRules.GrantExpiresOn"/> decides the date) gets its
/// party asked again, once per grant: a renewal request through the ordinary issuing path on the current form
/// version, with the renewal email. Parties the rules no longer ask (a Year 12's parent) are not asked to renew.
/// Runs take turns across app instances (a run that finds another running returns at once).
/// </summary>
public sealed class AskForRenewals(
    IDbContextFactory<ConsentHubDbContext> factory,
    IssueConsentRequests issue,
    IOptions<RenewalOptions> options,
    TimeProvider clock,
    ILogger<AskForRenewals> logger)
{
    public const string SystemActor = "system:renewals";

    public sealed record Summary(int Grants, int PartiesAsked, int RequestsCreated, int EmailsQueued);

    private sealed record Grant(long AnswerId, Guid PupilId, Guid AcademyId, PartyKind Kind, Guid? ContactId, DateOnly ExpiresOn);

    public async Task<Summary> RunAsync(CancellationToken ct)
    {
        await using var lockDb = await factory.CreateDbContextAsync(ct);
        await lockDb.Database.OpenConnectionAsync(ct);
        var lockConn = (NpgsqlConnection)lockDb.Database.GetDbConnection();
        if (!await LockAsync(lockConn, "pg_try_advisory_lock", ct)) return new Summary(0, 0, 0, 0);
        try
        {
            return await RunLockedAsync(ct);
        }
        finally
        {
            await LockAsync(lockConn, "pg_advisory_unlock", CancellationToken.None);
        }
    }

    private static async Task<bool> LockAsync(NpgsqlConnection conn, string function, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"SELECT {function}(hashtextextended('renewals', 0))", conn);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private async Task<Summary> RunLockedAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = UkCalendar.DateOf(now);
        var o = options.Value;
        await using var db = await factory.CreateDbContextAsync(ct);
        var trust = await db.Trusts.AsNoTracking().FirstOrDefaultAsync(ct);
        var settings = new ConsentRuleSettings(trust?.RequireEveryParentalResponsibilityHolder ?? false, trust?.AcademicYearStartMonth ?? 9, trust?.AcademicYearStartDay ?? 1);
        var form = await db.FormVersions.AsNoTracking().Where(f => f.PublishedAt != null && f.ConsentValidThrough == null)
            .OrderByDescending(f => f.PublishedAt).Select(f => (Guid?)f.Id).FirstOrDefaultAsync(ct);
        if (form is null)
        {
            logger.LogWarning("Renewals: no published form version to ask on");
            return new Summary(0, 0, 0, 0);
        }

        var due = await ReadDueAsync(db, settings, today, o.NoticeDays, ct);
        var asked = 0;
        var created = 0;
        var queued = 0;
        foreach (var academy in due.GroupBy(g => g.AcademyId))
        {
            var parties = academy.Select(g => new IssueConsentRequests.PartyRef(g.PupilId, g.Kind, g.ContactId)).Distinct().ToList();
            var request = new IssueConsentRequests.Request(academy.Key, form.Value, IssueAudience.Chosen([.. parties.Select(p => p.PupilId).Distinct()]),
                today.AddDays(o.DeadlineDays), IssueDelivery.EmailWherePossible, OnlyParties: parties, Renewal: true);
            Guid? issueId = null;
            switch (await issue.HandleAsync(AccessScope.Academy(academy.Key, SystemActor), request, ct))
            {
                case IssueConsentRequests.Result.Issued { Summary: var s }:
                    issueId = s.IssueId;
                    created += s.RequestsCreated;
                    queued += s.EmailsQueued;
                    break;
                case IssueConsentRequests.Result.Invalid { Errors: var e }:
                    logger.LogWarning("Renewals at academy {AcademyId}: the issue was refused ({Fields})", academy.Key, string.Join(", ", e.Keys));
                    continue;
            }
            asked += parties.Count;
            // Recorded after the issue commits: a crash in between only means the next run issues again, which asks
            // nobody twice (they now hold an open request) and then records these.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            foreach (var g in academy)
            {
                await db.Database.ExecuteSqlInterpolatedAsync($"""
                    INSERT INTO consenthub.renewal_asks (answer_id, pupil_id, academy_id, expires_on, asked_at, issue_id)
                    VALUES ({g.AnswerId}, {g.PupilId}, {g.AcademyId}, {g.ExpiresOn}, {now}, {issueId})
                    ON CONFLICT (answer_id) DO NOTHING
                    """, ct);
            }
            await tx.CommitAsync(ct);
        }
        return new Summary(due.Count, asked, created, queued);
    }

    private sealed record Row(long AnswerId, Guid PupilId, Guid AcademyId, PartyKind Kind, Guid? ContactId, DateTimeOffset At, ValidityKind Validity, int Months,
        DateOnly? ValidThrough, int YearGroup, bool AlsoAskParent, bool HasResponsibility, bool NoContactOrder);

    /// <summary>Current grants of pupils on roll with a time limit, not yet asked to renew; the rule engine picks those within the notice.</summary>
    private static async Task<List<Grant>> ReadDueAsync(ConsentHubDbContext db, ConsentRuleSettings settings, DateOnly today, int noticeDays, CancellationToken ct)
    {
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        var rows = new List<Row>();
        await using (var cmd = new NpgsqlCommand($"""
            SELECT ca.answer_id, ca.pupil_id, p.academy_id, ca.party_kind, nullif(ca.party_id, '00000000-0000-0000-0000-000000000000'::uuid),
                   ca.at, pu.validity_kind, pu.validity_months, fv.consent_valid_through, p.year_group, p.also_ask_parent,
                   coalesce(pc.has_parental_responsibility, false), coalesce(pc.no_contact_order, false)
            FROM consenthub.current_answers ca
            JOIN consenthub.pupils p ON p.id = ca.pupil_id
            JOIN consenthub.purposes pu ON pu.id = ca.purpose_id AND pu.active
            JOIN consenthub.form_versions fv ON fv.id = ca.form_version_id
            LEFT JOIN consenthub.pupil_contacts pc ON ca.party_kind = 'Contact' AND pc.pupil_id = ca.pupil_id AND pc.contact_id = ca.party_id
            WHERE ca.kind = 'Grant'
              AND {OnRoll.Sql()}
              AND (pu.validity_kind <> 'UntilWithdrawn' OR fv.consent_valid_through IS NOT NULL)
              AND NOT EXISTS (SELECT 1 FROM consenthub.renewal_asks ra WHERE ra.answer_id = ca.answer_id)
              AND (ca.party_kind = 'Pupil' OR pc.contact_id IS NOT NULL)
            ORDER BY p.academy_id, ca.pupil_id
            """, conn))
        {
            cmd.Parameters.AddWithValue("today", today);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add(new Row(reader.GetInt64(0), reader.GetGuid(1), reader.GetGuid(2), Enum.Parse<PartyKind>(reader.GetString(3)),
                    reader.IsDBNull(4) ? null : reader.GetGuid(4), reader.GetFieldValue<DateTimeOffset>(5), Enum.Parse<ValidityKind>(reader.GetString(6)),
                    reader.GetInt32(7), reader.IsDBNull(8) ? null : reader.GetFieldValue<DateOnly>(8), reader.GetInt32(9), reader.GetBoolean(10),
                    reader.GetBoolean(11), reader.GetBoolean(12)));
            }
        }
        var due = new List<Grant>();
        foreach (var r in rows)
        {
            var pupil = new PupilFacts(new YearGroup(r.YearGroup), null, r.AlsoAskParent, false, []);
            var stillAsked = r.Kind == PartyKind.Pupil
                ? ConsentRules.NeedsPupil(pupil)
                : ConsentRules.NeedsParent(pupil) && ConsentRules.Counts(new ContactFacts(r.ContactId!.Value, "", r.HasResponsibility, r.NoContactOrder));
            if (!stillAsked) continue;
            var validity = r.Validity switch
            {
                ValidityKind.Months => PurposeValidity.ForMonths(r.Months),
                ValidityKind.EndOfAcademicYear => PurposeValidity.EndOfAcademicYear,
                _ => PurposeValidity.UntilWithdrawn,
            };
            var expires = ConsentRules.GrantExpiresOn(new AnswerFacts(r.Kind, r.ContactId, AnswerKind.Grant, r.At, r.AnswerId, r.ValidThrough),
                new PurposeFacts("", "", LawfulBasis.Consent, validity, false), settings);
            if (expires is { } e && e > today && e.AddDays(-noticeDays) <= today)
                due.Add(new Grant(r.AnswerId, r.PupilId, r.AcademyId, r.Kind, r.ContactId, e));
        }
        return due;
    }
}
