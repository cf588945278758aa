using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Consent.Rules;
using Npgsql;

namespace ConsentHub.Dashboards;

/// <summary>
/// The DSL's home page: the pupils with a safeguarding flag in force, and the pupils for whom consent was withdrawn
/// in the last seven days, in the caller's scope (the DSL's academy). Names and links only, never the flag's reason
/// (that stays on the pupil's page). The view is audited.
/// </summary>
public sealed class ReadSafeguardingHome(NpgsqlDataSource dataSource, IAuditLog audit, TimeProvider clock)
{
    public const int MaxRows = 200;

    public sealed record FlaggedPupil(Guid PupilId, string Name, string? RegistrationGroup, DateOnly FlaggedOn);

    public sealed record Withdrawal(Guid PupilId, string Name, string? RegistrationGroup, string Purpose, DateOnly On);

    /// <param name="FlagCount">All flags in force (the list holds at most <see cref="MaxRows"/>).</param>
    /// <param name="WithdrawalCount">Pupils with a withdrawal in the week (the list holds at most <see cref="MaxRows"/>).</param>
    public sealed record Figures(int FlagCount, IReadOnlyList<FlaggedPupil> Flags, int WithdrawalCount, IReadOnlyList<Withdrawal> Withdrawals, DateOnly WeekFrom);

    public async Task<Figures> HandleAsync(AccessScope scope, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var now = clock.GetUtcNow();
        var weekFrom = UkCalendar.DateOf(now).AddDays(-6);
        await using var batch = dataSource.CreateBatch();
        var flags = new NpgsqlBatchCommand($"""
            SELECT p.id, p.display_name, p.registration_group, min(f.set_at), count(*) OVER ()
            FROM consenthub.safeguarding_flags f
            JOIN consenthub.pupils p ON p.id = f.pupil_id
            WHERE f.cleared_at IS NULL AND {AccessScope.Condition("f.academy_id")}
            GROUP BY p.id, p.display_name, p.registration_group, p.display_last_name, p.display_first_name
            ORDER BY min(f.set_at) DESC, p.display_last_name, p.display_first_name
            LIMIT {MaxRows}
            """);
        flags.Parameters.AddScope(scope);
        var withdrawals = new NpgsqlBatchCommand($"""
            SELECT p.id, p.display_name, p.registration_group, string_agg(DISTINCT pu.name, ', '), max(x.at), count(*) OVER ()
            FROM consenthub.consent_answers x
            JOIN consenthub.pupils p ON p.id = x.pupil_id
            JOIN consenthub.purposes pu ON pu.id = x.purpose_id
            WHERE x.kind = 'Withdraw' AND x.at >= @from AND {AccessScope.Condition("x.academy_id")}
            GROUP BY p.id, p.display_name, p.registration_group
            ORDER BY max(x.at) DESC
            LIMIT {MaxRows}
            """);
        withdrawals.Parameters.AddWithValue("from", UkCalendar.StartOf(weekFrom));
        withdrawals.Parameters.AddScope(scope);
        batch.BatchCommands.Add(flags);
        batch.BatchCommands.Add(withdrawals);

        var flagged = new List<FlaggedPupil>();
        var withdrawn = new List<Withdrawal>();
        int flagCount = 0, withdrawalCount = 0;
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                flagged.Add(new FlaggedPupil(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    UkCalendar.DateOf(reader.GetFieldValue<DateTimeOffset>(3))));
                flagCount = (int)reader.GetInt64(4);
            }
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                withdrawn.Add(new Withdrawal(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                    UkCalendar.DateOf(reader.GetFieldValue<DateTimeOffset>(4))));
                withdrawalCount = (int)reader.GetInt64(5);
            }
        }
        audit.RecordRead(new AuditEvent(null, scope.Actor, "home.safeguarding-viewed", "Scope", scope.Id?.ToString() ?? "trust",
            Data: new Dictionary<string, object?> { ["flags"] = flagCount, ["withdrawals"] = withdrawalCount }));
        return new Figures(flagCount, flagged, withdrawalCount, withdrawn, weekFrom);
    }
}
