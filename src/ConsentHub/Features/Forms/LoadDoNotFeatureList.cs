using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Text;
using Npgsql;

namespace ConsentHub.Forms;

/// <summary>
/// The do-not-feature list for a class, a year group or an event's chosen pupils, for one purpose, as it stands now;
/// audited as a print (who, which group, purpose, how many listed; never names). A class or year lists the pupils on
/// roll; an event's chosen pupils are listed as chosen, so one who has left is listed as having left.
/// </summary>
public sealed class LoadDoNotFeatureList(NpgsqlDataSource dataSource, ConsentStatusReader reader, IAuditLog audit, TimeProvider clock)
{
    /// <summary>Exactly one of <paramref name="RegistrationGroup"/>, <paramref name="YearGroup"/> and <paramref name="PupilIds"/>.</summary>
    public sealed record Request(Guid AcademyId, string PurposeKey, string? RegistrationGroup = null, int? YearGroup = null,
        IReadOnlyList<Guid>? PupilIds = null, string? EventName = null);

    public abstract record Result
    {
        public sealed record Loaded(DoNotFeatureList List) : Result;

        /// <summary>The academy does not exist or is outside the caller's scope.</summary>
        public sealed record NotFound : Result;

        public sealed record Invalid(string Message) : Result;
    }

    public async Task<Result> HandleAsync(AccessScope scope, Request request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(request);
        var chosen = (request.RegistrationGroup is not null ? 1 : 0) + (request.YearGroup is not null ? 1 : 0) + (request.PupilIds is not null ? 1 : 0);
        if (chosen != 1) return new Result.Invalid("Choose one class, one year group or the pupils of an event.");
        if (request.YearGroup is { } y && (y < YearGroup.MinValue || y > YearGroup.MaxValue)) return new Result.Invalid($"There is no year group {y}.");
        if (request.PupilIds is { Count: 0 }) return new Result.Invalid("Choose at least one pupil for the event.");
        if (request.RegistrationGroup is { } g && string.IsNullOrWhiteSpace(g)) return new Result.Invalid("Choose a class.");

        var academyName = await AcademyNameAsync(scope, request.AcademyId, ct);
        if (academyName is null) return new Result.NotFound();
        if (!await reader.PurposeExistsAsync(request.PurposeKey, ct)) return new Result.Invalid($"There is no purpose \"{request.PurposeKey}\".");

        IReadOnlyList<PupilConsent> pupils;
        string label;
        if (request.PupilIds is { } ids)
        {
            var wanted = ids.ToHashSet();
            var roster = await reader.ForRosterAsync(scope, new RosterFilter(request.AcademyId, IncludeLeavers: true), request.PurposeKey, ct);
            pupils = [.. roster.Where(p => wanted.Contains(p.PupilId))];
            label = string.IsNullOrWhiteSpace(request.EventName) ? "Chosen pupils" : request.EventName.Trim();
        }
        else if (request.RegistrationGroup is { } group)
        {
            pupils = await reader.ForRosterAsync(scope, new RosterFilter(request.AcademyId, RegistrationGroup: group.Trim()), request.PurposeKey, ct);
            label = $"Class {group.Trim()}";
        }
        else
        {
            var year = new YearGroup(request.YearGroup!.Value);
            pupils = await reader.ForRosterAsync(scope, new RosterFilter(request.AcademyId, YearGroup: year), request.PurposeKey, ct);
            label = year.DisplayName;
        }

        var purposeName = pupils.Count > 0 ? pupils[0].Purposes[0].Name : await PurposeNameAsync(request.PurposeKey, ct);
        var notAllowed = pupils.Where(p => p.Purposes[0].Decision.Status != ConsentStatus.Allowed).ToList();
        var names = await SortNamesAsync([.. notAllowed.Select(p => p.PupilId)], ct);
        // By surname, then first name, as a register reads and as the Check page lists them: the one name order
        // (Đặng after Dalton and before Dyer, Ødegaard with the Os), whatever order the rows came in.
        var listed = notAllowed
            .OrderBy(p => names.GetValueOrDefault(p.PupilId).Last ?? p.DisplayName, NameOrder.Comparer)
            .ThenBy(p => names.GetValueOrDefault(p.PupilId).First ?? "", NameOrder.Comparer)
            .ThenBy(p => p.PupilId)
            .Select(p => new DoNotFeatureEntry(p.DisplayName, p.RegistrationGroup, ReasonLine(p.Purposes[0].Decision)))
            .ToList();
        var list = new DoNotFeatureList(academyName, label, purposeName, clock.GetUtcNow(), listed, pupils.Count - listed.Count)
        {
            AcademyLogo = await LogoAsync(request.AcademyId, ct),
        };

        audit.RecordRead(new AuditEvent(request.AcademyId, scope.Actor, "forms.do-not-feature-printed", "Academy", request.AcademyId.ToString(),
            Data: new Dictionary<string, object?>
            {
                ["purpose"] = request.PurposeKey,
                ["class"] = request.RegistrationGroup?.Trim(),
                ["yearGroup"] = request.YearGroup,
                ["chosenPupils"] = request.PupilIds?.Count,
                ["listed"] = listed.Count,
                ["mayBeFeatured"] = list.MayBeFeatured,
            }));
        return new Result.Loaded(list);
    }

    /// <summary>
    /// One line a teacher acts on. Parties are named by role, not by name; a safeguarding flag is only ever "Do not
    /// photograph or feature" (its reason is not in the check facts at all).
    /// </summary>
    public static string ReasonLine(ConsentDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        switch (decision.Ground)
        {
            case DecisionGround.NeverFeature:
                return "Do not photograph or feature";
            case DecisionGround.PostingPause:
            case DecisionGround.Left:
                return decision.Reason.TrimEnd('.');
        }
        var objections = decision.RequiredParties.Where(p => p.State is PartyState.Refused or PartyState.Withdrawn).ToList();
        if (objections.Count > 0)
            return string.Join("; ", objections.Select(p => p.State == PartyState.Refused
                ? $"Refused by {Role(p)} on {UkCalendar.Format(p.LatestAnswer!.At)}"
                : $"Withdrawn by {Role(p)} on {UkCalendar.Format(p.LatestAnswer!.At)}"));
        if (decision.MissingParent && !decision.RequiredParties.Any(p => p.State == PartyState.NotAnswered || p.State == PartyState.Expired))
            return "No parent who can give consent is recorded: ask the office to add one";
        if (decision.Status == ConsentStatus.NotRequested) return "Not asked yet";
        var parts = new List<string>();
        if (decision.MissingParent) parts.Add("No parent who can give consent is recorded");
        var waiting = decision.RequiredParties.Where(p => p.State == PartyState.NotAnswered).Select(Role).Distinct().ToList();
        if (waiting.Count > 0) parts.Add("Not yet answered by " + string.Join(" and ", waiting));
        foreach (var expired in decision.RequiredParties.Where(p => p.State == PartyState.Expired))
            parts.Add($"Consent of {Role(expired)} expired on {UkCalendar.Format(expired.ExpiredOn!.Value)}");
        return parts.Count > 0 ? string.Join("; ", parts) : "Waiting for an answer";
    }

    private static string Role(RequiredParty party) => party.Kind == PartyKind.Pupil ? "the pupil" : "a parent";

    private async Task<Dictionary<Guid, (string? Last, string? First)>> SortNamesAsync(Guid[] pupilIds, CancellationToken ct)
    {
        var names = new Dictionary<Guid, (string? Last, string? First)>(pupilIds.Length);
        if (pupilIds.Length == 0) return names;
        await using var cmd = dataSource.CreateCommand("""
            SELECT id, display_last_name, display_first_name
            FROM consenthub.pupils WHERE id = ANY(@ids)
            """);
        cmd.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", pupilIds));
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) names[reader.GetGuid(0)] = (reader.GetString(1), reader.GetString(2));
        return names;
    }

    private async Task<string?> AcademyNameAsync(AccessScope scope, Guid academyId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT a.name FROM consenthub.academies a WHERE a.id = @academy_id AND {AccessScope.Condition("a.id")}");
        cmd.Parameters.Add(new NpgsqlParameter<Guid>("academy_id", academyId));
        cmd.Parameters.AddScope(scope);
        return (string?)await cmd.ExecuteScalarAsync(ct);
    }

    private async Task<byte[]?> LogoAsync(Guid academyId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT content FROM consenthub.academy_logos WHERE academy_id = @academy_id");
        cmd.Parameters.Add(new NpgsqlParameter<Guid>("academy_id", academyId));
        return await cmd.ExecuteScalarAsync(ct) as byte[];
    }

    private async Task<string> PurposeNameAsync(string key, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT name FROM consenthub.purposes WHERE key = @key");
        cmd.Parameters.Add(new NpgsqlParameter<string>("key", key));
        return (string?)await cmd.ExecuteScalarAsync(ct) ?? key;
    }
}
