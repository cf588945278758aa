namespace ConsentHub.Access;

public enum ScopeLevel
{
    Academy = 0,
    Region = 1,
    Trust = 2,
}

/// <summary>
/// What a caller may see (policy §8.1.2: academy, region, national). Every query that reads pupils takes one and
/// filters in SQL, so a guessed id from another academy finds nothing.
/// </summary>
public sealed record AccessScope(ScopeLevel Level, Guid? Id, string Actor)
{
    public static AccessScope Trust(string actor) => new(ScopeLevel.Trust, null, actor);
    public static AccessScope Region(Guid regionId, string actor) => new(ScopeLevel.Region, regionId, actor);
    public static AccessScope Academy(Guid academyId, string actor) => new(ScopeLevel.Academy, academyId, actor);

    /// <summary>SQL condition on an academy id column, with parameters @scope_level and @scope_id.</summary>
    public const string SqlCondition =
        "(@scope_level = 2 OR (@scope_level = 0 AND {0} = @scope_id) OR " +
        "(@scope_level = 1 AND {0} IN (SELECT a.id FROM consenthub.academies a WHERE a.region_id = @scope_id)))";

    /// <summary>
    /// <see cref="SqlCondition"/> on <paramref name="academyColumn"/>; with a <paramref name="suffix"/>, on the parameters
    /// @scope_level_suffix and @scope_id_suffix. Bind them with <see cref="ScopeParameters.AddScope"/>.
    /// </summary>
    public static string Condition(string academyColumn, string? suffix = null)
    {
        var sql = SqlCondition.Replace("{0}", academyColumn, StringComparison.Ordinal);
        return suffix is null ? sql
            : sql.Replace("@scope_level", "@scope_level_" + suffix, StringComparison.Ordinal).Replace("@scope_id", "@scope_id_" + suffix, StringComparison.Ordinal);
    }
}
