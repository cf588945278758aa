using ConsentHub.Access;
using ConsentHub.Consent.Rules;
using ConsentHub.Trust;
using Npgsql;
using NpgsqlTypes;

namespace ConsentHub.Monitoring;

/// <summary>
/// What a dashboard or report covers: a period of UK dates (inclusive) and optional narrowing by region, academy
/// and phase, always inside the caller's <see cref="AccessScope"/>. A filter outside the scope finds nothing.
/// </summary>
public sealed record MonitoringFilter(DateOnly From, DateOnly To, Guid? RegionId = null, Guid? AcademyId = null, AcademyPhase? Phase = null)
{
    /// <summary>The longest period a dashboard or report covers: two academic years, so term on term has a year to compare.</summary>
    public const int MaxDays = 731;

    public DateTimeOffset Start => UkCalendar.StartOf(From);

    /// <summary>The instant after the last day (exclusive end).</summary>
    public DateTimeOffset End => UkCalendar.StartOf(To.AddDays(1));

    public string? Problem => To < From ? "The period ends before it starts."
        : To.DayNumber - From.DayNumber >= MaxDays ? "Choose a period of at most two years."
        : null;

    /// <summary>The period of the same length just before this one: the "change since the last period".</summary>
    public MonitoringFilter Previous()
    {
        var days = To.DayNumber - From.DayNumber + 1;
        return this with { From = From.AddDays(-days), To = From.AddDays(-1) };
    }

    /// <summary>
    /// A CTE named <c>scoped</c> (id, name, region_id, phase) of the academies in the caller's scope and the filter:
    /// every figure joins to it, so scoping is in SQL for each one.
    /// </summary>
    internal static string ScopedAcademies => $"""
        scoped AS (
            SELECT a.id, a.name, a.region_id, a.phase FROM consenthub.academies a
            WHERE {AccessScope.Condition("a.id")}
              AND (@f_region::uuid IS NULL OR a.region_id = @f_region)
              AND (@f_academy::uuid IS NULL OR a.id = @f_academy)
              AND (@f_phase::text IS NULL OR a.phase = @f_phase))
        """;

    internal void AddParameters(NpgsqlParameterCollection p, AccessScope scope)
    {
        p.AddWithValue("scope_level", (int)scope.Level);
        p.Add(new NpgsqlParameter("scope_id", NpgsqlDbType.Uuid) { Value = (object?)scope.Id ?? DBNull.Value });
        p.Add(new NpgsqlParameter("f_region", NpgsqlDbType.Uuid) { Value = (object?)RegionId ?? DBNull.Value });
        p.Add(new NpgsqlParameter("f_academy", NpgsqlDbType.Uuid) { Value = (object?)AcademyId ?? DBNull.Value });
        p.Add(new NpgsqlParameter("f_phase", NpgsqlDbType.Text) { Value = (object?)Phase?.ToString() ?? DBNull.Value });
        p.Add(new NpgsqlParameter<DateTimeOffset>("p_start", Start));
        p.Add(new NpgsqlParameter<DateTimeOffset>("p_end", End));
        p.Add(new NpgsqlParameter<DateOnly>("p_from", From));
        p.Add(new NpgsqlParameter<DateOnly>("p_to", To));
    }
}
