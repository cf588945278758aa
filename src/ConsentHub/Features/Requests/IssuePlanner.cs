using ConsentHub.Access;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Pupils;
using Npgsql;
using NpgsqlTypes;

namespace ConsentHub.Requests;

/// <summary>
/// What issuing a form to an audience would do, shared by <see cref="PreviewConsentRequests"/> and
/// <see cref="IssueConsentRequests"/> so the preview's counts are exactly what the issue creates. The audience is
/// read in SQL (scope, academy, on roll, the chosen year groups / classes / pupils / start date); who must answer
/// for each pupil is decided by the rule engine (<see cref="ConsentRules.NeedsParent"/>,
/// <see cref="ConsentRules.NeedsPupil"/>, <see cref="ConsentRules.Counts"/>), never again here.
/// </summary>
internal static class IssuePlanner
{
    public const int MaxChosenPupils = 5_000;

    internal enum Existing
    {
        None = 0,

        /// <summary>Already has an open request (any form version): not asked twice.</summary>
        Open = 1,

        /// <summary>Already answered this form version: nothing to ask.</summary>
        Answered = 2,
    }

    internal sealed record Party(PartyKind Kind, Guid? ContactId, string Name, string? Email, string? Language, Existing Existing)
    {
        /// <summary>A parent's name in parts, for the greeting of their email.</summary>
        public ConsentHub.Pupils.ContactName? Names { get; init; }
    }

    internal sealed record PlannedPupil(Guid Id, string FirstName, string Name, int YearGroup, string? RegistrationGroup, IReadOnlyList<Party> Parties, bool MissingParent);

    internal sealed record Plan(string AcademyName, string FormLabel, IReadOnlyList<PlannedPupil> Pupils, IssueDelivery Delivery)
    {
        public IEnumerable<(PlannedPupil Pupil, Party Party)> NewParties =>
            Pupils.SelectMany(p => p.Parties.Where(x => x.Existing == Existing.None).Select(x => (p, x)));

        public bool ByEmail(Party party) => Delivery == IssueDelivery.EmailWherePossible && party.Email is not null;

        public IssuePreview ToPreview()
        {
            var fresh = NewParties.Select(x => x.Party).ToList();
            var all = Pupils.SelectMany(p => p.Parties).ToList();
            return new IssuePreview(
                Pupils.Count,
                fresh.Count,
                fresh.Count(p => p.Kind == PartyKind.Contact && ByEmail(p)),
                fresh.Count(p => p.Kind == PartyKind.Pupil && ByEmail(p)),
                fresh.Count(p => !ByEmail(p)),
                all.Count(p => p.Existing == Existing.Open),
                all.Count(p => p.Existing == Existing.Answered),
                [.. Pupils.Where(p => p.MissingParent)
                    .OrderBy(p => p.YearGroup).ThenBy(p => p.RegistrationGroup, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal)
                    .Select(p => new PupilWithoutParent(p.Id, p.Name, new YearGroup(p.YearGroup).DisplayName, p.RegistrationGroup, p.Parties.Count > 0))]);
        }
    }

    /// <summary>Checks what needs no database; the keys name the fields.</summary>
    public static Dictionary<string, string[]> Validate(IssueConsentRequests.Request r, DateOnly today)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        switch (r.Audience.Kind)
        {
            case AudienceKind.WholeAcademy:
                break;
            case AudienceKind.YearGroups when r.Audience.YearGroups is not { Count: > 0 }:
                errors["audience"] = ["Choose at least one year group."];
                break;
            case AudienceKind.YearGroups when r.Audience.YearGroups.Any(y => y is < YearGroup.MinValue or > YearGroup.MaxValue):
                errors["audience"] = ["A year group is Nursery, Reception or Years 1 to 13."];
                break;
            case AudienceKind.RegistrationGroups when r.Audience.RegistrationGroups?.Any(g => !string.IsNullOrWhiteSpace(g)) != true:
                errors["audience"] = ["Choose at least one class."];
                break;
            case AudienceKind.ChosenPupils when r.Audience.PupilIds is not { Count: > 0 }:
                errors["audience"] = ["Choose at least one pupil."];
                break;
            case AudienceKind.ChosenPupils when r.Audience.PupilIds.Count > MaxChosenPupils:
                errors["audience"] = [$"Choose at most {MaxChosenPupils:N0} pupils one by one, or choose year groups or the whole academy."];
                break;
            case AudienceKind.NewStarters when r.Audience.StartedSince is null:
                errors["audience"] = ["Enter the date from which new starters are counted."];
                break;
            case AudienceKind.NewStarters when r.Audience.StartedSince > today:
                errors["audience"] = ["New starters are counted from a date in the past: choose today or earlier."];
                break;
            case AudienceKind.WholeAcademy or AudienceKind.YearGroups or AudienceKind.RegistrationGroups or AudienceKind.ChosenPupils or AudienceKind.NewStarters:
                break;
            default:
                errors["audience"] = ["Choose who the form goes to."];
                break;
        }
        if (r.Deadline < today) errors["deadline"] = [$"The deadline cannot be in the past: choose {UkCalendar.Format(today)} or later."];
        else if (r.Deadline > today.AddDays(366)) errors["deadline"] = ["Choose a deadline within a year."];
        if (!Enum.IsDefined(r.Delivery)) errors["delivery"] = ["Choose how the form is delivered."];
        return errors;
    }

    /// <summary>
    /// Reads the audience and its parties. Errors for an academy outside the caller's scope, a form version that is
    /// not published (or was retired), and an audience with nobody on roll.
    /// </summary>
    public static async Task<(Plan? Plan, Dictionary<string, string[]> Errors)> LoadAsync(
        NpgsqlConnection conn, NpgsqlTransaction? tx, AccessScope scope, IssueConsentRequests.Request r, DateTimeOffset now, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var today = UkCalendar.DateOf(now);

        string? academyName;
        await using (var cmd = Command(conn, tx, $"SELECT a.name FROM consenthub.academies a WHERE a.id = @academy AND {AccessScope.Condition("a.id")}", scope))
        {
            cmd.Parameters.AddWithValue("academy", r.AcademyId);
            academyName = (string?)await cmd.ExecuteScalarAsync(ct);
        }
        if (academyName is null) errors["academy"] = ["Choose an academy you may issue forms for."];

        string? formLabel = null;
        await using (var cmd = Command(conn, tx, "SELECT label, published_at IS NOT NULL, consent_valid_through IS NOT NULL FROM consenthub.form_versions WHERE id = @id", null))
        {
            cmd.Parameters.AddWithValue("id", r.FormVersionId);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct) || !reader.GetBoolean(1)) errors["formVersion"] = ["Choose a published form version."];
            else if (reader.GetBoolean(2)) errors["formVersion"] = [$"Form version {reader.GetString(0)} has been retired: choose the current one."];
            else formLabel = reader.GetString(0);
        }
        if (errors.Count > 0) return (null, errors);

        var pupils = await ReadPupilsAsync(conn, tx, scope, r, today, ct);
        if (pupils.Count == 0)
        {
            errors["audience"] = ["No pupils on roll at this academy match this audience."];
            return (null, errors);
        }
        var ids = pupils.Select(p => p.Id).ToArray();
        var contacts = await ReadContactsAsync(conn, tx, ids, ct);
        var existing = await ReadExistingAsync(conn, tx, ids, r.FormVersionId, now, ct);

        // The jobs name the parties to ask; a renewal asks them although they answered this version (that answer is running out).
        HashSet<(Guid, PartyKind, Guid?)>? only = r.OnlyParties is null ? null : [.. r.OnlyParties.Select(x => (x.PupilId, x.Kind, x.Kind == PartyKind.Pupil ? null : x.ContactId))];
        Existing Renewing(Existing e) => r.Renewal && e == Existing.Answered ? Existing.None : e;

        var planned = new List<PlannedPupil>(pupils.Count);
        foreach (var p in pupils)
        {
            var links = contacts.TryGetValue(p.Id, out var l) ? l : [];
            var facts = new PupilFacts(new YearGroup(p.YearGroup), null, p.AlsoAskParent, false,
                [.. links.Select(c => new ContactFacts(c.ContactId, c.Name, c.HasResponsibility, c.NoContactOrder))]);
            var parties = new List<Party>();
            var missingParent = false;
            if (ConsentRules.NeedsParent(facts))
            {
                var counted = links.Where(c => ConsentRules.Counts(new ContactFacts(c.ContactId, c.Name, c.HasResponsibility, c.NoContactOrder)))
                    .OrderBy(c => c.Priority).ThenBy(c => c.ContactId).ToList();
                missingParent = counted.Count == 0;
                parties.AddRange(counted.Select(c => new Party(PartyKind.Contact, c.ContactId, c.Name,
                    c.EmailFailing || !RequestEmails.IsUsable(c.Email) ? null : c.Email!.Trim(), c.Language,
                    Renewing(existing.GetValueOrDefault((p.Id, PartyKind.Contact, c.ContactId))))
                { Names = c.Names }));
            }
            if (ConsentRules.NeedsPupil(facts))
            {
                parties.Add(new Party(PartyKind.Pupil, null, p.Name, RequestEmails.IsUsable(p.SchoolEmail) ? p.SchoolEmail!.Trim() : null, null,
                    Renewing(existing.GetValueOrDefault((p.Id, PartyKind.Pupil, null)))));
            }
            if (only is not null) parties.RemoveAll(x => !only.Contains((p.Id, x.Kind, x.ContactId)));
            planned.Add(new PlannedPupil(p.Id, p.FirstName, p.Name, p.YearGroup, p.RegistrationGroup, parties, missingParent && only is null));
        }
        return (new Plan(academyName!, formLabel!, planned, r.Delivery), errors);
    }

    /// <summary>"Whole academy", "Years 7, 8", "Classes 7A, 7B", "3 chosen pupils", "New starters since 1 Sep 2026".</summary>
    public static string Describe(IssueAudience a) => a.Kind switch
    {
        AudienceKind.YearGroups => (a.YearGroups!.Count == 1 ? "" : "Year groups: ") + string.Join(", ", a.YearGroups!.Distinct().Order().Select(YearName)),
        AudienceKind.RegistrationGroups => (a.RegistrationGroups!.Count == 1 ? "Class " : "Classes ") + string.Join(", ", Groups(a).Order(StringComparer.Ordinal)),
        AudienceKind.ChosenPupils => a.PupilIds!.Distinct().Count() is 1 ? "1 chosen pupil" : $"{a.PupilIds!.Distinct().Count()} chosen pupils",
        AudienceKind.NewStarters => $"New starters since {UkCalendar.Format(a.StartedSince!.Value)}",
        _ => "Whole academy",
    };

    /// <summary>"Nursery N1", "Nursery N2", "Reception", "Year 9": both nursery years are told apart.</summary>
    public static string YearName(int year) => year < 0 ? "Nursery " + new YearGroup(year).Code : new YearGroup(year).DisplayName;

    private static string[] Groups(IssueAudience a) =>
        [.. (a.RegistrationGroups ?? []).Where(g => !string.IsNullOrWhiteSpace(g)).Select(g => g.Trim()).Distinct(StringComparer.Ordinal)];

    private sealed record PupilRow(Guid Id, string FirstName, string Name, int YearGroup, string? RegistrationGroup, string? SchoolEmail, bool AlsoAskParent);

    private sealed record ContactRow(Guid ContactId, string Name, string? Email, bool EmailFailing, string Language, bool HasResponsibility, bool NoContactOrder, int Priority)
    {
        public ConsentHub.Pupils.ContactName? Names { get; init; }
    }

    private static async Task<List<PupilRow>> ReadPupilsAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, AccessScope scope, IssueConsentRequests.Request r, DateOnly today, CancellationToken ct)
    {
        var audience = r.Audience.Kind switch
        {
            AudienceKind.YearGroups => "AND p.year_group = ANY(@years)",
            AudienceKind.RegistrationGroups => "AND p.registration_group = ANY(@groups)",
            AudienceKind.ChosenPupils => "AND p.id = ANY(@pupils)",
            AudienceKind.NewStarters => "AND p.started_on >= @since",
            _ => "",
        };
        await using var cmd = Command(conn, tx, $"""
            SELECT p.id, p.display_first_name,
                   p.display_name,
                   p.year_group, p.registration_group, p.school_email, p.also_ask_parent
            FROM consenthub.pupils p
            WHERE p.academy_id = @academy AND {AccessScope.Condition("p.academy_id")}
              AND {OnRoll.Sql()} {audience}
            ORDER BY p.id
            """, scope);
        cmd.Parameters.AddWithValue("academy", r.AcademyId);
        cmd.Parameters.AddWithValue("today", today);
        switch (r.Audience.Kind)
        {
            case AudienceKind.YearGroups:
                cmd.Parameters.Add(new NpgsqlParameter("years", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = r.Audience.YearGroups!.Distinct().ToArray() });
                break;
            case AudienceKind.RegistrationGroups:
                cmd.Parameters.Add(new NpgsqlParameter("groups", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = Groups(r.Audience) });
                break;
            case AudienceKind.ChosenPupils:
                cmd.Parameters.Add(new NpgsqlParameter("pupils", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = r.Audience.PupilIds!.Distinct().ToArray() });
                break;
            case AudienceKind.NewStarters:
                cmd.Parameters.AddWithValue("since", r.Audience.StartedSince!.Value);
                break;
        }
        var rows = new List<PupilRow>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new PupilRow(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetBoolean(6)));
        }
        return rows;
    }

    private static async Task<Dictionary<Guid, List<ContactRow>>> ReadContactsAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid[] pupilIds, CancellationToken ct)
    {
        await using var cmd = Command(conn, tx, """
            SELECT pc.pupil_id, c.id, concat_ws(' ', nullif(btrim(c.title), ''), c.first_name, c.last_name), c.email, c.email_failing_since IS NOT NULL,
                   c.preferred_language, pc.has_parental_responsibility, pc.no_contact_order, pc.priority,
                   c.title, c.first_name, c.last_name
            FROM consenthub.pupil_contacts pc JOIN consenthub.contacts c ON c.id = pc.contact_id
            WHERE pc.pupil_id = ANY(@pupils)
            """, null);
        cmd.Parameters.Add(new NpgsqlParameter("pupils", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = pupilIds });
        var result = new Dictionary<Guid, List<ContactRow>>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var pupil = reader.GetGuid(0);
            if (!result.TryGetValue(pupil, out var list)) result[pupil] = list = [];
            list.Add(new ContactRow(reader.GetGuid(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetBoolean(4),
                reader.GetString(5), reader.GetBoolean(6), reader.GetBoolean(7), reader.GetInt32(8))
            {
                Names = new ConsentHub.Pupils.ContactName(reader.IsDBNull(9) ? null : reader.GetString(9), reader.GetString(10), reader.GetString(11)),
            });
        }
        return result;
    }

    /// <summary>
    /// Parties already asked: an open request that has not run out (one past its expiry is closed by the issue),
    /// or an answered request on this form version.
    /// </summary>
    private static async Task<Dictionary<(Guid, PartyKind, Guid?), Existing>> ReadExistingAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid[] pupilIds,
        Guid formVersionId, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = Command(conn, tx, """
            SELECT pupil_id, party_kind, contact_id, bool_or(status = 'Open')
            FROM consenthub.signature_requests
            WHERE pupil_id = ANY(@pupils)
              AND ((status = 'Open' AND expires_at > @now) OR (status = 'Answered' AND form_version_id = @form))
            GROUP BY pupil_id, party_kind, contact_id
            """, null);
        cmd.Parameters.Add(new NpgsqlParameter("pupils", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = pupilIds });
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("form", formVersionId);
        var result = new Dictionary<(Guid, PartyKind, Guid?), Existing>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var kind = Enum.Parse<PartyKind>(reader.GetString(1));
            Guid? contact = reader.IsDBNull(2) ? null : reader.GetGuid(2);
            result[(reader.GetGuid(0), kind, kind == PartyKind.Pupil ? null : contact)] = reader.GetBoolean(3) ? Existing.Open : Existing.Answered;
        }
        return result;
    }

    internal static NpgsqlCommand Command(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, AccessScope? scope)
    {
        var cmd = new NpgsqlCommand(sql, conn, tx);
        if (scope is not null)
        {
            cmd.Parameters.AddScope(scope);
        }
        return cmd;
    }
}
