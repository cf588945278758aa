using ConsentHub.Access;
using ConsentHub.Consent;
using Npgsql;

namespace ConsentHub.Checks;

/// <summary>
/// For an academy's office: pupils whose form went out but who are still waiting for an answer on some purpose,
/// with the purposes concerned, and how many requests are still open.
/// </summary>
public sealed class ListPupilsNeedingFollowUp(NpgsqlDataSource dataSource, ConsentStatusReader reader)
{
    public sealed record FollowUp(Guid PupilId, string Name, string YearGroup, string? RegistrationGroup, IReadOnlyList<string> PendingPurposes);

    public sealed record Result(int OpenRequests, IReadOnlyList<FollowUp> Pupils);

    public async Task<Result> HandleAsync(AccessScope scope, Guid academyId, CancellationToken ct = default)
    {
        var pupils = await reader.ForRosterAsync(scope, new RosterFilter(academyId), null, ct);
        var followUps = pupils
            .Where(p => !p.DoNotFeature && p.Purposes.Any(d => d.Decision.Status == ConsentStatus.Pending))
            .Select(p => new FollowUp(p.PupilId, p.DisplayName, p.YearGroup.Code, p.RegistrationGroup,
                [.. p.Purposes.Where(d => d.Decision.Status == ConsentStatus.Pending).Select(d => d.Name)]))
            .ToList();
        await using var cmd = dataSource.CreateCommand($"""
            SELECT count(*)::int FROM consenthub.signature_requests r
            WHERE r.academy_id = @academy_id AND r.status = 'Open' AND {AccessScope.Condition("r.academy_id")}
            """);
        cmd.Parameters.Add(new NpgsqlParameter<Guid>("academy_id", academyId));
        cmd.Parameters.AddScope(scope);
        var open = (int)(await cmd.ExecuteScalarAsync(ct))!;
        return new Result(open, followUps);
    }
}
