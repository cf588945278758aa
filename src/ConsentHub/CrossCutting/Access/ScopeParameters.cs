using Npgsql;
using NpgsqlTypes;

namespace ConsentHub.Access;

/// <summary>Binds the parameters <see cref="AccessScope.SqlCondition"/> refers to: the one way a raw SQL query gets its scope.</summary>
public static class ScopeParameters
{
    /// <summary>
    /// Adds @scope_level and @scope_id for <paramref name="scope"/>; with a <paramref name="suffix"/>, @scope_level_suffix
    /// and @scope_id_suffix, for a query that ORs several scopes (<see cref="AccessScope.Condition(string, string?)"/>).
    /// </summary>
    public static void AddScope(this NpgsqlParameterCollection parameters, AccessScope scope, string? suffix = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(scope);
        var tail = suffix is null ? "" : "_" + suffix;
        parameters.Add(new NpgsqlParameter<int>("scope_level" + tail, (int)scope.Level));
        parameters.Add(new NpgsqlParameter("scope_id" + tail, NpgsqlDbType.Uuid) { Value = (object?)scope.Id ?? DBNull.Value });
    }
}
